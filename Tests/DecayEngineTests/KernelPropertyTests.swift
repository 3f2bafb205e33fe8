import Foundation
import Testing
@testable import DecayEngine
@testable import DecayKernels
import SeededRandom

// Every `Kernels` function against a plain scalar loop written here, on
// seeded random data of every length 0…67: 0–4 SIMD16 chunks plus every tail
// length 0–15, and for the 32-wide reductions both the paired and the single
// trailing chunk. Elementwise kernels without transcendental functions must
// agree to the bit: they do the same IEEE operations in the same order, only
// 16 lanes at a time. Reductions may reassociate, so they are held to the
// classic summation bound instead.

private let lengths = Array(0...67) + [100, 255, 256, 257, 1000]

/// Rounding unit of Float (half an ulp of 1).
private let u = Double(Float.ulpOfOne) / 2

@Suite("Kernels equal their scalar reference")
struct KernelPropertyTests {
    @Test func scaleIsExact() {
        var rng = TestRandom(seed: 1)
        for n in lengths {
            let x = rng.wideFloats(n)
            let a = rng.float(-3, 3)
            var got = x
            got.withUnsafeMutableBufferPointer { Kernels.scale($0, by: a) }
            let want = x.map { $0 * a }
            #expect(bitwiseEqual(got, want), "scale n=\(n): \(firstBitDifference(got, want) ?? "")")
        }
    }

    @Test func rootQuotientIsExact() {
        var rng = TestRandom(seed: 41)
        for n in lengths {
            let a = rng.wideFloats(n), b = rng.floats(n, 0, 4)
            let k = rng.float(0.5, 40)
            var got = [Float](repeating: .nan, count: n)
            a.read { pa in b.read { pb in got.withUnsafeMutableBufferPointer {
                Kernels.rootQuotient(pa, pb, scale: k, epsilon: 1e-8, into: $0)
            } } }
            let want = zip(a, b).map { ai, bi in ai / (bi.squareRoot() * k + 1e-8) }
            #expect(bitwiseEqual(got, want), "rootQuotient n=\(n): \(firstBitDifference(got, want) ?? "")")
        }
    }

    /// The FMA-peak loop `bench` times the products against does the
    /// multiply-adds it claims: its sum is the closed form Σ a·(b₀ + b₁)
    /// over every iteration, chain and lane. A loop cut short (or folded
    /// away) would be off by whole iterations, far outside the tolerance.
    @Test func fmaPeakDoesEveryMultiplyAdd() {
        let a = (0..<48).map { Float($0 % 11) * 0.01 + 0.003 }
        for fmas in [0, 96, 96 * 7 + 50, 819_200] {
            let got = a.withUnsafeBufferPointer { Kernels.fmaPeak(fmas: fmas, a: $0.baseAddress!) }
            var want = 0.0
            for i in 0..<(fmas / 96) {
                for j in 0..<6 { want += Double(a[(i & 7) * 6 + j]) * (0.999 + 1.001) * 8 }
            }
            #expect(abs(Double(got) - want) <= 1e-4 * max(1, want), "fmaPeak(\(fmas)) = \(got), closed form \(want)")
        }
    }

    @Test func axpyIsExact() {
        var rng = TestRandom(seed: 2)
        for n in lengths {
            let x = rng.wideFloats(n), y = rng.wideFloats(n)
            let a = rng.float(-3, 3)
            var got = y
            x.read { px in got.withUnsafeMutableBufferPointer { Kernels.axpy(a, px, into: $0) } }
            let want = zip(x, y).map { xi, yi in yi + a * xi }
            #expect(bitwiseEqual(got, want), "axpy n=\(n): \(firstBitDifference(got, want) ?? "")")
        }
    }

    @Test func multiplyIsExact() {
        var rng = TestRandom(seed: 3)
        for n in lengths {
            let x = rng.wideFloats(n), y = rng.wideFloats(n)
            var got = [Float](repeating: .nan, count: n)
            x.read { px in y.read { py in got.withUnsafeMutableBufferPointer { Kernels.multiply(px, py, into: $0) } } }
            let want = zip(x, y).map { $0 * $1 }
            #expect(bitwiseEqual(got, want), "multiply n=\(n): \(firstBitDifference(got, want) ?? "")")
        }
    }

