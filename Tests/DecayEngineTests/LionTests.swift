import Foundation
import Testing
@testable import DecayEngine
@testable import DecayKernels

// Lion (Chen et al., 2023): the SIMD kernel against the scalar reference and
// against the formula written out here, on random sizes with every tail; the
// closed forms of its update; and the optimizer seam that runs it.

/// The formula as `lion-pytorch` writes it, one element at a time:
///   p.mul_(1 − lr·λ); c = m·β₁ + (1 − β₁)·g; p.add_(sign(c), alpha: −lr);
///   m.mul_(β₂).add_(g, alpha: 1 − β₂)
private func lionByHand(_ p: inout [Float], _ m: inout [Float], _ g: [Float], lr: Float, beta1: Double, beta2: Double,
                        factor: Float?) {
    for i in p.indices {
        if let factor { p[i] = p[i] * factor }
        let c = Float(beta1) * m[i] + Float(1 - beta1) * g[i]
        let sign: Float = c > 0 ? 1 : (c < 0 ? -1 : c * 0)
        p[i] = p[i] - lr * sign
        m[i] = Float(beta2) * m[i] + Float(1 - beta2) * g[i]
    }
}

private func lionKernel(_ p: inout [Float], _ m: inout [Float], _ g: [Float], lr: Float, beta1: Double = 0.9,
                        beta2: Double = 0.99, factor: Float?, threads: Int = 1) {
    g.withUnsafeBufferPointer { pg in
        p.withUnsafeMutableBufferPointer { pp in
            m.withUnsafeMutableBufferPointer { pm in
                Kernels.lion(parameters: pp, gradients: pg, momentum: pm, learningRate: lr, beta1: beta1, beta2: beta2,
                             decayFactor: factor, threads: threads)
            }
        }
    }
}

@Suite("Lion")
struct LionTests {
    /// Random sizes, with every tail length 0…17 past 0–3 full chunks, with
    /// and without the fused decay: the kernel equals the scalar reference
    /// and the formula above to the bit.
    @Test(arguments: [nil, Float(0.999)])
    func kernelEqualsScalarReferenceAndFormula(factor: Float?) {
        var rng = TestRandom(seed: 41)
        var sizes = (0...3).flatMap { chunks in (0...17).map { chunks * 16 + $0 } }
        sizes += (0..<12).map { _ in Int(rng.next() % 3000) }
        for n in sizes {
            let lr = rng.float(1e-5, 1e-2)
            var p = rng.wideFloats(n), m = rng.floats(n, -0.1, 0.1)
            // Zero gradient and momentum in some places: sign(0) = 0.
            var g = rng.wideFloats(n)
            for i in stride(from: 0, to: n, by: 7) { g[i] = 0; m[i] = 0 }
            var refP = p, refM = m, handP = p, handM = m
            for _ in 0..<3 {
                lionKernel(&p, &m, g, lr: lr, factor: factor)
                _ = refP.withUnsafeMutableBufferPointer { pp in
                    refM.withUnsafeMutableBufferPointer { pm in
                        g.withUnsafeBufferPointer { pg in
                            ScalarReference.lion(parameters: pp, gradients: pg, momentum: pm, learningRate: lr,
                                                 beta1: 0.9, beta2: 0.99, decayFactor: factor)
                        }
                    }
                }
                lionByHand(&handP, &handM, g, lr: lr, beta1: 0.9, beta2: 0.99, factor: factor)
                g = rng.wideFloats(n)
            }
            #expect(bitwiseEqual(p, refP), "n=\(n): \(firstBitDifference(p, refP) ?? "")")
            #expect(bitwiseEqual(m, refM), "n=\(n): \(firstBitDifference(m, refM) ?? "")")
            #expect(bitwiseEqual(p, handP), "n=\(n): \(firstBitDifference(p, handP) ?? "")")
            #expect(bitwiseEqual(m, handM), "n=\(n): \(firstBitDifference(m, handM) ?? "")")
        }
    }

    /// Split over threads, the result does not change.
    @Test func threadsDoNotChangeTheResult() {
        var rng = TestRandom(seed: 7)
        let n = 3 * Kernels.parallelGrain + 13
        let g = rng.wideFloats(n)
        var p1 = rng.wideFloats(n), m1 = rng.floats(n)
        var p2 = p1, m2 = m1
        lionKernel(&p1, &m1, g, lr: 1e-3, factor: 0.99, threads: 1)
        lionKernel(&p2, &m2, g, lr: 1e-3, factor: 0.99, threads: 4)
        #expect(bitwiseEqual(p1, p2) && bitwiseEqual(m1, m2))
    }

