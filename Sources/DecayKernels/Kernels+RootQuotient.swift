extension Kernels {
    /// `out[i] = a[i] / (√b[i]·k + ε)`: of an Adam step, only the square
    /// root and the division, with their loads and store.
    ///
    /// `bench` times it beside `adamW` on the same elements. Where the
    /// divide and the square root share one unit that is not fully
    /// pipelined (Zen 3's, for one), this loop is the floor of any Adam
    /// step that rounds as PyTorch does — one exactly rounded √ and one
    /// exactly rounded ÷ per element — whatever the rest of the step costs.
    /// It walks the elements as the `adamW` kernel does (`pairedBlocks16`).
    public static func rootQuotient(_ a: ReadBuffer, _ b: ReadBuffer, scale k: Float, epsilon eps: Float, into out: Buffer) {
        precondition(a.count == b.count && b.count == out.count, "rootQuotient: length mismatch")
        let n = a.count
        guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress, let po = out.baseAddress else { return }
        @inline(__always) func lane(_ i: Int) {
            store16(load16(pa, i) / (load16(pb, i).squareRoot() * k + eps), po, i)
        }
        var i = pairedBlocks16(from: 0, to: n, lane)
        while i < n {
            po[i] = pa[i] / (pb[i].squareRoot() * k + eps)
            i += 1
        }
    }
}
