import Foundation

extension Kernels {
    // MARK: - Optimizer updates
    //
    // Each update is a single pass over its buffers: every element is read
    // and written once, so large tensors run at memory bandwidth. The
    // arithmetic per element is exactly the scalar formula in the doc
    // comment (separate roundings, no FMA contraction, the same operation
    // order in the vector body and the scalar tail), so results do not depend
    // on the vector width, the tail, or how the work is split across threads.

    /// Plain SGD: p ← p − lr·g
    public static func sgd(parameters p: Buffer, gradients g: ReadBuffer, learningRate lr: Float) {
        axpy(-lr, g, into: p)
    }

    /// SGD with momentum, PyTorch's form (dampening 0):
    /// b ← μ·b + g (b ← g on the first step); d = g + μ·b if Nesterov else b;
    /// p ← p − lr·d.
    public static func sgdMomentum(
        parameters p: Buffer, gradients g: ReadBuffer, momentumBuffer b: Buffer,
        learningRate lr: Float, momentum mu: Float, nesterov: Bool, firstStep: Bool
    ) {
        precondition(p.count == g.count && g.count == b.count, "sgdMomentum: length mismatch")
        guard p.count > 0, let pp = p.baseAddress, let pg = g.baseAddress, let pb = b.baseAddress else { return }
        sgdMomentumRange(pp, pg, pb, 0, p.count, lr, mu, nesterov, firstStep)
    }

    /// `sgdMomentum` split over up to `threads` cores (chunks of at least
    /// `parallelGrain` elements; smaller tensors run on the calling thread).
    /// Bit-identical to the single-threaded kernel.
    public static func sgdMomentum(
        parameters p: Buffer, gradients g: ReadBuffer, momentumBuffer b: Buffer,
        learningRate lr: Float, momentum mu: Float, nesterov: Bool, firstStep: Bool, threads: Int
    ) {
        precondition(p.count == g.count && g.count == b.count, "sgdMomentum: length mismatch")
        guard p.count > 0, let pp = p.baseAddress, let pg = g.baseAddress, let pb = b.baseAddress else { return }
        let ptrs = SendablePointers(pp, pg, pb, nil)
        forEachChunk(count: p.count, threads: threads) { start, end in
            sgdMomentumRange(ptrs.p, ptrs.g, ptrs.a, start, end, lr, mu, nesterov, firstStep)
        }
    }

    @inline(__always)
    static func sgdMomentumRange(
        _ pp: UnsafeMutablePointer<Float>, _ pg: UnsafePointer<Float>, _ pb: UnsafeMutablePointer<Float>,
        _ start: Int, _ end: Int, _ lr: Float, _ mu: Float, _ nesterov: Bool, _ firstStep: Bool
    ) {
        // On the first step PyTorch clones the gradient into the buffer; μ·0 + g
        // is the same value, so zeroed buffers make that case the general one.
        if firstStep { (pb + start).update(repeating: 0, count: end - start) }
        var i = start
        if nesterov {
            while i + 16 <= end {
                let gv = load16(pg, i)
                let bv = mu * load16(pb, i) + gv
                store16(bv, pb, i)
                store16(load16(pp, i) - lr * (gv + mu * bv), pp, i)
                i += 16
            }
            while i < end {
                let bv = mu * pb[i] + pg[i]
                pb[i] = bv
                pp[i] -= lr * (pg[i] + mu * bv)
                i += 1
            }
        } else {
            while i + 16 <= end {
                let bv = mu * load16(pb, i) + load16(pg, i)
                store16(bv, pb, i)
                store16(load16(pp, i) - lr * bv, pp, i)
                i += 16
            }
            while i < end {
                let bv = mu * pb[i] + pg[i]
                pb[i] = bv
                pp[i] -= lr * bv
                i += 1
            }
        }
    }

    /// One Adam step in PyTorch's single-tensor arithmetic:
    /// m ← m + (1−β₁)(g − m); v ← β₂·v + (1−β₂)·g²;
    /// p ← p − (lr/c₁)·m / (√v/√c₂ + ε), with cₖ = 1 − βₖᵗ computed in Double.
    public static func adam(
        parameters p: Buffer, gradients g: ReadBuffer, firstMoment m: Buffer, secondMoment v: Buffer,
        learningRate lr: Double, beta1: Double, beta2: Double, epsilon: Double, step t: Int
    ) {
        adam(parameters: p, gradients: g, firstMoment: m, secondMoment: v, learningRate: lr,
             beta1: beta1, beta2: beta2, epsilon: epsilon, step: t, threads: 1)
    }

