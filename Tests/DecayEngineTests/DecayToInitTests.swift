import Foundation
import Testing
import DecayKernels
@testable import DecayEngine

// Decay toward the run's initial parameters p₀ (`decay_to = init`, L2-SP):
// the pull acts on d = p − p₀ exactly as ordinary decay acts on p. With a
// constant gradient g every mode has a closed form for d:
//   L2, SGD:            d ← d − lr·(g + λ·d)        d* = −g/λ
//   decoupled, SGD:     d ← (1 − lr·λ)·d − lr·g     d* = −g/λ
//   independent, SGD:   d ← (1 − λ)·d − lr·g        d* = −lr·g/λ  (η_t = 1)
// and from d₀ = 0:  d_t = d*·(1 − rᵗ), r the per-step factor.

@Suite("Decay toward the initial parameters")
struct DecayToInitTests {
    @Test(arguments: [DecayMode.l2, .decoupled, .independent])
    func constantGradientConvergesToTheShiftedFixedPoint(mode: DecayMode) {
        var rng = TestRandom(seed: 81)
        let n = 37, steps = 150
        // Independent decay's factor is λ itself: a smaller λ keeps its run unsettled too.
        let lr: Float = 0.05, lambda: Float = mode == .independent ? 0.01 : 0.2
        let p0 = rng.wideFloats(n), g = rng.wideFloats(n)
        let p = Parameter(name: "w", group: .weights, shape: [n], value: p0)
        let opt = Optimizer(spec: OptimizerSpec(kind: .sgd, learningRate: lr), parameters: [p])
        for _ in 1...steps {
            p.gradient = g
            opt.step([p], learningRate: lr, weightDecay: lambda, mode: mode, decays: { _ in true }, anchors: [p0])
        }
        let r = mode == .independent ? 1 - Double(lambda) : 1 - Double(lr) * Double(lambda)
        let scale = mode == .independent ? Double(lr) / Double(lambda) : 1 / Double(lambda)
        let grow = 1 - pow(r, Double(steps))
        #expect(grow > 0.5 && grow < 0.9999, "the run must be neither at the start nor settled: \(grow)")
        for i in 0..<n {
            let want = Double(p0[i]) - Double(g[i]) * scale * grow
            #expect(abs(Double(p.value[i]) - want) <= 1e-4 * max(abs(want), 1), "\(mode) [\(i)]: \(p.value[i]) vs \(want)")
        }
        // Toward zero the same run ends elsewhere: the anchor is what moved it.
        let q = Parameter(name: "w", group: .weights, shape: [n], value: p0)
        let plain = Optimizer(spec: OptimizerSpec(kind: .sgd, learningRate: lr), parameters: [q])
        for _ in 1...steps {
            q.gradient = g
            plain.step([q], learningRate: lr, weightDecay: lambda, mode: mode, decays: { _ in true })
        }
        #expect(zip(p.value, q.value).contains { abs($0 - $1) > 0.1 })
    }

