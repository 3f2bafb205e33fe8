/// The three matrix products a linear layer needs, with the weight in
/// PyTorch's layout `W[out][in]`:
///
///     forward         Y  = X·Wᵀ + b      (n×in · in×out)
///     weight grad     dW += dYᵀ·X        (out×n · n×in)
///     input grad      dX  = dY·W         (n×out · out×in)
///
/// Register blocking: each product keeps a tile of its output in vector
/// registers for the whole reduction, so memory is touched once per
/// reduction step for the shared operand instead of once per output
/// element. The tile is chosen for the vector width the build targets
/// (`Tiling.native`): 6 rows × 16 columns of 8-lane vectors on AVX2 and NEON
/// (`PanelProduct`, 12 of the 16 ymm registers), 4 rows × 64 columns of
/// 16-lane vectors on AVX-512 (`rowPanels`, 16 of its 32 zmm registers).
/// Nothing is allocated per product: the 16-lane tiles keep their 1 KiB
/// of packed B on the stack (`withUnsafeTemporaryAllocation` stays on the
/// stack up to 1 KiB), the 8-lane panels pack into their thread's
/// `PackingBuffer`.
///
/// Numerics: every step of a reduction is one fused multiply-add (one
/// rounding, as the BLAS behind PyTorch does; half the instructions of a
/// multiply and an add), and every output element is summed in the order of
/// the reduction index, starting from the bias (forward), the existing
/// gradient (weight grad) or zero (input grad) — the same order as a plain
/// triple loop of `s.addProduct(a, b)`, which the tests compare bit for bit,
/// for both tilings. (Without an FMA target `addProduct` would be a libm
/// call per lane; the package builds the engine with `-march=native`, and
/// the README's objdump check confirms `vfmadd…ps`.) The one
/// exception is the forward product of a narrow layer (fewer than 8 outputs,
/// e.g. a regression or two-class head), which is computed as dot products
/// along the input: there the sum is reassociated into 16 lanes and a
/// pairwise tree, and the bias is added last.
public enum LinearAlgebra {
    typealias V = SIMD16<Float>

    /// Which register tiles the products use. Both give the same bits; the
    /// tests run each on every machine.
    enum Tiling: CaseIterable {
        /// 8-lane vectors, 6 × 16 tiles: for 16 registers of 256 bits (AVX2)
        /// or 32 of 128 (NEON).
        case lanes8
        /// 16-lane vectors, 4 × 64 and 8 × 16 tiles: for 32 registers of 512 bits.
        case lanes16

        /// The tiling for the ISA this build targets (a constant of the build).
        static var native: Tiling { VectorISA.build == .avx512 ? .lanes16 : .lanes8 }
    }

    /// Y[i][o] = b[o] + Σₖ X[i][k]·W[o][k]
    public static func forward(
        x: UnsafeBufferPointer<Float>, rows n: Int, inputs k: Int,
        weight w: UnsafeBufferPointer<Float>, bias b: UnsafeBufferPointer<Float>?, outputs m: Int,
        into y: UnsafeMutableBufferPointer<Float>
    ) {
        forward(x: x, rows: n, inputs: k, weight: w, bias: b, outputs: m, into: y, tiling: .native)
    }

    static func forward(
        x: UnsafeBufferPointer<Float>, rows n: Int, inputs k: Int,
        weight w: UnsafeBufferPointer<Float>, bias b: UnsafeBufferPointer<Float>?, outputs m: Int,
        into y: UnsafeMutableBufferPointer<Float>, tiling: Tiling
    ) {
        precondition(x.count == n * k && w.count == m * k && y.count == n * m)
        precondition(b.map { $0.count == m } ?? true)
        guard n > 0, m > 0, let py = y.baseAddress else { return }
        guard k > 0, let px = x.baseAddress, let pw = w.baseAddress else {
            for i in 0..<n {
                if let pb = b?.baseAddress { (py + i * m).update(from: pb, count: m) }
                else { (py + i * m).update(repeating: 0, count: m) }
            }
            return
        }
        if m < 8 && k >= 16 {
            forwardDot(px, n, k, pw, b?.baseAddress, m, py)
        } else if tiling == .lanes16 {
            forwardPacked(px, n, k, pw, b?.baseAddress, m, py)
        } else {
            // Y (n×m) = b + Σₖ X[i][k] · Wᵀ[k][:]: rows i, reduction over k,
            // Wᵀ read down W's rows (packed per panel).
            let product = PanelProduct(
                out: py, outStride: m, rows: n, columns: m, depth: k, a: px, aRowStride: k, aDepthStride: 1,
                b: pw, bLayout: .columns(stride: k), start: b?.baseAddress.map { .bias($0) } ?? .zero)
            product.run(lanes: SIMD8<Float>.self)
        }
    }

