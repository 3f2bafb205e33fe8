/// Measures the singular values of one adapter's update ΔW = s·B·A with
/// every buffer allocated up front, so a run can take its adapters'
/// spectra at every evaluation point and still allocate nothing per step.
/// `AdapterSpectrum` explains the method (two r × r Gram matrices and two
/// r × r eigenproblems); this is its one implementation.
final class SpectrumMeter {
    let rank: Int
    /// σ₁ ≥ σ₂ ≥ … ≥ σ_r ≥ 0 after `measure`.
    private(set) var values: [Float]
    private var q: [Double]      // AAᵀ, then the scratch of its eigenproblem
    private var p: [Double]      // BᵀB
    private var vectors: [Double]
    private var root: [Double]   // Q^½
    private var product: [Double]

    init(rank r: Int) {
        precondition(r >= 1)
        rank = r
        values = [Float](repeating: 0, count: r)
        q = [Double](repeating: 0, count: r * r)
        p = q
        vectors = q
        root = q
        product = q
    }

    /// The spectrum of s·B·A, with A r × in and B out × r row-major.
    func measure(a: UnsafeBufferPointer<Float>, b: UnsafeBufferPointer<Float>, inputs k: Int, outputs m: Int, scaling s: Float) {
        let r = rank
        precondition(a.count == r * k && b.count == m * r)
        q.withUnsafeMutableBufferPointer { q in
            p.withUnsafeMutableBufferPointer { p in
                Self.grams(a: a, b: b, r: r, k: k, m: m, q: q, p: p)
                vectors.withUnsafeMutableBufferPointer { v in
                    root.withUnsafeMutableBufferPointer { root in
                        product.withUnsafeMutableBufferPointer { product in
                            Self.productEigenvalues(p: p, q: q, v: v, root: root, product: product, r: r)
                        }
                    }
                }
            }
        }
        // The eigenvalues are on q's diagonal (see productEigenvalues).
        let s2 = Double(s) * Double(s)
        for i in 0..<r { values[i] = Float((max(q[i * r + i], 0) * s2).squareRoot()) }
        // Insertion sort, descending: r is small and a library sort may
        // allocate a scratch buffer.
        for i in 1..<max(r, 1) {
            let x = values[i]
            var j = i - 1
            while j >= 0 && values[j] < x { values[j + 1] = values[j]; j -= 1 }
            values[j + 1] = x
        }
    }

    /// The spectrum of one LoRA layer's ΔW.
    func measure(_ layer: LoRALinear) {
        precondition(layer.rank == rank)
        layer.loraA.value.withUnsafeBufferPointer { a in
            layer.loraB.value.withUnsafeBufferPointer { b in
                measure(a: a, b: b, inputs: layer.inputs, outputs: layer.outputs, scaling: layer.scaling)
            }
        }
    }

    /// Both Gram matrices, summed in Double: a tiny singular value is the
    /// square root of a tiny eigenvalue, so float32 Gram entries would
    /// blur everything below ~3e-4·σ₁.
    private static func grams(a: UnsafeBufferPointer<Float>, b: UnsafeBufferPointer<Float>, r: Int, k: Int, m: Int,
                              q: UnsafeMutableBufferPointer<Double>, p: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<r {
            for j in 0...i {
                var v = 0.0
                for t in 0..<k { v += Double(a[i * k + t]) * Double(a[j * k + t]) }
                q[i * r + j] = v
                q[j * r + i] = v
            }
        }
        p.update(repeating: 0)
        for o in 0..<m {
            for i in 0..<r {
                let bi = Double(b[o * r + i])
                guard bi != 0 else { continue }
                for j in 0...i { p[i * r + j] += bi * Double(b[o * r + j]) }
            }
        }
        for i in 0..<r { for j in 0..<i { p[j * r + i] = p[i * r + j] } }
    }

    /// Eigenvalues of P·Q for symmetric positive semi-definite P and Q, as
    /// those of Q^½·P·Q^½ (Q = VΛVᵀ, Q^½ = VΛ^½Vᵀ); they end on q's diagonal.
    private static func productEigenvalues(p: UnsafeMutableBufferPointer<Double>, q: UnsafeMutableBufferPointer<Double>,
                                           v: UnsafeMutableBufferPointer<Double>, root: UnsafeMutableBufferPointer<Double>,
                                           product: UnsafeMutableBufferPointer<Double>, r: Int) {
        SymmetricEigen.decompose(q, vectors: v, size: r)
        for i in 0..<r {
            for j in 0..<r {
                var sum = 0.0
                for t in 0..<r { sum += v[i * r + t] * max(q[t * r + t], 0).squareRoot() * v[j * r + t] }
                root[i * r + j] = sum
            }
        }
        SymmetricEigen.multiply(UnsafeBufferPointer(root), UnsafeBufferPointer(p), into: product, r)
        SymmetricEigen.multiply(UnsafeBufferPointer(product), UnsafeBufferPointer(root), into: q, r)
        // Symmetric in exact arithmetic; average away the rounding.
        for i in 0..<r {
            for j in 0..<i {
                let mean = 0.5 * (q[i * r + j] + q[j * r + i])
                q[i * r + j] = mean
                q[j * r + i] = mean
            }
        }
        SymmetricEigen.decompose(q, vectors: v, size: r)
    }
}
