extension PanelProduct {
    /// The register tile: `rows` (1…6) output rows × `vectors` (1 or 2)
    /// vectors of V, held in registers for the whole depth. Per step t: one
    /// or two vector loads of B, one broadcast of A per row, and
    /// rows × vectors fused multiply-adds.
    ///
    /// The shape is given by types (`Rows`, `Vectors`, `Edge`), so each
    /// shape is its own specialization in which the counts are constants:
    /// unused accumulators and branches fold away and each is a
    /// straight-line loop.
    /// Only the first `width` columns are read from `out`/bias and stored;
    /// B is zero beyond them (packed).
    @inline(__always)
    static func tile<V: SIMD, Rows: TileCount, Vectors: TileCount, Edge: TileEdge>(
        _: V.Type, _: Rows.Type, _: Vectors.Type, _: Edge.Type,
        out: UnsafeMutablePointer<Float>, outStride: Int, width: Int, a: UnsafePointer<Float>, aRowStride: Int, aDepthStride: Int,
        b: UnsafePointer<Float>, bStride: Int, depth: Int, start: Start
    ) where V.Scalar == Float {
        let lanes = V.scalarCount, rows = Rows.count, vectors = Vectors.count
        let o0 = out, o1 = o0 + outStride, o2 = o1 + outStride, o3 = o2 + outStride, o4 = o3 + outStride,
            o5 = o4 + outStride
        // A full tile (every panel but a ragged last one) knows its counts
        // at compile time: no edge tests, and no call that would make the
        // accumulators spill around it.
        @inline(__always) func count(_ v: Int) -> Int { Edge.isFull ? lanes : min(lanes, width &- v &* lanes) }
        @inline(__always) func initial(_ row: UnsafeMutablePointer<Float>, _ v: Int) -> V {
            let count = count(v)
            switch start {
            case .zero: return V()
            case .accumulate: return Self.load(V.self, row + v &* lanes, count: count)
            case .bias(let p): return Self.load(V.self, p + v &* lanes, count: count)
            }
        }
        @inline(__always) func finish(_ x: V, _ row: UnsafeMutablePointer<Float>, _ v: Int) {
            Self.store(x, row + v &* lanes, count: count(v))
        }
        let two = vectors > 1
        var c00 = initial(o0, 0), c01 = two ? initial(o0, 1) : V()
        var c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
        var c40 = V(), c41 = V(), c50 = V(), c51 = V()
        if rows > 1 { c10 = initial(o1, 0); if two { c11 = initial(o1, 1) } }
        if rows > 2 { c20 = initial(o2, 0); if two { c21 = initial(o2, 1) } }
        if rows > 3 { c30 = initial(o3, 0); if two { c31 = initial(o3, 1) } }
        if rows > 4 { c40 = initial(o4, 0); if two { c41 = initial(o4, 1) } }
        if rows > 5 { c50 = initial(o5, 0); if two { c51 = initial(o5, 1) } }

        // A's addresses: with one of its strides 1 (every caller's case) the
        // broadcasts read at constant offsets from one pointer or from one
        // pointer plus row offsets kept in registers, one add per step;
        // a general stride would make the compiler chain an add per row.
        @inline(__always) func reduce(_ rowStride: Int, _ depthStride: Int) {
            var at = a
            var bt = UnsafeRawPointer(b)
            let bStep = bStride &* MemoryLayout<Float>.stride, vectorBytes = lanes &* MemoryLayout<Float>.stride
            let r1 = rowStride, r2 = 2 &* rowStride, r3 = 3 &* rowStride, r4 = 4 &* rowStride, r5 = 5 &* rowStride
            for _ in 0..<depth {
                let b0 = bt.loadUnaligned(as: V.self)
                let b1 = two ? bt.loadUnaligned(fromByteOffset: vectorBytes, as: V.self) : V()
                let s0 = V(repeating: at[0])
                c00.addProduct(s0, b0); if two { c01.addProduct(s0, b1) }
                if rows > 1 { let s = V(repeating: at[r1]); c10.addProduct(s, b0); if two { c11.addProduct(s, b1) } }
                if rows > 2 { let s = V(repeating: at[r2]); c20.addProduct(s, b0); if two { c21.addProduct(s, b1) } }
                if rows > 3 { let s = V(repeating: at[r3]); c30.addProduct(s, b0); if two { c31.addProduct(s, b1) } }
                if rows > 4 { let s = V(repeating: at[r4]); c40.addProduct(s, b0); if two { c41.addProduct(s, b1) } }
                if rows > 5 { let s = V(repeating: at[r5]); c50.addProduct(s, b0); if two { c51.addProduct(s, b1) } }
                bt += bStep
                at += depthStride
            }
        }
        if aRowStride == 1 {
            reduce(1, aDepthStride)
        } else if aDepthStride == 1 {
            reduce(aRowStride, 1)
        } else {
            reduce(aRowStride, aDepthStride)
        }

        finish(c00, o0, 0); if two { finish(c01, o0, 1) }
        if rows > 1 { finish(c10, o1, 0); if two { finish(c11, o1, 1) } }
        if rows > 2 { finish(c20, o2, 0); if two { finish(c21, o2, 1) } }
        if rows > 3 { finish(c30, o3, 0); if two { finish(c31, o3, 1) } }
        if rows > 4 { finish(c40, o4, 0); if two { finish(c41, o4, 1) } }
        if rows > 5 { finish(c50, o5, 0); if two { finish(c51, o5, 1) } }
    }