    /// `adam` split over up to `threads` cores (chunks of at least
    /// `parallelGrain` elements; smaller tensors run on the calling thread).
    /// Bit-identical to the single-threaded kernel.
    public static func adam(
        parameters p: Buffer, gradients g: ReadBuffer, firstMoment m: Buffer, secondMoment v: Buffer,
        learningRate lr: Double, beta1: Double, beta2: Double, epsilon: Double, step t: Int, threads: Int
    ) {
        precondition(p.count == g.count && g.count == m.count && m.count == v.count, "adam: length mismatch")
        guard p.count > 0, let pp = p.baseAddress, let pg = g.baseAddress, let pm = m.baseAddress,
              let pv = v.baseAddress else { return }
        let c = AdamConstants(lr: lr, beta1: beta1, beta2: beta2, epsilon: epsilon, step: t)
        let ptrs = SendablePointers(pp, pg, pm, pv)
        forEachChunk(count: p.count, threads: threads) { start, end in
            adamRange(ptrs.p, ptrs.g, ptrs.a, ptrs.b!, start, end, c, decay: false, factor: 1)
        }
    }

    /// AdamW (decoupled decay) in one pass: p ← p·f, then the `adam` step,
    /// with f = 1 − lr·λ rounded to Float once by the caller (as
    /// `WeightDecay.shrinkFactor` does). Per element this is exactly `scale`
    /// followed by `adam` — the same two roundings for the shrink — but reads
    /// and writes p once instead of twice: a third less memory traffic on
    /// tensors that do not fit in cache.
    ///
    /// Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019.
    public static func adamW(
        parameters p: Buffer, gradients g: ReadBuffer, firstMoment m: Buffer, secondMoment v: Buffer,
        learningRate lr: Double, decayFactor f: Float, beta1: Double, beta2: Double, epsilon: Double,
        step t: Int, threads: Int = 1
    ) {
        precondition(p.count == g.count && g.count == m.count && m.count == v.count, "adamW: length mismatch")
        guard p.count > 0, let pp = p.baseAddress, let pg = g.baseAddress, let pm = m.baseAddress,
              let pv = v.baseAddress else { return }
        let c = AdamConstants(lr: lr, beta1: beta1, beta2: beta2, epsilon: epsilon, step: t)
        let ptrs = SendablePointers(pp, pg, pm, pv)
        forEachChunk(count: p.count, threads: threads) { start, end in
            adamRange(ptrs.p, ptrs.g, ptrs.a, ptrs.b!, start, end, c, decay: true, factor: f)
        }
    }

    /// The Float constants of one Adam step; the bias corrections are formed
    /// in Double and rounded once, as PyTorch does with its Python floats.
    /// PyTorch divides √v by √c₂; the engine multiplies by 1/√c₂ instead.
    /// That trades a divide per element (the unit that bounds the loop in
    /// cache) for a multiply, and moves each result by at most an ulp.
    struct AdamConstants {
        var stepSize: Float, inverseC2Root: Float, oneMinusB1: Float, b2: Float, oneMinusB2: Float, eps: Float

        init(lr: Double, beta1: Double, beta2: Double, epsilon: Double, step t: Int) {
            let c1 = 1 - pow(beta1, Double(t)), c2 = 1 - pow(beta2, Double(t))
            stepSize = Float(lr / c1)
            inverseC2Root = Float(1 / c2.squareRoot())
            oneMinusB1 = Float(1 - beta1)
            b2 = Float(beta2)
            oneMinusB2 = Float(1 - beta2)
            eps = Float(epsilon)
        }
    }

    // Per element: 1 sqrt and 1 divide, which bound the loop when the data
    // is in cache; out of cache the 28 bytes moved per element bound it.
    // Blocks go two at a time (`pairedBlocks16`) so two independent
    // divide/sqrt chains are in flight. `-Xcc -fno-math-errno` keeps
    // `squareRoot()` a vsqrtps.
    @inline(__always)
    static func adamRange(
        _ pp: UnsafeMutablePointer<Float>, _ pg: UnsafePointer<Float>, _ pm: UnsafeMutablePointer<Float>,
        _ pv: UnsafeMutablePointer<Float>, _ start: Int, _ end: Int, _ c: AdamConstants,
        decay: Bool, factor: Float
    ) {
        let stepSize = c.stepSize, invC2Root = c.inverseC2Root, oneMinusB1 = c.oneMinusB1
        let b2 = c.b2, oneMinusB2 = c.oneMinusB2, eps = c.eps
        @inline(__always) func lane(_ i: Int) {
            let gv = load16(pg, i)
            var mv = load16(pm, i)
            mv = mv + oneMinusB1 * (gv - mv)
            let vv = b2 * load16(pv, i) + oneMinusB2 * (gv * gv)
            store16(mv, pm, i)
            store16(vv, pv, i)
            let denom = vv.squareRoot() * invC2Root + eps
            var pv0 = load16(pp, i)
            if decay { pv0 = pv0 * factor }
            store16(pv0 - stepSize * (mv / denom), pp, i)
        }
        var i = pairedBlocks16(from: start, to: end, lane)
        while i < end {
            let gv = pg[i]
            let mv = pm[i] + oneMinusB1 * (gv - pm[i])
            let vv = b2 * pv[i] + oneMinusB2 * (gv * gv)
            pm[i] = mv
            pv[i] = vv
            var p0 = pp[i]
            if decay { p0 = p0 * factor }
            pp[i] = p0 - stepSize * (mv / (vv.squareRoot() * invC2Root + eps))
            i += 1
        }
    }
}
