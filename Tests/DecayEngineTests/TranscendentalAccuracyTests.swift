import Foundation
import Testing
@testable import DecayEngine
@testable import DecayKernels

// The engine's vector exp/tanh/GELU are polynomial approximations; these
// tests measure them against Foundation's Double exp/tanh/erfc, on dense
// grids (every 1e-4 on [−10, 10], finer where the forms hand over) plus seeded random points, and assert a
// bound slightly above the worst error found. Measured when written:
//
//   exp            ≤ 1 ulp on [−87, 88]                     (bound: 2 ulp)
//   tanh           1.41e-7 relative (at x ≈ 0.627, where the
//                  odd polynomial hands over to the exp form) (bound: 2e-7)
//   GELU, x ≥ −1   4.5e-7 relative (at x ≈ −0.9)            (bound: 5e-7)
//   GELU, x < −1   grows like x²·u: 1.3e-6 at −3, 8.5e-6 at −9.8
//
// The growth for negative x is the classic erfc pitfall: Φ(x) = ½·erfc(a)
// is computed as t·exp(P(t) − a²) with a² rounded to Float first, so the
// exponent carries an absolute error ≈ a²·u and the result that relative
// error. (PyTorch's own float GELU, x·½·(1 + erf(x/√2)), cancels there and
// is far less accurate in relative terms; in absolute terms both are below
// 1e-11 and irrelevant to training.) The bound used is 5e-7 + 3·u·x²
// (the worst case found is 1.05× 5e-7 + 2·u·x², at x ≈ −11.4).
// Below x ≈ −12.5 Φ(x) is subnormal and the clamped exp returns ~1e-38
// instead: only an absolute bound means anything there.

private let u = Double(Float.ulpOfOne) / 2

private func grid(_ lo: Float, _ hi: Float, _ n: Int) -> [Float] {
    (0..<n).map { lo + (hi - lo) * Float($0) / Float(n - 1) }
}

private func apply(_ f: (Kernels.ReadBuffer, Kernels.Buffer) -> Void, _ x: [Float]) -> [Float] {
    var y = [Float](repeating: .nan, count: x.count)
    x.withUnsafeBufferPointer { px in y.withUnsafeMutableBufferPointer { f(px, $0) } }
    return y
}

private func gelu(_ x: Double) -> Double { x * 0.5 * erfc(-x / 2.0.squareRoot()) }
private func geluDerivativeTerms(_ x: Double) -> (cdf: Double, xpdf: Double) {
    (0.5 * erfc(-x / 2.0.squareRoot()), x * Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot())
}

@Suite("Vector transcendental functions against libm")
struct TranscendentalAccuracyTests {
    @Test func expIsWithinTwoUlp() {
        var rng = TestRandom(seed: 21)
        var x = grid(-87, 88, 70_001)
        x += (0..<20_000).map { _ in rng.float(-87, 88) }
        x += (0..<10_000).map { _ in rng.float(-1, 1) }
        var worst = 0, at: Float = 0
        var i = 0
        while i < x.count {
            var v = SIMD16<Float>(repeating: 0)
            for k in 0..<16 where i + k < x.count { v[k] = x[i + k] }
            let e = VectorMath.exp(v)
            for k in 0..<16 where i + k < x.count {
                let d = ulpDistance(e[k], Float(Foundation.exp(Double(v[k]))))
                if d > worst { worst = d; at = v[k] }
            }
            i += 16
        }
        #expect(worst <= 2, "exp: \(worst) ulp at \(at)")
    }

    @Test func tanhIsWithinTwoTenMillionthsRelative() {
        var rng = TestRandom(seed: 22)
        var x = grid(-10, 10, 200_001)
        x += grid(0.6, 0.65, 20_001)                  // the hand-over between the two forms
        x += grid(-1e-3, 1e-3, 10_001)                // where 1 − 2/(e²ˣ + 1) would cancel
        x += (0..<20_000).map { _ in rng.float(-20, 20) }
        x += [1e-30, -1e-30, .leastNormalMagnitude, 30, -30, 88, -88]
        let y = apply(Kernels.tanhForward, x)
        var worst = 0.0, at: Float = 0
        for (xi, yi) in zip(x, y) {
            let r = relativeDifference(Double(yi), Foundation.tanh(Double(xi)), floor: .leastNormalMagnitude)
            if r > worst { worst = r; at = xi }
        }
        #expect(worst <= 2e-7, "tanh: relative error \(worst) at \(at)")
        #expect(y.allSatisfy { abs($0) <= 1 }, "tanh leaves [−1, 1]")
    }

    @Test func geluForwardIsWithinItsBound() {
        var rng = TestRandom(seed: 23)
        var x = grid(-12.5, 10, 225_001)
        x += (0..<20_000).map { _ in rng.float(-12.5, 10) }
        let y = apply(Kernels.geluForward, x)
        var worstNearZero = 0.0, worstScaled = 0.0, at: Float = 0
        for (xi, yi) in zip(x, y) {
            let want = gelu(Double(xi))
            let r = relativeDifference(Double(yi), want, floor: .leastNormalMagnitude)
            if xi >= -1 { worstNearZero = max(worstNearZero, r) }
            let allowed = 5e-7 + 3 * u * Double(xi) * Double(xi)
            if r / allowed > worstScaled { worstScaled = r / allowed; at = xi }
        }
        #expect(worstNearZero <= 5e-7, "gelu, x ≥ −1: relative error \(worstNearZero)")
        #expect(worstScaled <= 1, "gelu: error is \(worstScaled)× its bound at \(at)")

        // The far negative tail: subnormal true values, absolute error only.
        let tail = grid(-40, -12.5, 10_001)
        for (xi, yi) in zip(tail, apply(Kernels.geluForward, tail)) {
            #expect(abs(Double(yi) - gelu(Double(xi))) <= 1e-34, "gelu(\(xi)) = \(yi)")
        }
        // Large positive x: GELU is the identity to the last bit.
        let big = grid(6, 80, 1001)
        #expect(apply(Kernels.geluForward, big) == big)
    }

    /// GELU′(x) = Φ(x) + x·φ(x) cancels near x ≈ −0.75, so its error is
    /// measured relative to |Φ| + |x·φ| (the condition of the sum).
    @Test func geluBackwardIsWithinItsBound() {
        var rng = TestRandom(seed: 24)
        var x = grid(-12.5, 10, 150_001)
        x += (0..<20_000).map { _ in rng.float(-12.5, 10) }
        let dy = (0..<x.count).map { _ in rng.float(0.5, 2) * (rng.next() & 1 == 0 ? 1 : -1) }
        var dx = [Float](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { px in
            dy.withUnsafeBufferPointer { pdy in dx.withUnsafeMutableBufferPointer { Kernels.geluBackward(px, pdy, $0) } }
        }
        var worstScaled = 0.0, at: Float = 0
        for i in x.indices {
            let (c, p) = geluDerivativeTerms(Double(x[i]))
            let err = abs(Double(dx[i]) - Double(dy[i]) * (c + p)) / (abs(Double(dy[i])) * (abs(c) + abs(p)))
            let allowed = 5e-7 + 3 * u * Double(x[i]) * Double(x[i])
            if err / allowed > worstScaled { worstScaled = err / allowed; at = x[i] }
        }
        #expect(worstScaled <= 1, "gelu backward: error is \(worstScaled)× its bound at \(x.isEmpty ? 0 : at)")
    }
}
