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
}
