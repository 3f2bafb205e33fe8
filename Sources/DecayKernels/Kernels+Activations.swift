extension Kernels {
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
}
