/// The three matrix products a linear layer needs, with the weight in
/// PyTorch's layout `W[out][in]`:
///
///     forward         Y  = X·Wᵀ + b      (n×in · in×out)
///     weight grad     dW += dYᵀ·X        (out×n · n×in)
///     input grad      dX  = dY·W         (n×out · out×in)
///
/// Register blocking: each product keeps a tile of its output in vector
/// registers for the whole reduction (4 rows × 64 columns = 16 accumulators
/// in the row panels), so memory is touched once per reduction step for the
/// shared operand instead of once per output element. Nothing is allocated:
/// the forward product transposes W one 16×16 tile at a time into a 1 KiB
/// buffer that `withUnsafeTemporaryAllocation` always places on the stack.
///
/// Numerics: every step of a reduction is one fused multiply-add (one
/// rounding, as the BLAS behind PyTorch does; half the instructions of a
/// multiply and an add), and every output element is summed in the order of
/// the reduction index, starting from the bias (forward), the existing
/// gradient (weight grad) or zero (input grad) — the same order as a plain
/// triple loop of `s.addProduct(a, b)`, which the tests compare bit for bit.
/// (Without an FMA target `addProduct` would be a libm call per lane; the
/// package builds the engine with `-march=native`, and the README's objdump
/// check confirms `vfmadd…ps`.) The one
/// exception is the forward product of a narrow layer (fewer than 8 outputs,
/// e.g. a regression or two-class head), which is computed as dot products
/// along the input: there the sum is reassociated into 16 lanes and a
/// pairwise tree, and the bias is added last.
public enum LinearAlgebra {
    typealias V = SIMD16<Float>

