import Foundation

/// The shape of one adapter's update ΔW = s·B·A, from r × r matrices only.
///
/// ΔWᵀΔW = s²·Aᵀ(BᵀB)A has the same non-zero eigenvalues as s²·(BᵀB)(AAᵀ),
/// which is similar to the symmetric positive semi-definite
/// s²·Q^½·(BᵀB)·Q^½ with Q = AAᵀ. So the singular values of the out × in
/// matrix ΔW are s times the square roots of the eigenvalues of an r × r
/// symmetric matrix: two Gram matrices (r²·(in + out)/2 multiply-adds, in
/// Double) and two r × r eigenproblems, never ΔW itself nor an SVD of it.
public struct AdapterSpectrum: Sendable, Equatable {
    /// σ₁ ≥ σ₂ ≥ … ≥ σ_r ≥ 0.
    public var singularValues: [Float]

    public init(singularValues: [Float]) { self.singularValues = singularValues }

    /// ‖ΔW‖_F = √Σσᵢ².
    public var frobeniusNorm: Float { Float(singularValues.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()) }

    /// ‖ΔW‖_F² / ‖ΔW‖₂² = Σσᵢ²/σ₁²: between 1 (one direction) and r (all equal).
    /// nil for ΔW = 0.
    public var stableRank: Float? {
        guard let top = singularValues.first, top > 0 else { return nil }
        let t = Double(top)
        return Float(singularValues.reduce(0.0) { $0 + Double($1) * Double($1) } / (t * t))
    }

    /// exp(−Σ pᵢ·ln pᵢ) with pᵢ = σᵢ/Σσⱼ (Roy & Vetterli, 2007): the number
    /// of equally strong directions with the same entropy. nil for ΔW = 0.
    public var effectiveRank: Float? {
        let total = singularValues.reduce(0.0) { $0 + Double($1) }
        guard total > 0 else { return nil }
        var entropy = 0.0
        for s in singularValues where s > 0 {
            let p = Double(s) / total
            entropy -= p * log(p)
        }
        return Float(exp(entropy))
    }

    /// The spectrum of s·B·A, with A r × in and B out × r row-major.
    public init(a: UnsafeBufferPointer<Float>, b: UnsafeBufferPointer<Float>, rank r: Int, inputs k: Int, outputs m: Int,
                scaling s: Float) {
        precondition(a.count == r * k && b.count == m * r)
        var q = [Double](repeating: 0, count: r * r)    // AAᵀ: rows of A against rows of A
        var p = [Double](repeating: 0, count: r * r)    // BᵀB: columns of B against columns of B
        // Both Gram matrices summed in Double: a tiny singular value is the
        // square root of a tiny eigenvalue, so float32 Gram entries would
        // blur everything below ~3e-4·σ₁.
        for i in 0..<r {
            for j in 0...i {
                var v = 0.0
                for t in 0..<k { v += Double(a[i * k + t]) * Double(a[j * k + t]) }
                q[i * r + j] = v
                q[j * r + i] = v
            }
        }
        for o in 0..<m {
            for i in 0..<r {
                let bi = Double(b[o * r + i])
                guard bi != 0 else { continue }
                for j in 0...i { p[i * r + j] += bi * Double(b[o * r + j]) }
            }
        }
        for i in 0..<r { for j in 0..<i { p[j * r + i] = p[i * r + j] } }
        let values = Self.productEigenvalues(p: p, q: q, size: r)
        let s2 = Double(s) * Double(s)
        singularValues = values.map { Float((max($0, 0) * s2).squareRoot()) }.sorted(by: >)
    }

    /// The spectrum of one LoRA layer's ΔW.
    public init(_ layer: LoRALinear) {
        self = layer.loraA.value.withUnsafeBufferPointer { a in
            layer.loraB.value.withUnsafeBufferPointer { b in
                AdapterSpectrum(a: a, b: b, rank: layer.rank, inputs: layer.inputs, outputs: layer.outputs, scaling: layer.scaling)
            }
        }
    }

    /// Eigenvalues of P·Q for symmetric positive semi-definite P and Q, as
    /// those of Q^½·P·Q^½ (Q = VΛVᵀ, Q^½ = VΛ^½Vᵀ).
    static func productEigenvalues(p: [Double], q: [Double], size r: Int) -> [Double] {
        let (lambda, v) = SymmetricEigen.decompose(q, size: r)
        var root = [Double](repeating: 0, count: r * r)
        for i in 0..<r {
            for j in 0..<r {
                var sum = 0.0
                for t in 0..<r { sum += v[i * r + t] * max(lambda[t], 0).squareRoot() * v[j * r + t] }
                root[i * r + j] = sum
            }
        }
        let sandwich = SymmetricEigen.multiply(SymmetricEigen.multiply(root, p, r), root, r)
        var symmetric = sandwich
        for i in 0..<r { for j in 0..<r { symmetric[i * r + j] = 0.5 * (sandwich[i * r + j] + sandwich[j * r + i]) } }
        return SymmetricEigen.decompose(symmetric, size: r).values
    }
}
