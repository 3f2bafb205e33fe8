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

    /// y = max(x, 0)
    public static func reluForward(_ x: ReadBuffer, _ y: Buffer) {
        precondition(x.count == y.count, "relu: length mismatch")
        let n = x.count
        guard n > 0, let px = x.baseAddress, let py = y.baseAddress else { return }
        let zero = SIMD16<Float>()
        var i = 0
        while i + 16 <= n {
            store16(pointwiseMax(load16(px, i), zero), py, i)
            i += 16
        }
        while i < n { py[i] = max(px[i], 0); i += 1 }
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
        let n = p.count
        guard n > 0, let pp = p.baseAddress, let pg = g.baseAddress, let pb = b.baseAddress else { return }
        // On the first step PyTorch clones the gradient into the buffer; μ·0 + g
        // is the same value, so zeroed buffers make that case the general one.
        if firstStep { pb.update(repeating: 0, count: n) }
        var i = 0
        if nesterov {
            while i + 16 <= n {
                let gv = load16(pg, i)
                let bv = mu * load16(pb, i) + gv
                store16(bv, pb, i)
                store16(load16(pp, i) - lr * (gv + mu * bv), pp, i)
                i += 16
            }
            while i < n {
                let bv = mu * pb[i] + pg[i]
                pb[i] = bv
                pp[i] -= lr * (pg[i] + mu * bv)
                i += 1
            }
        } else {
            while i + 16 <= n {
                let bv = mu * load16(pb, i) + load16(pg, i)
                store16(bv, pb, i)
                store16(load16(pp, i) - lr * bv, pp, i)
                i += 16
            }
            while i < n {
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
        precondition(p.count == g.count && g.count == m.count && m.count == v.count, "adam: length mismatch")
        let n = p.count
        guard n > 0, let pp = p.baseAddress, let pg = g.baseAddress, let pm = m.baseAddress, let pv = v.baseAddress
        else { return }
        let c1 = 1 - pow(beta1, Double(t)), c2 = 1 - pow(beta2, Double(t))
        let stepSize = Float(lr / c1)
        let c2Root = Float(c2.squareRoot())
        let oneMinusB1 = Float(1 - beta1), b2 = Float(beta2), oneMinusB2 = Float(1 - beta2)
        let eps = Float(epsilon)
        var i = 0
        while i + 16 <= n {
            let gv = load16(pg, i)
            var mv = load16(pm, i)
            mv = mv + oneMinusB1 * (gv - mv)
            let vv = b2 * load16(pv, i) + oneMinusB2 * (gv * gv)
            store16(mv, pm, i)
            store16(vv, pv, i)
            let denom = vv.squareRoot() / c2Root + eps
            store16(load16(pp, i) - stepSize * (mv / denom), pp, i)
            i += 16
        }
        while i < n {
            let gv = pg[i]
            let mv = pm[i] + oneMinusB1 * (gv - pm[i])
            let vv = b2 * pv[i] + oneMinusB2 * (gv * gv)
            pm[i] = mv
            pv[i] = vv
            pp[i] -= stepSize * (mv / (vv.squareRoot() / c2Root + eps))
            i += 1
        }
    }
}