    @Test func zeroClearsEverything() {
        var rng = TestRandom(seed: 4)
        for n in lengths {
            var x = rng.wideFloats(n)
            x.withUnsafeMutableBufferPointer { Kernels.zero($0) }
            #expect(x.allSatisfy { $0.bitPattern == 0 }, "zero n=\(n)")
        }
    }

    // MARK: Reductions

    /// Any order of summing n products (or terms) in Float is within
    /// γ·Σ|terms| of the exact sum, γ = (n + 1)·u / (1 − (n + 1)·u)
    /// (Higham, Accuracy and Stability, §3.1; +1 for the product's rounding).
    private func summationBound(_ terms: [Double]) -> Double {
        let k = Double(terms.count + 1) * u
        return k / (1 - k) * terms.reduce(0) { $0 + abs($1) }
    }

    @Test func dotIsWithinTheSummationBound() {
        var rng = TestRandom(seed: 5)
        var worst = 0.0
        for n in lengths {
            let x = rng.wideFloats(n), y = rng.wideFloats(n)
            let got = x.read { px in y.read { py in Kernels.dot(px, py) } }
            let terms = zip(x, y).map { Double($0) * Double($1) }
            let exact = terms.reduce(0, +)
            let bound = summationBound(terms)
            #expect(abs(Double(got) - exact) <= bound, "dot n=\(n): \(got) vs exact \(exact), bound \(bound)")
            let scale = terms.reduce(0) { $0 + abs($1) }
            if scale > 0 { worst = max(worst, abs(Double(got) - exact) / scale) }
        }
        // The observed error relative to Σ|xᵢyᵢ| stays near u·√depth, far below
        // the worst case; 1e-6 still leaves a margin of several times.
        #expect(worst < 1e-6, "dot: worst error relative to Σ|xy| is \(worst)")
    }

