/// One matrix product as the register tiles see it:
///
///     out[r][c] (+)= Σₜ A(r, t) · B(t, c)      r < rows, c < columns, t < depth
///
/// with A read as `a[r·aRowStride + t·aDepthStride]` (any layout: X's rows,
/// dY read down its columns) and B either by rows, `b[t·bStride + c]`, or by
/// columns, `b[c·bStride + t]` (Wᵀ for the forward product, never formed).
///
/// The output is cut into panels of `2 × lanes` columns (16 on 256-bit
/// vectors) and each panel into tiles of up to 6 rows: 6 × 2 = 12 vector
/// accumulators, two vectors of B and one broadcast of A — 15 of the 16 ymm
/// registers of AVX2, so nothing spills, and 12 independent FMA chains hide
/// the FMA latency (4 cycles × 2 units on Zen 3, 4 × 2 on Skylake). A panel
/// of B is used in place when its rows are contiguous and full; otherwise (B
/// by columns, or the last, narrower panel) it is copied into a zero-padded
/// per-thread buffer (`PackingBuffer`) `depthBlock` rows at a time, so every load in the reduction
/// loop is a full vector and no column is handled lane by lane.
///
/// Numerics: each output element is one chain of fused multiply-adds in the
/// order t = 0, 1, 2, …, starting from zero, the existing value or the bias,
/// whatever the tile shape, the vector width or the blocking of t — the same
/// rounding as a plain loop of `s.addProduct(A(r, t), B(t, c))`.
struct PanelProduct {
    enum Start {
        /// out = Σ (the input gradient).
        case zero
        /// out += Σ, summed onto the existing values (the weight gradient).
        case accumulate
        /// out = bias[c] + Σ (the forward product); `nil` bias means zero.
        case bias(UnsafePointer<Float>)
    }

    enum BLayout {
        /// B(t, c) = b[t·stride + c].
        case rows(stride: Int)
        /// B(t, c) = b[c·stride + t].
        case columns(stride: Int)
    }

    var out: UnsafeMutablePointer<Float>
    var outStride: Int
    var rows: Int
    var columns: Int
    var depth: Int
    var a: UnsafePointer<Float>
    var aRowStride: Int
    var aDepthStride: Int
    var b: UnsafePointer<Float>
    var bLayout: BLayout
    var start: Start

    /// Rows of B packed at a time: 256 × 16 floats = 16 KiB (the thread's
    /// `PackingBuffer`), which stays in L1 while every row tile of the panel
    /// reads it.
    static let depthBlock = 256

    /// Runs the product with `V`-wide vectors (SIMD8 on AVX2 and NEON,
    /// SIMD16 on AVX-512); any width gives the same bits.
    @inline(__always)
    func run<V: SIMD>(lanes _: V.Type) where V.Scalar == Float {
        guard rows > 0, columns > 0 else { return }
        let panel = 2 &* V.scalarCount
        precondition(Self.depthBlock &* panel <= PackingBuffer.capacity)
        let pack = PackingBuffer.forThisThread()
        var c0 = 0
        while c0 < columns {
            let width = min(panel, columns &- c0)
            runPanel(V.self, column: c0, width: width, pack: pack)
            c0 &+= panel
        }
    }

    /// One panel of columns [c0, c0 + width), all rows, the whole depth.
    @inline(__always)
    func runPanel<V: SIMD>(_: V.Type, column c0: Int, width: Int, pack: UnsafeMutablePointer<Float>)
    where V.Scalar == Float {
        let lanes = V.scalarCount, panel = 2 &* lanes
        let vectors = width > lanes ? 2 : 1
        var inPlace = false
        if case .rows = bLayout, width == panel { inPlace = true }
        var t0 = 0
        repeat {
            let block = inPlace ? depth : min(Self.depthBlock, depth &- t0)
            let bPanel: UnsafePointer<Float>, bStride: Int
            if inPlace, case .rows(let stride) = bLayout {
                bPanel = b + c0
                bStride = stride
            } else {
                packB(column: c0, width: width, from: t0, count: block, panel: panel, into: pack)
                bPanel = UnsafePointer(pack)
                bStride = panel
            }
            var tileStart = start
            if t0 > 0 { tileStart = .accumulate }
            if case .bias(let p) = tileStart { tileStart = .bias(p + c0) }
            let aBlock = a + t0 &* aDepthStride
            let outPanel = out + c0
            if vectors == 2 {
                rowTiles(V.self, Count2.self, out: outPanel, width: width, a: aBlock, b: bPanel, bStride: bStride,
                         depth: block, start: tileStart)
            } else {
                rowTiles(V.self, Count1.self, out: outPanel, width: width, a: aBlock, b: bPanel, bStride: bStride,
                         depth: block, start: tileStart)
            }
            t0 &+= block
        } while t0 < depth
    }

    /// Tiles of 6 rows down the panel, then one tile of the 1–5 left.
    @inline(__always)
    func rowTiles<V: SIMD, Vectors: TileCount>(
        _: V.Type, _: Vectors.Type, out: UnsafeMutablePointer<Float>, width: Int,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, bStride: Int, depth: Int, start: Start
    ) where V.Scalar == Float {
        if width == Vectors.count &* V.scalarCount {
            rowTiles(V.self, Vectors.self, Full.self, out: out, width: width, a: a, b: b, bStride: bStride,
                     depth: depth, start: start)
        } else {
            rowTiles(V.self, Vectors.self, Ragged.self, out: out, width: width, a: a, b: b, bStride: bStride,
                     depth: depth, start: start)
        }
    }

    @inline(__always)
    func rowTiles<V: SIMD, Vectors: TileCount, Edge: TileEdge>(
        _: V.Type, _: Vectors.Type, _: Edge.Type, out: UnsafeMutablePointer<Float>, width: Int,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, bStride: Int, depth: Int, start: Start
    ) where V.Scalar == Float {
        @inline(__always) func tile<Rows: TileCount>(_ rows: Rows.Type, _ r: Int) {
            Self.tile(V.self, Rows.self, Vectors.self, Edge.self, out: out + r &* outStride, outStride: outStride,
                      width: width, a: a + r &* aRowStride, aRowStride: aRowStride, aDepthStride: aDepthStride,
                      b: b, bStride: bStride, depth: depth, start: start)
        }
        var r = 0
        while r &+ 6 <= rows {
            tile(Count6.self, r)
            r &+= 6
        }
        switch rows &- r {
        case 5: tile(Count5.self, r)
        case 4: tile(Count4.self, r)
        case 3: tile(Count3.self, r)
        case 2: tile(Count2.self, r)
        case 1: tile(Count1.self, r)
        default: break
        }
    }

    /// Copies B(t0 ..< t0 + count, c0 ..< c0 + width) into `pack` as rows
    /// of `panel` floats, zero past `width` (lanes computed but never stored).
    @inline(__always)
    func packB(column c0: Int, width: Int, from t0: Int, count: Int, panel: Int, into pack: UnsafeMutablePointer<Float>) {
        if width < panel { pack.update(repeating: 0, count: count &* panel) }
        switch bLayout {
        case .rows(let stride):
            var src = b + t0 &* stride + c0
            var dst = pack
            for _ in 0..<count {
                dst.update(from: src, count: width)
                src += stride
                dst += panel
            }
        case .columns(let stride):
            for l in 0..<width {
                let src = b + (c0 &+ l) &* stride + t0
                var dst = pack + l
                for t in 0..<count {
                    dst.pointee = src[t]
                    dst += panel
                }
            }
        }
    }
}
