import Foundation

/// The engine's hot loops: elementwise maps, reductions and optimizer updates
/// over contiguous Float storage.
///
/// Every loop has the same shape: 16-lane chunks (`SIMD16<Float>`, one
/// AVX-512 register or two AVX2 ones) over raw pointers, then a scalar tail
/// for the last `count % 16` elements. Raw pointers let the compiler drop
/// bounds checks and exclusivity checks inside the loop; callers pass buffers
/// of equal length, which each kernel asserts once at its entry.
/// Reductions keep two independent accumulators so consecutive adds do not
/// wait on each other.
public enum Kernels {
    public typealias Buffer = UnsafeMutableBufferPointer<Float>
    public typealias ReadBuffer = UnsafeBufferPointer<Float>

    // MARK: - BLAS-1

    /// `x ← a·x` — decoupled weight decay is `scale(p, by: 1 − lr·λ)`.
    public static func scale(_ x: Buffer, by a: Float) {
        let n = x.count
        guard n > 0, let px = x.baseAddress else { return }
        var i = 0
        while i + 16 <= n {
            store16(load16(px, i) * a, px, i)
            i += 16
        }
        while i < n { px[i] *= a; i += 1 }
    }

    /// `y ← y + a·x` — coupled L2 is `axpy(λ, p, into: g)`.
    public static func axpy(_ a: Float, _ x: ReadBuffer, into y: Buffer) {
        precondition(x.count == y.count, "axpy: length mismatch")
        let n = x.count
        guard n > 0, let px = x.baseAddress, let py = y.baseAddress else { return }
        var i = 0
        while i + 16 <= n {
            store16(load16(py, i) + a * load16(px, i), py, i)
            i += 16
        }
        while i < n { py[i] += a * px[i]; i += 1 }
    }

    /// Σ xᵢ·yᵢ
    public static func dot(_ x: ReadBuffer, _ y: ReadBuffer) -> Float {
        precondition(x.count == y.count, "dot: length mismatch")
        let n = x.count
        guard n > 0, let px = x.baseAddress, let py = y.baseAddress else { return 0 }
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>()
        var i = 0
        while i + 32 <= n {
            a0 += load16(px, i) * load16(py, i)
            a1 += load16(px, i + 16) * load16(py, i + 16)
            i += 32
        }
        if i + 16 <= n { a0 += load16(px, i) * load16(py, i); i += 16 }
        var s = (a0 + a1).sum()
        while i < n { s += px[i] * py[i]; i += 1 }
        return s
    }

    /// Σ xᵢ²
    public static func sumOfSquares(_ x: ReadBuffer) -> Float { dot(x, x) }

    /// Σ xᵢ
    public static func sum(_ x: ReadBuffer) -> Float {
        let n = x.count
        guard n > 0, let px = x.baseAddress else { return 0 }
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>()
        var i = 0
        while i + 32 <= n {
            a0 += load16(px, i)
            a1 += load16(px, i + 16)
            i += 32
        }
        if i + 16 <= n { a0 += load16(px, i); i += 16 }
        var s = (a0 + a1).sum()
        while i < n { s += px[i]; i += 1 }
        return s
    }

    /// x ← 0
    public static func zero(_ x: Buffer) {
        guard let p = x.baseAddress else { return }
        p.update(repeating: 0, count: x.count)
    }

    // MARK: - Activations

    /// y = max(x, 0), with NaN passed through as `torch.relu` does (a
    /// pointwise max would turn it into 0 in the vector part only, so a
    /// divergence could hide or not depending on the layer's width).
    public static func reluForward(_ x: ReadBuffer, _ y: Buffer) {
        precondition(x.count == y.count, "relu: length mismatch")
        let n = x.count
        guard n > 0, let px = x.baseAddress, let py = y.baseAddress else { return }
        let zero = SIMD16<Float>()
        var i = 0
        while i + 16 <= n {
            let v = load16(px, i)
            store16(v.replacing(with: zero, where: v .< zero), py, i)
            i += 16
        }
        while i < n { py[i] = px[i] < 0 ? 0 : px[i]; i += 1 }
    }