    /// AdamW toward init with a constant gradient: Adam's step is
    /// lr·ĝ/(|ĝ| + ε) ≈ lr·sign(g) from the first step, so d settles at
    /// −sign(g)/λ per coordinate — λ alone sets how far fine-tuning may
    /// wander from p₀, whatever the lr.
    @Test func adamWTowardInitSettlesOneOverLambdaAway() {
        var rng = TestRandom(seed: 82)
        let n = 20, lambda: Float = 4
        let p0 = rng.wideFloats(n)
        let g = (0..<n).map { i in Float(i % 2 == 0 ? 1 : -1) * (0.5 + Float(i)) }
        for lr: Float in [0.01, 0.003] {
            let p = Parameter(name: "w", group: .weights, shape: [n], value: p0)
            let opt = Optimizer(spec: OptimizerSpec(kind: .adamw, learningRate: lr), parameters: [p])
            let steps = Int(12 / (Double(lr) * Double(lambda)))  // (1 − lr·λ)ᵗ < e⁻¹²
            for _ in 1...steps {
                p.gradient = g
                opt.step([p], learningRate: lr, weightDecay: lambda, mode: .decoupled, decays: { _ in true }, anchors: [p0])
            }
            for i in 0..<n {
                let want = Double(p0[i]) - (g[i] > 0 ? 1 : -1) / Double(lambda)
                // Float rounding near |p₀| ≤ 64, damped by lr·λ per step: ~1e-5·|p₀|.
                #expect(abs(Double(p.value[i]) - want) <= 1e-4 * max(abs(Double(p0[i])), 1),
                        "lr \(lr) [\(i)]: \(p.value[i]) vs \(want)")
            }
        }
    }

    /// With zero gradients a parameter on its anchor never moves (bit for
    /// bit), while decay toward zero shrinks it.
    @Test func zeroGradientStaysOnTheAnchor() {
        var rng = TestRandom(seed: 83)
        let p0 = rng.wideFloats(33)
        for mode in [DecayMode.l2, .decoupled, .independent] {
            let p = Parameter(name: "w", group: .weights, shape: [33], value: p0)
            let opt = Optimizer(spec: OptimizerSpec(kind: .adam, learningRate: 0.1), parameters: [p])
            for _ in 1...20 {
                p.zeroGradient()
                opt.step([p], learningRate: 0.1, weightDecay: 0.5, mode: mode, decays: { _ in true }, anchors: [p0])
            }
            #expect(p.value == p0, "\(mode)")
        }
    }

    /// A whole run: p₀ is kept only when needed; the penalty is
    /// (λ/2)·Σ‖w − w₀‖² over the decayed groups, the decay's share of the
    /// step lr·λ·‖w − w₀‖, `dist_init` ‖θ − θ₀‖ over everything.
    @Test func runMeasuresDistanceFromItsStart() throws {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .moons, trainCount: 40, validationCount: 20),
            model: ModelSpec(kind: .mlp, hidden: [8], activation: .tanh),
            optimizer: OptimizerSpec(kind: .adamw, learningRate: 0.02), weightDecay: 0.5, steps: 30,
            runs: [RunSpec(name: "toward init", decayTo: .initial), RunSpec(name: "toward zero")])
        spec.groups = [.biases: false]
        let e = Experiment(spec: spec)
        let anchored = e.runs[0], plain = e.runs[1]
        #expect(plain.initialParameters == nil, "a run decaying toward zero keeps no copy of θ₀")
        let theta0 = try #require(anchored.initialParameters)
        e.advance(steps: 10)
        #expect(plain.history.last?[.distanceFromInit] == nil)
        var decayed: Float = 0, all: Float = 0
        for (p, p0) in zip(anchored.network.parameters, theta0) {
            let s = zip(p.value, p0).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            all += s
            if p.group == .weights { decayed += s }
        }
        let d = try #require(anchored.history.last?[.distanceFromInit])
        #expect(abs(d - all.squareRoot()) <= 1e-5 * d)
        #expect(anchored.history.last![.distanceFromInit] == d)
        e.advance()
        let entry = try #require(anchored.history.last)
        #expect(abs(entry[.penalty]! - 0.25 * decayed) <= 1e-4 * entry[.penalty]!, "\(entry[.penalty]!) vs \(0.25 * decayed)")
        let share = try #require(entry[.decayShare(.weights)])
        #expect(abs(share - 0.02 * 0.5 * decayed.squareRoot()) <= 1e-4 * share)
        // Step 1 starts on the anchor: nothing to pull, no penalty.
        #expect(anchored.history[0][.penalty]! == 0)
        #expect(plain.history[0][.penalty]! > 0)
    }

    /// The kernels against plain loops, every tail length.
    @Test func anchorKernelsMatchScalarLoops() {
        var rng = TestRandom(seed: 84)
        for n in 0...70 {
            let x = rng.wideFloats(n), x0 = rng.wideFloats(n), g = rng.wideFloats(n)
            var got = g
            x.withUnsafeBufferPointer { px in x0.withUnsafeBufferPointer { p0 in
                got.withUnsafeMutableBufferPointer { Kernels.axpyDifference(0.3, px, anchor: p0, into: $0) } } }
            #expect(got == (0..<n).map { g[$0] + 0.3 * (x[$0] - x0[$0]) })
            var pulled = x
            x0.withUnsafeBufferPointer { p0 in pulled.withUnsafeMutableBufferPointer { Kernels.pullToward($0, anchor: p0, by: 0.1) } }
            #expect(pulled == (0..<n).map { x[$0] - 0.1 * (x[$0] - x0[$0]) })
            let s = x.withUnsafeBufferPointer { px in x0.withUnsafeBufferPointer { Kernels.squaredDistance(px, $0) } }
            let want = (0..<n).reduce(0.0) { $0 + Double(x[$1] - x0[$1]) * Double(x[$1] - x0[$1]) }
            #expect(abs(Double(s) - want) <= 1e-5 * max(want, 1e-30), "n \(n)")
        }
    }
}
