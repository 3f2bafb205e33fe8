// Unaligned vector loads and stores over raw Float pointers. Swift arrays are
// only 16-byte aligned, so every kernel uses these rather than assuming
// 32- or 64-byte alignment; on AVX-512 an unaligned load that does not cross a
// cache line costs the same as an aligned one.

@inline(__always)
func load16(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD16<Float> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
func load16(_ p: UnsafeMutablePointer<Float>, _ i: Int) -> SIMD16<Float> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
    UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD16<Float>.self)
}

@inline(__always)
func load8(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD8<Float> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func load8(_ p: UnsafeMutablePointer<Float>, _ i: Int) -> SIMD8<Float> {
    UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
    UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// Loads the last `count` (< 16) elements into a vector, zero-padded, so
/// transcendental tails run through the same vector code as the body and an
/// element's result does not depend on where the chunk boundary fell.
@inline(__always)
func loadPartial16(_ p: UnsafePointer<Float>, _ i: Int, _ count: Int) -> SIMD16<Float> {
    var v = SIMD16<Float>()
    for k in 0..<count { v[k] = p[i + k] }
    return v
}

@inline(__always)
func storePartial16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ i: Int, _ count: Int) {
    for k in 0..<count { p[i + k] = v[k] }
}

@inline(__always)
func loadPartial16(_ p: UnsafeMutablePointer<Float>, _ i: Int, _ count: Int) -> SIMD16<Float> {
    loadPartial16(UnsafePointer(p), i, count)
}

/// Σ of the 16 lanes as a pairwise tree (halves, quarters, …): four
/// dependent adds instead of fifteen, and a sum whose rounding does not grow
/// with the lane count.
@inline(__always)
func horizontalSum(_ v: SIMD16<Float>) -> Float {
    let h8 = v.lowHalf + v.highHalf
    let h4 = h8.lowHalf + h8.highHalf
    let h2 = h4.lowHalf + h4.highHalf
    return h2[0] + h2[1]
}

/// Calls `block(i)` on each whole 16-element block of `start..<end`, two
/// blocks a turn so that two independent chains are in flight (the Adam
/// step's divides and square roots, which would otherwise wait on each
/// other's latency), and returns where the `(end − start) % 16` elements
/// left for the caller's scalar tail begin.
@inline(__always)
func pairedBlocks16(from start: Int, to end: Int, _ block: (Int) -> Void) -> Int {
    var i = start
    while i + 32 <= end {
        block(i)
        block(i + 16)
        i += 32
    }
    if i + 16 <= end {
        block(i)
        i += 16
    }
    return i
}