    /// The first `count` (1…lanes) floats at p, zero beyond: a full vector
    /// load when the tile is full; at a panel's ragged edge, a copy through
    /// a stack vector, once per tile row (never inside the reduction).
    @inline(__always)
    static func load<V: SIMD>(_: V.Type, _ p: UnsafePointer<Float>, count: Int) -> V where V.Scalar == Float {
        if count == V.scalarCount { return UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        return loadPartial(V.self, p, count: count)
    }

    @inline(never)
    static func loadPartial<V: SIMD>(_: V.Type, _ p: UnsafePointer<Float>, count: Int) -> V where V.Scalar == Float {
        var v = V()
        withUnsafeMutableBytes(of: &v) { $0.baseAddress!.copyMemory(from: p, byteCount: count &* 4) }
        return v
    }

    @inline(__always)
    static func load<V: SIMD>(_: V.Type, _ p: UnsafeMutablePointer<Float>, count: Int) -> V where V.Scalar == Float {
        load(V.self, UnsafePointer(p), count: count)
    }

    @inline(__always)
    static func store<V: SIMD>(_ v: V, _ p: UnsafeMutablePointer<Float>, count: Int) where V.Scalar == Float {
        if count == V.scalarCount {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
        } else {
            storePartial(v, p, count: count)
        }
    }

    @inline(never)
    static func storePartial<V: SIMD>(_ v: V, _ p: UnsafeMutablePointer<Float>, count: Int) where V.Scalar == Float {
        withUnsafeBytes(of: v) { UnsafeMutableRawPointer(p).copyMemory(from: $0.baseAddress!, byteCount: count &* 4) }
    }
}

/// A tile dimension as a type, so that `PanelProduct.tile` is specialized
/// per shape with the count a constant.
protocol TileCount { static var count: Int { get } }
enum Count1: TileCount { static var count: Int { 1 } }
enum Count2: TileCount { static var count: Int { 2 } }
enum Count3: TileCount { static var count: Int { 3 } }
enum Count4: TileCount { static var count: Int { 4 } }
enum Count5: TileCount { static var count: Int { 5 } }
enum Count6: TileCount { static var count: Int { 6 } }

/// Whether a tile covers all its vectors' lanes (`Full`) or stops short at
/// the matrix's last columns (`Ragged`), as a type for the same reason.
protocol TileEdge { static var isFull: Bool { get } }
enum Full: TileEdge { static var isFull: Bool { true } }
enum Ragged: TileEdge { static var isFull: Bool { false } }