    /// dW[o][:] += Σᵢ dY[i][o]·X[i][:]  and  db[o] += Σᵢ dY[i][o]
    public static func accumulateWeightGradient(
        x: UnsafeBufferPointer<Float>, rows n: Int, inputs k: Int,
        outputGradient dy: UnsafeBufferPointer<Float>, outputs m: Int,
        weightGradient dw: UnsafeMutableBufferPointer<Float>, biasGradient db: UnsafeMutableBufferPointer<Float>?
    ) {
        accumulateWeightGradient(x: x, rows: n, inputs: k, outputGradient: dy, outputs: m,
                                 weightGradient: dw, biasGradient: db, tiling: .native)
    }

    static func accumulateWeightGradient(
        x: UnsafeBufferPointer<Float>, rows n: Int, inputs k: Int,
        outputGradient dy: UnsafeBufferPointer<Float>, outputs m: Int,
        weightGradient dw: UnsafeMutableBufferPointer<Float>, biasGradient db: UnsafeMutableBufferPointer<Float>?,
        tiling: Tiling
    ) {
        precondition(x.count == n * k && dy.count == n * m && dw.count == m * k)
        precondition(db.map { $0.count == m } ?? true)
        guard n > 0, m > 0, let pdy = dy.baseAddress else { return }
        if k > 0, let px = x.baseAddress, let pdw = dw.baseAddress {
            if k < 16 && m >= 16 {
                // Few inputs (a 2-D data set's first layer): vectorize along
                // the outputs instead, one weight column at a time.
                weightGradientColumns(px, n, k, pdy, m, pdw)
            } else {
                // dW (m×k) += Σᵢ dY[i][o] · X[i][:]: rows o, reduction over i.
                rowPanels(out: pdw, rows: m, columns: k, a: UnsafePointer(pdy), aRowStride: 1, aReductionStride: m,
                          b: px, reduction: n, accumulate: true, tiling: tiling)
            }
        }
        if let pdb = db?.baseAddress { accumulateColumnSums(pdy, n, m, into: pdb) }
    }

    /// dX[i][:] = Σₒ dY[i][o]·W[o][:]
    public static func inputGradient(
        outputGradient dy: UnsafeBufferPointer<Float>, rows n: Int, outputs m: Int,
        weight w: UnsafeBufferPointer<Float>, inputs k: Int,
        into dx: UnsafeMutableBufferPointer<Float>
    ) {
        inputGradient(outputGradient: dy, rows: n, outputs: m, weight: w, inputs: k, into: dx, tiling: .native)
    }

    static func inputGradient(
        outputGradient dy: UnsafeBufferPointer<Float>, rows n: Int, outputs m: Int,
        weight w: UnsafeBufferPointer<Float>, inputs k: Int,
        into dx: UnsafeMutableBufferPointer<Float>, tiling: Tiling
    ) {
        precondition(dy.count == n * m && w.count == m * k && dx.count == n * k)
        guard n > 0, k > 0, let pdx = dx.baseAddress else { return }
        guard m > 0, let pdy = dy.baseAddress, let pw = w.baseAddress else {
            pdx.update(repeating: 0, count: n * k)
            return
        }
        // dX (n×k) = Σₒ dY[i][o] · W[o][:]: rows i, reduction over o.
        rowPanels(out: pdx, rows: n, columns: k, a: pdy, aRowStride: m, aReductionStride: 1,
                  b: pw, reduction: m, accumulate: false, tiling: tiling)
    }

    // MARK: - Weight gradient with few inputs