    /// dx = dy where y > 0, else 0 (PyTorch's convention: the gradient at 0 is 0).
    public static func reluBackward(_ y: ReadBuffer, _ dy: ReadBuffer, _ dx: Buffer) {
        precondition(y.count == dy.count && dy.count == dx.count, "relu backward: length mismatch")
        let n = y.count
        guard n > 0, let py = y.baseAddress, let pdy = dy.baseAddress, let pdx = dx.baseAddress else { return }
        let zero = SIMD16<Float>()
        var i = 0
        while i + 16 <= n {
            store16(zero.replacing(with: load16(pdy, i), where: load16(py, i) .> zero), pdx, i)
            i += 16
        }
        while i < n { pdx[i] = py[i] > 0 ? pdy[i] : 0; i += 1 }
    }

    /// y = tanh(x)
    public static func tanhForward(_ x: ReadBuffer, _ y: Buffer) {
        precondition(x.count == y.count, "tanh: length mismatch")
        let n = x.count
        guard n > 0, let px = x.baseAddress, let py = y.baseAddress else { return }
        var i = 0
        while i + 16 <= n {
            store16(VectorMath.tanh(load16(px, i)), py, i)
            i += 16
        }
        if i < n { storePartial16(VectorMath.tanh(loadPartial16(px, i, n - i)), py, i, n - i) }
    }

    /// dx = dy·(1 − y²), from the saved output.
    public static func tanhBackward(_ y: ReadBuffer, _ dy: ReadBuffer, _ dx: Buffer) {
        precondition(y.count == dy.count && dy.count == dx.count, "tanh backward: length mismatch")
        let n = y.count
        guard n > 0, let py = y.baseAddress, let pdy = dy.baseAddress, let pdx = dx.baseAddress else { return }
        var i = 0
        while i + 16 <= n {
            let v = load16(py, i)
            store16(load16(pdy, i) * (1 - v * v), pdx, i)
            i += 16
        }
        while i < n { pdx[i] = pdy[i] * (1 - py[i] * py[i]); i += 1 }
    }

    /// y = x·Φ(x), the exact (erf) GELU.
    public static func geluForward(_ x: ReadBuffer, _ y: Buffer) {
        precondition(x.count == y.count, "gelu: length mismatch")
        let n = x.count
        guard n > 0, let px = x.baseAddress, let py = y.baseAddress else { return }
        var i = 0
        while i + 16 <= n {
            let v = load16(px, i)
            store16(v * VectorMath.normalCDF(v), py, i)
            i += 16
        }
        if i < n {
            let v = loadPartial16(px, i, n - i)
            storePartial16(v * VectorMath.normalCDF(v), py, i, n - i)
        }
    }

    /// dx = dy·(Φ(x) + x·φ(x)), from the saved input.
    public static func geluBackward(_ x: ReadBuffer, _ dy: ReadBuffer, _ dx: Buffer) {
        precondition(x.count == dy.count && dy.count == dx.count, "gelu backward: length mismatch")
        let n = x.count
        guard n > 0, let px = x.baseAddress, let pdy = dy.baseAddress, let pdx = dx.baseAddress else { return }
        var i = 0
        while i + 16 <= n {
            let v = load16(px, i)
            store16(load16(pdy, i) * (VectorMath.normalCDF(v) + v * VectorMath.normalPDF(v)), pdx, i)
            i += 16
        }
        if i < n {
            let c = n - i
            let v = loadPartial16(px, i, c)
            let g = loadPartial16(pdy, i, c) * (VectorMath.normalCDF(v) + v * VectorMath.normalPDF(v))
            storePartial16(g, pdx, i, c)
        }
    }

    // MARK: - Dropout