    /// Y[i][o] = b[o] + Σₖ X[i][k]·W[o][k]
    public static func forward(
        x: UnsafeBufferPointer<Float>, rows n: Int, inputs k: Int,
        weight w: UnsafeBufferPointer<Float>, bias b: UnsafeBufferPointer<Float>?, outputs m: Int,
        into y: UnsafeMutableBufferPointer<Float>
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
        } else {
            forwardPacked(px, n, k, pw, b?.baseAddress, m, py)
        }
    }

    /// dW[o][:] += Σᵢ dY[i][o]·X[i][:]  and  db[o] += Σᵢ dY[i][o]
    public static func accumulateWeightGradient(
        x: UnsafeBufferPointer<Float>, rows n: Int, inputs k: Int,
        outputGradient dy: UnsafeBufferPointer<Float>, outputs m: Int,
        weightGradient dw: UnsafeMutableBufferPointer<Float>, biasGradient db: UnsafeMutableBufferPointer<Float>?
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
                          b: px, reduction: n, accumulate: true)
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
        precondition(dy.count == n * m && w.count == m * k && dx.count == n * k)
        guard n > 0, k > 0, let pdx = dx.baseAddress else { return }
        guard m > 0, let pdy = dy.baseAddress, let pw = w.baseAddress else {
            pdx.update(repeating: 0, count: n * k)
            return
        }
        // dX (n×k) = Σₒ dY[i][o] · W[o][:]: rows i, reduction over o.
        rowPanels(out: pdx, rows: n, columns: k, a: pdy, aRowStride: m, aReductionStride: 1,
                  b: pw, reduction: m, accumulate: false)
    }

    // MARK: - Row panels: out[r][:] (+)= Σₜ A(r, t) · B[t][:]

    /// The shared kernel of the weight and input gradients: every output row
    /// is a combination of the contiguous rows of B, with scalar weights
    /// A(r, t) = a[r·aRowStride + t·aReductionStride]. Tiles of 4 rows ×
    /// 64 columns stay in 16 registers across the whole reduction; per step
    /// t that is 4 vector loads of B and 4 broadcasts of A for 16 products.
    /// Column tails (< 16) are plain scalar loops in the same order.
    static func rowPanels(
        out: UnsafeMutablePointer<Float>, rows: Int, columns k: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aReductionStride: Int,
        b: UnsafePointer<Float>, reduction: Int, accumulate: Bool
    ) {
        let vectorColumns = k / 16 * 16
        var r = 0
        while r + 4 <= rows {
            var c = 0
            while c + 64 <= vectorColumns {
                panel4x4(out, r, c, k, a, aRowStride, aReductionStride, b, reduction, accumulate)
                c += 64
            }
            while c < vectorColumns {
                for rr in r..<(r + 4) { panel1x1(out, rr, c, k, a, aRowStride, aReductionStride, b, reduction, accumulate) }
                c += 16
            }
            r += 4
        }
        while r < rows {
            var c = 0
            while c < vectorColumns {
                panel1x1(out, r, c, k, a, aRowStride, aReductionStride, b, reduction, accumulate)
                c += 16
            }
            r += 1
        }
        guard vectorColumns < k else { return }
        for rr in 0..<rows {
            let ar = a + rr * aRowStride
            for c in vectorColumns..<k {
                var s: Float = accumulate ? out[rr * k + c] : 0
                for t in 0..<reduction { s.addProduct(ar[t * aReductionStride], b[t * k + c]) }
                out[rr * k + c] = s
            }
        }
    }

    @inline(__always)
    static func panel4x4(
        _ out: UnsafeMutablePointer<Float>, _ r: Int, _ c: Int, _ k: Int,
        _ a: UnsafePointer<Float>, _ ars: Int, _ ats: Int,
        _ b: UnsafePointer<Float>, _ reduction: Int, _ accumulate: Bool
    ) {
        let o0 = out + r * k + c, o1 = o0 + k, o2 = o1 + k, o3 = o2 + k
        var c00 = V(), c01 = V(), c02 = V(), c03 = V()
        var c10 = V(), c11 = V(), c12 = V(), c13 = V()
        var c20 = V(), c21 = V(), c22 = V(), c23 = V()
        var c30 = V(), c31 = V(), c32 = V(), c33 = V()
        if accumulate {
            c00 = load16(o0, 0); c01 = load16(o0, 16); c02 = load16(o0, 32); c03 = load16(o0, 48)
            c10 = load16(o1, 0); c11 = load16(o1, 16); c12 = load16(o1, 32); c13 = load16(o1, 48)
            c20 = load16(o2, 0); c21 = load16(o2, 16); c22 = load16(o2, 32); c23 = load16(o2, 48)
            c30 = load16(o3, 0); c31 = load16(o3, 16); c32 = load16(o3, 32); c33 = load16(o3, 48)
        }
        let a0 = a + r * ars, a1 = a0 + ars, a2 = a1 + ars, a3 = a2 + ars
        var bt = b + c
        var at = 0
        for _ in 0..<reduction {
            let b0 = load16(bt, 0), b1 = load16(bt, 16), b2 = load16(bt, 32), b3 = load16(bt, 48)
            let s0 = V(repeating: a0[at]), s1 = V(repeating: a1[at])
            let s2 = V(repeating: a2[at]), s3 = V(repeating: a3[at])
            c00.addProduct(s0, b0); c01.addProduct(s0, b1); c02.addProduct(s0, b2); c03.addProduct(s0, b3)
            c10.addProduct(s1, b0); c11.addProduct(s1, b1); c12.addProduct(s1, b2); c13.addProduct(s1, b3)
            c20.addProduct(s2, b0); c21.addProduct(s2, b1); c22.addProduct(s2, b2); c23.addProduct(s2, b3)
            c30.addProduct(s3, b0); c31.addProduct(s3, b1); c32.addProduct(s3, b2); c33.addProduct(s3, b3)
            bt += k
            at += ats
        }
        store16(c00, o0, 0); store16(c01, o0, 16); store16(c02, o0, 32); store16(c03, o0, 48)
        store16(c10, o1, 0); store16(c11, o1, 16); store16(c12, o1, 32); store16(c13, o1, 48)
        store16(c20, o2, 0); store16(c21, o2, 16); store16(c22, o2, 32); store16(c23, o2, 48)
        store16(c30, o3, 0); store16(c31, o3, 16); store16(c32, o3, 32); store16(c33, o3, 48)
    }

    @inline(__always)
    static func panel1x1(
        _ out: UnsafeMutablePointer<Float>, _ r: Int, _ c: Int, _ k: Int,
        _ a: UnsafePointer<Float>, _ ars: Int, _ ats: Int,
        _ b: UnsafePointer<Float>, _ reduction: Int, _ accumulate: Bool
    ) {
        let o = out + r * k + c
        var acc = accumulate ? load16(o, 0) : V()
        let ar = a + r * ars
        var bt = b + c
        var at = 0
        for _ in 0..<reduction {
            acc.addProduct(V(repeating: ar[at]), load16(bt, 0))
            bt += k
            at += ats
        }
        store16(acc, o, 0)
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

    // MARK: - Forward

    /// Y = X·Wᵀ + b with Wᵀ packed 16×16 at a time (1 KiB, on the stack):
    /// for each tile, 8 rows of Y keep their 16 outputs in registers while
    /// the 16 inputs of the tile stream through as broadcasts.
    static func forwardPacked(
        _ x: UnsafePointer<Float>, _ n: Int, _ k: Int, _ w: UnsafePointer<Float>,
        _ bias: UnsafePointer<Float>?, _ m: Int, _ y: UnsafeMutablePointer<Float>
    ) {
        withUnsafeTemporaryAllocation(of: V.self, capacity: 16) { tileBuffer in
            let tile = tileBuffer.baseAddress!
            var o0 = 0
            while o0 < m {
                let width = min(16, m - o0)
                var initial = V()
                if let bias { initial = width == 16 ? load16(bias, o0) : loadPartial16(bias, o0, width) }
                var k0 = 0
                while k0 < k {
                    let depth = min(16, k - k0)
                    // Wᵀ[k0 + t][o0 + l] = W[o0 + l][k0 + t]; missing lanes are 0
                    // and never stored.
                    let packed = UnsafeMutableRawPointer(tile).assumingMemoryBound(to: Float.self)
                    if width < 16 { packed.update(repeating: 0, count: 256) }
                    for l in 0..<width {
                        let row = w + (o0 + l) * k + k0
                        for t in 0..<depth { packed[t * 16 + l] = row[t] }
                    }
                    let first = k0 == 0
                    var i = 0
                    while i + 8 <= n {
                        forwardTile8(x, i, k, k0, depth, tile, y, m, o0, width, first, initial)
                        i += 8
                    }
                    while i < n {
                        let yi = y + i * m + o0
                        var acc = first ? initial : (width == 16 ? load16(yi, 0) : loadPartial16(yi, 0, width))
                        let xi = x + i * k + k0
                        for t in 0..<depth { acc.addProduct(V(repeating: xi[t]), tile[t]) }
                        if width == 16 { store16(acc, yi, 0) } else { storePartial16(acc, yi, 0, width) }
                        i += 1
                    }
                    k0 += 16
                }
                o0 += 16
            }
        }
    }

    @inline(__always)
    static func forwardTile8(
        _ x: UnsafePointer<Float>, _ i: Int, _ k: Int, _ k0: Int, _ depth: Int, _ tile: UnsafeMutablePointer<V>,
        _ y: UnsafeMutablePointer<Float>, _ m: Int, _ o0: Int, _ width: Int, _ first: Bool, _ initial: V
    ) {
        let y0 = y + i * m + o0
        @inline(__always) func start(_ r: Int) -> V {
            if first { return initial }
            return width == 16 ? load16(y0 + r * m, 0) : loadPartial16(y0 + r * m, 0, width)
        }
        @inline(__always) func finish(_ v: V, _ r: Int) {
            if width == 16 { store16(v, y0 + r * m, 0) } else { storePartial16(v, y0 + r * m, 0, width) }
        }
        var a0 = start(0), a1 = start(1), a2 = start(2), a3 = start(3)
        var a4 = start(4), a5 = start(5), a6 = start(6), a7 = start(7)
        let x0 = x + i * k + k0
        for t in 0..<depth {
            let wt = tile[t]
            let xt = x0 + t
            a0.addProduct(V(repeating: xt[0]), wt)
            a1.addProduct(V(repeating: xt[k]), wt)
            a2.addProduct(V(repeating: xt[2 * k]), wt)
            a3.addProduct(V(repeating: xt[3 * k]), wt)
            a4.addProduct(V(repeating: xt[4 * k]), wt)
            a5.addProduct(V(repeating: xt[5 * k]), wt)
            a6.addProduct(V(repeating: xt[6 * k]), wt)
            a7.addProduct(V(repeating: xt[7 * k]), wt)
        }
        finish(a0, 0); finish(a1, 1); finish(a2, 2); finish(a3, 3)
        finish(a4, 4); finish(a5, 5); finish(a6, 6); finish(a7, 7)
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
