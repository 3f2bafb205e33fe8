extension Kernels {
    /// The Float constants of a Lion step: β and 1 − β formed in Double and
    /// rounded once, as PyTorch does with its Python floats.
    struct LionConstants {
        var lr: Float, b1: Float, oneMinusB1: Float, b2: Float, oneMinusB2: Float

        init(lr: Float, beta1: Double, beta2: Double) {
            self.lr = lr
            b1 = Float(beta1)
            oneMinusB1 = Float(1 - beta1)
            b2 = Float(beta2)
            oneMinusB2 = Float(1 - beta2)
        }
    }

    /// One Lion step (Chen et al., 2023), `lion-pytorch`'s arithmetic:
    /// p ← p·f (decoupled decay, when `decayFactor` is given);
    /// c = β₁·m + (1−β₁)·g; p ← p − lr·sign(c); m ← β₂·m + (1−β₂)·g.
    /// sign(0) = 0, as `torch.sign`: a coordinate whose gradient and
    /// momentum are both zero (an embedding row never seen) moves only by
    /// the decay. A NaN in c stays NaN in p, so a runaway run is seen.
    public static func lion(
        parameters p: Buffer, gradients g: ReadBuffer, momentum m: Buffer, learningRate lr: Float,
        beta1: Double, beta2: Double, decayFactor f: Float?, threads: Int = 1
    ) {
        precondition(p.count == g.count && g.count == m.count, "lion: length mismatch")
        guard p.count > 0, let pp = p.baseAddress, let pg = g.baseAddress, let pm = m.baseAddress else { return }
        let c = LionConstants(lr: lr, beta1: beta1, beta2: beta2)
        let ptrs = SendablePointers(pp, pg, pm, nil)
        forEachChunk(count: p.count, threads: threads) { start, end in
            lionRange(ptrs.p, ptrs.g, ptrs.a, start, end, c, decay: f != nil, factor: f ?? 1)
        }
    }

    // Three loads and two stores of 4 bytes per element, no divide or root:
    // the loop runs at memory bandwidth. sign(c) is two lane selects on
    // c·0 (±0 for finite c, NaN for NaN), so NaN propagates without a branch.
    @inline(__always)
    static func lionRange(
        _ pp: UnsafeMutablePointer<Float>, _ pg: UnsafePointer<Float>, _ pm: UnsafeMutablePointer<Float>,
        _ start: Int, _ end: Int, _ c: LionConstants, decay: Bool, factor: Float
    ) {
        let lr = c.lr, b1 = c.b1, oneMinusB1 = c.oneMinusB1, b2 = c.b2, oneMinusB2 = c.oneMinusB2
        let one = SIMD16<Float>(repeating: 1)
        var i = start
        while i + 16 <= end {
            let gv = load16(pg, i)
            let mv = load16(pm, i)
            let cv = b1 * mv + oneMinusB1 * gv
            let sign = (cv * 0).replacing(with: one, where: cv .> 0).replacing(with: -one, where: cv .< 0)
            var pv = load16(pp, i)
            if decay { pv = pv * factor }
            store16(pv - lr * sign, pp, i)
            store16(b2 * mv + oneMinusB2 * gv, pm, i)
            i += 16
        }
        while i < end {
            let gv = pg[i], mv = pm[i]
            let cv = b1 * mv + oneMinusB1 * gv
            let sign: Float = cv > 0 ? 1 : (cv < 0 ? -1 : cv * 0)
            var pv = pp[i]
            if decay { pv = pv * factor }
            pp[i] = pv - lr * sign
            pm[i] = b2 * mv + oneMinusB2 * gv
            i += 1
        }
    }
}