    /// Every coordinate moves by exactly lr (sign ±1) or not at all (sign 0);
    /// NaN propagates.
    @Test func signsAndSpecialValues() {
        var p: [Float] = [1, 1, 1, 1, 1]
        var m: [Float] = [0, 0, 0, 1, 0]
        let g: [Float] = [2, -3, 0, -0.5, .nan]
        lionKernel(&p, &m, g, lr: 0.25, factor: nil)
        // c = 0.9·m + 0.1·g: 0.2, −0.3, 0, 0.85, NaN
        #expect(Array(p[0..<4]) == [0.75, 1.25, 1, 0.75])
        #expect(p[4].isNaN)
        #expect(m[2] == 0)
    }

    /// Constant gradient g ≠ 0 from m = 0: sign(c) = sign(g) at every step,
    /// so without decay p_t = p₀ − t·lr·sign(g); with decoupled decay
    /// p_t = f·p_{t−1} − lr·sign(g) with f = 1 − lr·λ.
    @Test func constantGradientClosedForm() {
        let lr: Float = 0.01, lambda: Float = 0.5
        for mode in [DecayMode.none, .decoupled] {
            let p = Parameter(name: "w", group: .weights, shape: [2], value: [1, -2])
            let opt = Optimizer(spec: OptimizerSpec(kind: .lion, learningRate: lr), parameters: [p])
            var expected: [Double] = [1, -2]
            let f = Double(Float(1 - Double(lr) * Double(lambda)))
            for _ in 0..<20 {
                p.gradient = [0.3, -0.7]
                opt.step([p], learningRate: lr, weightDecay: mode == .none ? 0 : lambda, mode: mode, decays: { _ in true })
                for i in 0..<2 {
                    let sign: Double = i == 0 ? 1 : -1
                    expected[i] = (mode == .none ? 1 : f) * expected[i] - Double(lr) * sign
                }
            }
            for i in 0..<2 { #expect(abs(Double(p.value[i]) - expected[i]) < 1e-5, "\(mode) \(i)") }
        }
    }

    /// The seam: Lion's defaults are `lion-pytorch`'s, its decay is
    /// decoupled, and the optimizer fuses the shrink into the kernel — the
    /// same numbers as scaling first, then a Lion step without decay.
    @Test func optimizerSeamRunsLionWithDecoupledDecay() {
        let spec = OptimizerSpec(kind: .lion, learningRate: 3e-4)
        #expect(spec.beta1 == 0.9 && spec.beta2 == 0.99)
        #expect(OptimizerSpec.Kind.lion.defaultDecay == .decoupled)
        #expect(OptimizerSpec.Kind.lion.defaultWeightDecay == 0)
        #expect(OptimizerSpec.Kind.lion.defaultLearningRate == 1e-4)
        #expect(OptimizerSpec.Kind.lion.makeRule(spec).stateBuffersPerParameter == 1)
        var rng = TestRandom(seed: 3)
        let start = rng.floats(37)
        let a = Parameter(name: "a", group: .weights, shape: [37], value: start)
        let b = Parameter(name: "b", group: .weights, shape: [37], value: start)
        let fused = Optimizer(spec: spec, parameters: [a])
        let split = Optimizer(spec: spec, parameters: [b])
        for _ in 0..<4 {
            let g = rng.floats(37)
            a.gradient = g
            b.gradient = g
            fused.step([a], learningRate: 3e-4, weightDecay: 2, mode: .decoupled, decays: { _ in true })
            let factor = Float(1 - 3e-4 * 2.0)
            b.value.withUnsafeMutableBufferPointer { Kernels.scale($0, by: factor) }
            split.step([b], learningRate: 3e-4, weightDecay: 0, mode: .none, decays: { _ in true })
        }
        #expect(bitwiseEqual(a.value, b.value))
    }

    /// A Lion experiment trains: the loss falls, runs stay finite, and a
    /// larger λ gives smaller weights.
    @Test func lionExperimentTrains() throws {
        let spec = ExperimentSpec(
            data: DataSpec(kind: .moons, trainCount: 64, validationCount: 64),
            model: ModelSpec(kind: .mlp, hidden: [16]),
            optimizer: OptimizerSpec(kind: .lion, learningRate: 3e-3), steps: 150,
            runs: [RunSpec(name: "λ=0", weightDecay: 0), RunSpec(name: "λ=3", weightDecay: 3)])
        let e = Experiment(spec: spec)
        e.advance(steps: 150)
        let first = try #require(e.runs[0].history.first?[.trainLoss]!)
        let last = try #require(e.runs[0].history.last?[.trainLoss]!)
        #expect(last < 0.7 * first)
        #expect(e.runs.allSatisfy { !$0.status.isDiverged })
        #expect(try #require(e.runs[1].norms[.weights]) < #require(e.runs[0].norms[.weights]))
        #expect(e.runs[1].settings.decay == .decoupled)
    }
}
