extension LinearAlgebra {
    // MARK: - Row panels: out[r][:] (+)= Σₜ A(r, t) · B[t][:]

    /// The shared kernel of the weight and input gradients: every output row
    /// is a combination of the contiguous rows of B, with scalar weights
    /// A(r, t) = a[r·aRowStride + t·aReductionStride].
    ///
    /// With 16-lane tiling, tiles of 4 rows × 64 columns stay in 16 zmm
    /// registers across the whole reduction; per step t that is 4 vector
    /// loads of B and 4 broadcasts of A for 16 products. The last k mod 16
    /// columns go through `PanelProduct`'s 8-lane tiles (B packed,
    /// zero-padded), as does everything with 8-lane tiling.
    static func rowPanels(
        out: UnsafeMutablePointer<Float>, rows: Int, columns k: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aReductionStride: Int,
        b: UnsafePointer<Float>, reduction: Int, accumulate: Bool, tiling: Tiling
    ) {
        let vectorColumns = tiling == .lanes16 ? k / 16 * 16 : 0
        if vectorColumns > 0 {
            rowPanels16(out: out, rows: rows, columns: k, vectorColumns: vectorColumns, a: a, aRowStride: aRowStride,
                        aReductionStride: aReductionStride, b: b, reduction: reduction, accumulate: accumulate)
        }
        guard vectorColumns < k else { return }
        let rest = PanelProduct(
            out: out + vectorColumns, outStride: k, rows: rows, columns: k - vectorColumns, depth: reduction,
            a: a, aRowStride: aRowStride, aDepthStride: aReductionStride,
            b: b + vectorColumns, bLayout: .rows(stride: k), start: accumulate ? .accumulate : .zero)
        rest.run(lanes: SIMD8<Float>.self)
    }

    /// The 16-lane body of `rowPanels`: columns [0, vectorColumns).
    static func rowPanels16(
        out: UnsafeMutablePointer<Float>, rows: Int, columns k: Int, vectorColumns: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aReductionStride: Int,
        b: UnsafePointer<Float>, reduction: Int, accumulate: Bool
    ) {
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
}