    /// dW[o][j] += Σᵢ dY[i][o]·X[i][j] for one input column j at a time,
    /// vectorized along o (contiguous in dY's rows): 64 outputs in four
    /// registers across the whole batch. The column of dW is gathered and
    /// scattered once per call, so the sum starts from the existing gradient.
    static func weightGradientColumns(
        _ x: UnsafePointer<Float>, _ n: Int, _ k: Int,
        _ dy: UnsafePointer<Float>, _ m: Int, _ dw: UnsafeMutablePointer<Float>
    ) {
        let vectorOutputs = m / 16 * 16
        for j in 0..<k {
            var o = 0
            while o + 64 <= vectorOutputs {
                var a0 = gather16(dw + o * k + j, stride: k), a1 = gather16(dw + (o + 16) * k + j, stride: k)
                var a2 = gather16(dw + (o + 32) * k + j, stride: k), a3 = gather16(dw + (o + 48) * k + j, stride: k)
                for i in 0..<n {
                    let s = V(repeating: x[i * k + j])
                    let row = dy + i * m + o
                    a0.addProduct(s, load16(row, 0)); a1.addProduct(s, load16(row, 16))
                    a2.addProduct(s, load16(row, 32)); a3.addProduct(s, load16(row, 48))
                }
                scatter16(a0, dw + o * k + j, stride: k); scatter16(a1, dw + (o + 16) * k + j, stride: k)
                scatter16(a2, dw + (o + 32) * k + j, stride: k); scatter16(a3, dw + (o + 48) * k + j, stride: k)
                o += 64
            }
            while o < vectorOutputs {
                var acc = gather16(dw + o * k + j, stride: k)
                for i in 0..<n { acc.addProduct(V(repeating: x[i * k + j]), load16(dy + i * m + o, 0)) }
                scatter16(acc, dw + o * k + j, stride: k)
                o += 16
            }
            while o < m {
                var s = dw[o * k + j]
                for i in 0..<n { s.addProduct(dy[i * m + o], x[i * k + j]) }
                dw[o * k + j] = s
                o += 1
            }
        }
    }

    /// Narrow outputs: each Y[i][o] is a dot product of two contiguous rows,
    /// summed in 16 lanes (two accumulators) and reduced pairwise; b[o] last.
    static func forwardDot(
        _ x: UnsafePointer<Float>, _ n: Int, _ k: Int, _ w: UnsafePointer<Float>,
        _ bias: UnsafePointer<Float>?, _ m: Int, _ y: UnsafeMutablePointer<Float>
    ) {
        let vectorInputs = k / 16 * 16
        for i in 0..<n {
            let xi = x + i * k
            for o in 0..<m {
                let wo = w + o * k
                var a0 = V(), a1 = V()
                var j = 0
                while j + 32 <= vectorInputs {
                    a0.addProduct(load16(xi, j), load16(wo, j))
                    a1.addProduct(load16(xi, j + 16), load16(wo, j + 16))
                    j += 32
                }
                if j < vectorInputs { a0.addProduct(load16(xi, j), load16(wo, j)); j += 16 }
                var s = horizontalSum(a0 + a1)
                while j < k { s.addProduct(xi[j], wo[j]); j += 1 }
                y[i * m + o] = (bias?[o] ?? 0) + s
            }
        }
    }

    // MARK: - Helpers

    /// db[o] += Σᵢ dY[i][o], summed in row order in registers (64 outputs
    /// at a time), so db is read and written once rather than once per row.
    static func accumulateColumnSums(
        _ dy: UnsafePointer<Float>, _ n: Int, _ m: Int, into db: UnsafeMutablePointer<Float>
    ) {
        var o = 0
        while o + 64 <= m {
            var a0 = load16(db, o), a1 = load16(db, o + 16), a2 = load16(db, o + 32), a3 = load16(db, o + 48)
            var row = dy + o
            for _ in 0..<n {
                a0 += load16(row, 0); a1 += load16(row, 16); a2 += load16(row, 32); a3 += load16(row, 48)
                row += m
            }
            store16(a0, db, o); store16(a1, db, o + 16); store16(a2, db, o + 32); store16(a3, db, o + 48)
            o += 64
        }
        while o + 16 <= m {
            var a = load16(db, o)
            for i in 0..<n { a += load16(dy + i * m, o) }
            store16(a, db, o)
            o += 16
        }
        while o < m {
            var s = db[o]
            for i in 0..<n { s += dy[i * m + o] }
            db[o] = s
            o += 1
        }
    }

    @inline(__always)
    static func gather16(_ p: UnsafeMutablePointer<Float>, stride: Int) -> V {
        var v = V()
        for l in 0..<16 { v[l] = p[l * stride] }
        return v
    }

    @inline(__always)
    static func scatter16(_ v: V, _ p: UnsafeMutablePointer<Float>, stride: Int) {
        for l in 0..<16 { p[l * stride] = v[l] }
    }
}
