// Decay toward a point other than zero (`decay_to = init`): the same 16-lane
// shape as the other BLAS-1 kernels, with the anchor p₀ as a second stream.

extension Kernels {
    /// `g ← g + a·(x − x₀)` — coupled L2 toward x₀ is
    /// `axpyDifference(λ, p, anchor: p₀, into: g)`. The difference is
    /// rounded first, as `g.add_(p - p0, alpha=λ)` does in PyTorch.
    public static func axpyDifference(_ a: Float, _ x: ReadBuffer, anchor: ReadBuffer, into g: Buffer) {
        precondition(x.count == anchor.count && x.count == g.count, "axpyDifference: length mismatch")
        let n = x.count
        guard n > 0, let px = x.baseAddress, let p0 = anchor.baseAddress, let pg = g.baseAddress else { return }
        var i = 0
        while i + 16 <= n {
            store16(load16(pg, i) + a * (load16(px, i) - load16(p0, i)), pg, i)
            i += 16
        }
        while i < n { pg[i] += a * (px[i] - p0[i]); i += 1 }
    }

    /// `x ← x − c·(x − x₀)` — decoupled decay toward x₀ is
    /// `pullToward(p, anchor: p₀, by: lr·λ)`. A parameter sitting on its
    /// anchor stays there exactly.
    public static func pullToward(_ x: Buffer, anchor: ReadBuffer, by c: Float) {
        precondition(x.count == anchor.count, "pullToward: length mismatch")
        let n = x.count
        guard n > 0, let px = x.baseAddress, let p0 = anchor.baseAddress else { return }
        var i = 0
        while i + 16 <= n {
            let v = load16(px, i)
            store16(v - c * (v - load16(p0, i)), px, i)
            i += 16
        }
        while i < n { px[i] -= c * (px[i] - p0[i]); i += 1 }
    }

    /// Σ (xᵢ − yᵢ)²: the squared distance of a parameter from its anchor.
    public static func squaredDistance(_ x: ReadBuffer, _ y: ReadBuffer) -> Float {
        precondition(x.count == y.count, "squaredDistance: length mismatch")
        let n = x.count
        guard n > 0, let px = x.baseAddress, let py = y.baseAddress else { return 0 }
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>()
        var i = 0
        while i + 32 <= n {
            let d0 = load16(px, i) - load16(py, i), d1 = load16(px, i + 16) - load16(py, i + 16)
            a0 += d0 * d0
            a1 += d1 * d1
            i += 32
        }
        if i + 16 <= n { let d = load16(px, i) - load16(py, i); a0 += d * d; i += 16 }
        var s = (a0 + a1).sum()
        while i < n { let d = px[i] - py[i]; s += d * d; i += 1 }
        return s
    }
}
