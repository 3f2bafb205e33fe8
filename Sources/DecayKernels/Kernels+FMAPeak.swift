extension Kernels {
    /// `fmas` fused multiply-adds (rounded down to a multiple of 96) as
    /// twelve independent 8-lane chains, each pair fed by a broadcast from
    /// `a` (48 floats, walked in turn) and two vectors held in registers:
    /// the register tile's inner loop without its loads of B, so the time
    /// the products cannot beat on this CPU (`bench`'s product figures are
    /// taken against it). Returns the chains' sum, so that they are run.
    @inline(never)
    public static func fmaPeak(fmas: Int, a: UnsafePointer<Float>) -> Float {
        typealias V = SIMD8<Float>
        var c0 = V(), c1 = V(), c2 = V(), c3 = V(), c4 = V(), c5 = V()
        var c6 = V(), c7 = V(), c8 = V(), c9 = V(), c10 = V(), c11 = V()
        let b0 = V(repeating: 0.999), b1 = V(repeating: 1.001)
        for i in 0..<(fmas / 96) {
            let row = a + (i & 7) &* 6
            let a0 = V(repeating: row[0]), a1 = V(repeating: row[1]), a2 = V(repeating: row[2])
            let a3 = V(repeating: row[3]), a4 = V(repeating: row[4]), a5 = V(repeating: row[5])
            c0.addProduct(a0, b0); c1.addProduct(a0, b1)
            c2.addProduct(a1, b0); c3.addProduct(a1, b1)
            c4.addProduct(a2, b0); c5.addProduct(a2, b1)
            c6.addProduct(a3, b0); c7.addProduct(a3, b1)
            c8.addProduct(a4, b0); c9.addProduct(a4, b1)
            c10.addProduct(a5, b0); c11.addProduct(a5, b1)
        }
        var total = c0 + c1
        total += c2 + c3
        total += c4 + c5
        total += c6 + c7
        total += c8 + c9
        total += c10 + c11
        return total.sum()
    }
}