    @Test func sumOfSquaresIsWithinOneMillionth() {
        var rng = TestRandom(seed: 6)
        for n in lengths {
            let x = rng.wideFloats(n)
            let got = x.read { Kernels.sumOfSquares($0) }
            let exact = x.reduce(0.0) { $0 + Double($1) * Double($1) }
            if n == 0 { #expect(got == 0); continue }
            // All terms are positive, so the bound is relative to the value itself.
            #expect(relativeDifference(Double(got), exact, floor: 0) <= 1e-6, "sumOfSquares n=\(n): \(got) vs \(exact)")
            #expect(abs(Double(got) - exact) <= summationBound(x.map { Double($0) * Double($0) }))
        }
    }

    @Test func sumIsWithinTheSummationBound() {
        var rng = TestRandom(seed: 7)
        for n in lengths {
            let x = rng.wideFloats(n)
            let got = x.read { Kernels.sum($0) }
            let terms = x.map(Double.init)
            let exact = terms.reduce(0, +)
            #expect(abs(Double(got) - exact) <= summationBound(terms), "sum n=\(n): \(got) vs \(exact)")
            // Positive data: an ordinary relative error.
            let positive = x.map(abs)
            let gotPositive = positive.read { Kernels.sum($0) }
            let exactPositive = positive.reduce(0.0) { $0 + Double($1) }
            if n > 0 {
                #expect(relativeDifference(Double(gotPositive), exactPositive, floor: 0) <= 1e-6, "sum n=\(n)")
            }
        }
    }

    // MARK: Activations without transcendental functions

    @Test func reluForwardAndBackwardAreExact() {
        var rng = TestRandom(seed: 8)
        for n in lengths {
            var x = rng.wideFloats(n)
            for i in stride(from: 0, to: n, by: 7) { x[i] = 0 }   // the kink itself
            var y = [Float](repeating: .nan, count: n)
            x.read { px in y.withUnsafeMutableBufferPointer { Kernels.reluForward(px, $0) } }
            for i in 0..<n {
                let want: Float = x[i] > 0 ? x[i] : 0
                #expect(y[i] == want, "relu n=\(n) i=\(i): \(y[i]) vs \(want)")
            }
            let dy = rng.wideFloats(n)
            var dx = [Float](repeating: .nan, count: n)
            y.read { py in dy.read { pdy in dx.withUnsafeMutableBufferPointer { Kernels.reluBackward(py, pdy, $0) } } }
            // PyTorch's convention: the gradient at exactly 0 is 0.
            let want = (0..<n).map { y[$0] > 0 ? dy[$0] : 0 }
            #expect(bitwiseEqual(dx, want), "relu backward n=\(n): \(firstBitDifference(dx, want) ?? "")")
        }
    }

    /// NaN must come out of an activation as NaN wherever it sits, as in
    /// PyTorch (torch.relu(nan) is nan) and in the kernels' own scalar tails:
    /// a NaN zeroed in the vector body but kept in the tail makes divergence
    /// detection depend on the layer width.
    @Test func activationsPropagateNaNAtEveryPosition() {
        let kernels: [(String, (Kernels.ReadBuffer, Kernels.Buffer) -> Void)] = [
            ("relu", Kernels.reluForward), ("tanh", Kernels.tanhForward), ("gelu", Kernels.geluForward),
        ]
        for (name, f) in kernels {
            var lost: [String] = []
            for n in 1...33 {
                let x = [Float](repeating: .nan, count: n)
                var y = [Float](repeating: 0, count: n)
                x.read { px in y.withUnsafeMutableBufferPointer { f(px, $0) } }
                let zeroed = y.indices.filter { !y[$0].isNaN }
                if !zeroed.isEmpty { lost.append("n=\(n): \(zeroed.first!)…\(zeroed.last!)") }
            }
            #expect(lost.isEmpty, "\(name)(NaN) is not NaN at \(lost.prefix(3).joined(separator: "; "))…")
        }
        // Infinities: tanh saturates, GELU(+∞) = +∞, ReLU(+∞) = +∞, ReLU(−∞) = 0.
        let x: [Float] = Array([Float.infinity, -.infinity] + Array(repeating: 1, count: 14) + [.infinity, -.infinity])
        var y = [Float](repeating: 0, count: x.count)
        x.read { px in y.withUnsafeMutableBufferPointer { Kernels.tanhForward(px, $0) } }
        #expect([y[0], y[1], y[16], y[17]] == [1, -1, 1, -1])
        x.read { px in y.withUnsafeMutableBufferPointer { Kernels.reluForward(px, $0) } }
        #expect([y[0], y[1], y[16], y[17]] == [.infinity, 0, .infinity, 0])
        x.read { px in y.withUnsafeMutableBufferPointer { Kernels.geluForward(px, $0) } }
        #expect(y[0] == .infinity && y[16] == .infinity)
    }

    @Test func tanhBackwardIsExact() {
        var rng = TestRandom(seed: 9)
        for n in lengths {
            let y = rng.floats(n, -1, 1), dy = rng.wideFloats(n)
            var dx = [Float](repeating: .nan, count: n)
            y.read { py in dy.read { pdy in dx.withUnsafeMutableBufferPointer { Kernels.tanhBackward(py, pdy, $0) } } }
            let want = zip(y, dy).map { yi, g in g * (1 - yi * yi) }
            #expect(bitwiseEqual(dx, want), "tanh backward n=\(n): \(firstBitDifference(dx, want) ?? "")")
        }
    }

    /// tanh and GELU run their tails through the same vector code as the body,
    /// so an element's value must not depend on its position or on the length.
    @Test func transcendentalKernelsDoNotDependOnPosition() {
        var rng = TestRandom(seed: 10)
        func alone(_ v: Float, _ f: (Kernels.ReadBuffer, Kernels.Buffer) -> Void) -> Float {
            var out: [Float] = [0]
            [v].read { px in out.withUnsafeMutableBufferPointer { f(px, $0) } }
            return out[0]
        }
        let forwards: [(String, (Kernels.ReadBuffer, Kernels.Buffer) -> Void)] = [
            ("tanh", Kernels.tanhForward), ("gelu", Kernels.geluForward),
        ]
        for (name, f) in forwards {
            for n in Array(0...67) {
                let x = rng.floats(n, -6, 6)
                var y = [Float](repeating: .nan, count: n)
                x.read { px in y.withUnsafeMutableBufferPointer { f(px, $0) } }
                let want = x.map { alone($0, f) }
                #expect(bitwiseEqual(y, want), "\(name) n=\(n): \(firstBitDifference(y, want) ?? "")")
            }
        }
        for n in Array(0...67) {
            let x = rng.floats(n, -6, 6), dy = rng.floats(n)
            var dx = [Float](repeating: .nan, count: n)
            x.read { px in dy.read { pdy in dx.withUnsafeMutableBufferPointer { Kernels.geluBackward(px, pdy, $0) } } }
            for i in 0..<n {
                var one: [Float] = [0]
                [x[i]].read { px in [dy[i]].read { pdy in one.withUnsafeMutableBufferPointer { Kernels.geluBackward(px, pdy, $0) } } }
                #expect(dx[i].bitPattern == one[0].bitPattern, "gelu backward n=\(n) i=\(i)")
            }
        }
    }

    // MARK: Dropout

    /// SplitMix64's output function, from the tests' own definition
    /// (Steele, Lea & Flood 2014), not taken from the engine.
    private func splitMix(_ z: UInt64) -> UInt64 { SplitMix64.mix(z) }

    @Test func dropoutHashMatchesItsDefinition() {
        var rng = TestRandom(seed: 11)
        for _ in 0..<1000 {
            let z = rng.next()
            #expect(DropoutHash.mix(z) == splitMix(z))
        }
        // SplitMix64 seeded with 0 starts 0xE220A8397B1DCDAF (the published
        // first output of the reference implementation).
        #expect(DropoutHash.mix(0) == 0xE220_A839_7B1D_CDAF)
        for _ in 0..<100 {
            let seed = rng.next(), step = rng.int(100_000) + 1, layer = rng.int(16)
            let want = splitMix(seed ^ splitMix(UInt64(step) &* 0x100000001B3 &+ UInt64(layer)))
            #expect(DropoutHash.key(seed: seed, step: step, layer: layer) == want)
        }
    }

    /// The threshold is ⌊p·2²⁴⌋ of the *Float* p. For p = 0.3 that is
    /// 5033165, one more than ⌊0.3·2²⁴⌋ = 5033164 with a Double p: a
    /// reimplementation must round p to float32 first.
    @Test func dropoutThresholdUsesTheFloatP() {
        #expect(DropoutHash.threshold(p: 0.3) == 5_033_165)
        #expect(UInt64((0.3 * 16_777_216.0).rounded(.down)) == 5_033_164)
        #expect(DropoutHash.threshold(p: 0.5) == 8_388_608)
        #expect(DropoutHash.threshold(p: 0) == 0)
        var rng = TestRandom(seed: 12)
        for _ in 0..<1000 {
            let p = rng.float(0, 1)
            // Float(p)·2²⁴ is exact (a power-of-two scaling), so its floor is exact too.
            #expect(DropoutHash.threshold(p: p) == UInt64((p * 16_777_216).rounded(.down)))
        }
    }

    @Test func dropoutMaskEqualsTheScalarHash() {
        var rng = TestRandom(seed: 13)
        for n in lengths {
            for p in [Float(0.1), 0.3, 0.5, 0.9] {
                let key = rng.next()
                var mask = [Float](repeating: .nan, count: n)
                mask.withUnsafeMutableBufferPointer { Kernels.dropoutMask($0, key: key, p: p) }
                let threshold = UInt64((p * 16_777_216).rounded(.down))
                let keep = 1 / (1 - p)
                let want = (0..<n).map { i -> Float in splitMix(key &+ UInt64(i)) >> 40 >= threshold ? keep : 0 }
                #expect(bitwiseEqual(mask, want), "dropout n=\(n) p=\(p): \(firstBitDifference(mask, want) ?? "")")
            }
        }
    }

    @Test func dropoutKeepsAboutOneMinusP() {
        let n = 100_000
        for p in [Float(0.2), 0.5, 0.8] {
            var mask = [Float](repeating: 0, count: n)
            mask.withUnsafeMutableBufferPointer { Kernels.dropoutMask($0, key: 12345, p: p) }
            let kept = Double(mask.filter { $0 != 0 }.count) / Double(n)
            let sigma = (Double(p) * Double(1 - p) / Double(n)).squareRoot()
            #expect(abs(kept - Double(1 - p)) < 5 * sigma, "p=\(p): kept \(kept)")
            // Inverted dropout keeps the expectation: mean of the mask ≈ 1.
            #expect(abs(mask.reduce(0.0) { $0 + Double($1) } / Double(n) - 1) < 5 * sigma / Double(1 - p))
        }
    }

    // MARK: Optimizer updates

    @Test func sgdIsExact() {
        var rng = TestRandom(seed: 14)
        for n in lengths {
            let p0 = rng.wideFloats(n), g = rng.wideFloats(n)
            let lr = rng.float(0.001, 1)
            var p = p0
            g.read { pg in p.withUnsafeMutableBufferPointer { Kernels.sgd(parameters: $0, gradients: pg, learningRate: lr) } }
            let want = zip(p0, g).map { pi, gi in pi - lr * gi }
            #expect(bitwiseEqual(p, want), "sgd n=\(n): \(firstBitDifference(p, want) ?? "")")
        }
    }

    /// torch.optim.SGD (dampening 0): on the first step the buffer is a clone
    /// of the gradient, whatever it held before; then b ← μ·b + g;
    /// d = g + μ·b with Nesterov, else b; p ← p − lr·d.
    @Test(arguments: [false, true])
    func sgdMomentumIsExact(nesterov: Bool) {
        var rng = TestRandom(seed: nesterov ? 15 : 16)
        for n in lengths {
            let mu = rng.float(0.5, 0.99), lr = rng.float(0.001, 0.5)
            var p = rng.wideFloats(n)
            var buffer = rng.wideFloats(n)   // garbage: the first step must ignore it
            var refP = p, refB = buffer
            for step in 1...4 {
                let g = rng.wideFloats(n)
                g.read { pg in
                    p.withUnsafeMutableBufferPointer { pp in
                        buffer.withUnsafeMutableBufferPointer { pb in
                            Kernels.sgdMomentum(parameters: pp, gradients: pg, momentumBuffer: pb, learningRate: lr,
                                                momentum: mu, nesterov: nesterov, firstStep: step == 1)
                        }
                    }
                }
                for i in 0..<n {
                    refB[i] = step == 1 ? g[i] : mu * refB[i] + g[i]
                    let d = nesterov ? g[i] + mu * refB[i] : refB[i]
                    refP[i] = refP[i] - lr * d
                }
                #expect(bitwiseEqual(buffer, refB), "momentum buffer n=\(n) step \(step): \(firstBitDifference(buffer, refB) ?? "")")
                #expect(bitwiseEqual(p, refP), "momentum params n=\(n) step \(step): \(firstBitDifference(p, refP) ?? "")")
            }
        }
    }

    /// torch.optim.Adam's single-tensor arithmetic, line by line:
    ///   m.lerp_(g, 1 − β₁)            → m + (1 − β₁)·(g − m)
    ///   v.mul_(β₂).addcmul_(g, g, 1 − β₂)
    ///   step_size = lr / (1 − β₁ᵗ);  c₂ = √(1 − β₂ᵗ)   (Python floats)
    ///   denom = √v / c₂ + ε;  p ← p − step_size·(m / denom)
    @Test func adamIsExact() {
        var rng = TestRandom(seed: 17)
        for n in lengths {
            let lr = Double(rng.float(1e-4, 1e-1)), b1 = 0.9, b2 = 0.999, eps = 1e-8
            var p = rng.wideFloats(n)
            var m = [Float](repeating: 0, count: n), v = m
            var refP = p, refM = m, refV = v
            for t in 1...5 {
                let g = rng.wideFloats(n)
                g.read { pg in
                    p.withUnsafeMutableBufferPointer { pp in
                        m.withUnsafeMutableBufferPointer { pm in
                            v.withUnsafeMutableBufferPointer { pv in
                                Kernels.adam(parameters: pp, gradients: pg, firstMoment: pm, secondMoment: pv,
                                             learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, step: t)
                            }
                        }
                    }
                }
                let stepSize = Float(lr / (1 - pow(b1, Double(t))))
                let inverseC2Root = Float(1 / (1 - pow(b2, Double(t))).squareRoot())
                for i in 0..<n {
                    refM[i] = refM[i] + Float(1 - b1) * (g[i] - refM[i])
                    refV[i] = Float(b2) * refV[i] + Float(1 - b2) * (g[i] * g[i])
                    refP[i] = refP[i] - stepSize * (refM[i] / (refV[i].squareRoot() * inverseC2Root + Float(eps)))
                }
                #expect(bitwiseEqual(m, refM), "adam m n=\(n) t=\(t): \(firstBitDifference(m, refM) ?? "")")
                #expect(bitwiseEqual(v, refV), "adam v n=\(n) t=\(t): \(firstBitDifference(v, refV) ?? "")")
                #expect(bitwiseEqual(p, refP), "adam p n=\(n) t=\(t): \(firstBitDifference(p, refP) ?? "")")
            }
        }
    }
}