    /// Writes an inverted-dropout mask: each element is `1/(1−p)` with
    /// probability 1−p and 0 otherwise, decided by `DropoutHash` from
    /// (key, element index) alone, so the same mask can be rebuilt anywhere
    /// (the exported reproduce.py does it with numpy).
    public static func dropoutMask(_ mask: Buffer, key: UInt64, p: Float) {
        let n = mask.count
        guard n > 0, let pm = mask.baseAddress else { return }
        let threshold = DropoutHash.threshold(p: p)
        let keep = Float(1) / (1 - p)
        let lane = SIMD8<UInt64>(0, 1, 2, 3, 4, 5, 6, 7)
        var i = 0
        while i + 8 <= n {
            let h = DropoutHash.mix(SIMD8<UInt64>(repeating: key &+ UInt64(i)) &+ lane) &>> 40
            var kept = SIMD8<UInt64>()
            kept.replace(with: 1, where: h .>= SIMD8<UInt64>(repeating: threshold))
            store8(SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: kept)) * keep, pm, i)
            i += 8
        }
        while i < n {
            pm[i] = DropoutHash.mix(key &+ UInt64(i)) >> 40 >= threshold ? keep : 0
            i += 1
        }
    }

    /// z = x ⊙ y (dropout's forward and backward: input or gradient times mask)
    public static func multiply(_ x: ReadBuffer, _ y: ReadBuffer, into z: Buffer) {
        precondition(x.count == y.count && y.count == z.count, "multiply: length mismatch")
        let n = x.count
        guard n > 0, let px = x.baseAddress, let py = y.baseAddress, let pz = z.baseAddress else { return }
        var i = 0
        while i + 16 <= n {
            store16(load16(px, i) * load16(py, i), pz, i)
            i += 16
        }
        while i < n { pz[i] = px[i] * py[i]; i += 1 }
    }

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
    /// `Optimizer.applyDecay` does). Per element this is exactly `scale`
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
    // The body is unrolled twice so two independent divide/sqrt chains are in
    // flight. `-Xcc -fno-math-errno` keeps `squareRoot()` a vsqrtps.
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
        var i = start
        while i + 32 <= end {
            lane(i)
            lane(i + 16)
            i += 32
        }
        if i + 16 <= end { lane(i); i += 16 }
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

    // MARK: - Fork-join

    /// The smallest chunk worth a thread: below ~64K elements the update
    /// takes a few microseconds, less than waking a worker costs.
    public static let parallelGrain = 65_536

    /// The `threads:` an optimizer should pass for a tensor of `count`
    /// elements: the machine's cores, or 1 below two grains.
    public static func recommendedThreads(count: Int) -> Int {
        count < 2 * parallelGrain ? 1 : ProcessInfo.processInfo.activeProcessorCount
    }

    /// Calls `body(start, end)` over `0..<count` in at most `threads`
    /// contiguous chunks of at least `parallelGrain` elements, one per core,
    /// with boundaries on 64-element (cache-line × 4) multiples. One chunk
    /// runs inline: small updates never touch Dispatch.
    @inline(__always)
    static func forEachChunk(count: Int, threads: Int, _ body: (Int, Int) -> Void) {
        let chunks = max(1, min(threads, count / parallelGrain))
        if chunks == 1 { body(0, count); return }
        let size = (count / chunks + 63) / 64 * 64
        withoutActuallyEscaping(body) { body in
            let work = SendableBody(body: body)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let start = c * size
                let end = min(count, start + size)
                if start < end { work.body(start, end) }
            }
        }
    }

    struct SendableBody: @unchecked Sendable {
        let body: (Int, Int) -> Void
    }

    /// Raw pointers handed to worker threads; each worker touches a disjoint range.
    struct SendablePointers: @unchecked Sendable {
        let p: UnsafeMutablePointer<Float>
        let g: UnsafePointer<Float>
        let a: UnsafeMutablePointer<Float>
        let b: UnsafeMutablePointer<Float>?
        init(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ a: UnsafeMutablePointer<Float>,
             _ b: UnsafeMutablePointer<Float>?) {
            self.p = p; self.g = g; self.a = a; self.b = b
        }
    }
}
