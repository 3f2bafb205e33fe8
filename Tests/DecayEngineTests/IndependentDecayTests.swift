import Foundation
import Testing
@testable import DecayEngine

// Independent decay in the AdamW paper's form: p ← p·(1 − η_t·λ), where η_t
// is the schedule's multiplier (this step's lr ÷ the optimizer's base lr).
// With every gradient exactly zero only the decay moves the weights, so a
// whole run has a closed form: w_T = w₀·Π_t (1 − η_t·λ).

/// A linear unit whose gradients are exactly zero: every input row is 0 (so
/// ∂L/∂w = Σ rᵢ·xᵢ = 0) and every target equals the bias (so r = 0 and
/// ∂L/∂b = 0). The bias is excluded from decay, so nothing but the decay
/// ever moves a parameter.
private func zeroGradientRun(kind: OptimizerSpec.Kind, lr: Float, mode: DecayMode, lambda: Float,
                             schedule: ScheduleShape, w0: [Float]) -> Experiment {
    let b0: Float = 0.375
    let zeros = [[Float]](repeating: [Float](repeating: 0, count: w0.count), count: 3)
    let data = handDataSet(trainX: zeros, trainY: [b0, b0, b0], valX: zeros, valY: [b0, b0, b0], classification: false)
    let network = Network(layers: [Linear(
        weight: Parameter(name: "w", group: .weights, shape: [1, w0.count], value: w0),
        bias: Parameter(name: "b", group: .biases, shape: [1], value: [b0]))])
    let settings = RunSettings(optimizer: OptimizerSpec(kind: kind, learningRate: lr), decay: mode,
                               weightDecay: lambda, groups: [.biases: false], schedule: schedule)
    return Experiment(spec: nil, data: data, network: network, runNames: ["zero gradient"], settings: [settings],
                      batches: .full, dropoutSeeds: [0], loss: .mse)
}

@Suite("Independent decay: the schedule's multiplier")
struct IndependentDecayTests {
    /// Under a cosine schedule (with warm-up) the product Π(1 − η_t·λ),
    /// η_t = the schedule's factor, is the whole story — for SGD and Adam,
    /// whatever the base lr: the shrink does not scale with it.
    @Test(arguments: [OptimizerSpec.Kind.sgd, .adamw])
    func zeroGradientFollowsTheCosineProduct(kind: OptimizerSpec.Kind) throws {
        let steps = 120, lambda: Float = 0.02
        let schedule = ScheduleShape.cosine(warmup: 10, total: steps, floor: 0)
        var rng = TestRandom(seed: 71)
        let w0 = rng.wideFloats(9)
        var product = 1.0
        for t in 1...steps { product *= 1 - schedule.factor(step: t) * Double(lambda) }
        // The schedule anneals (so a form that ignores it would differ) and
        // the product is far from both 1 and (1 − λ)^T.
        #expect(product > pow(1 - Double(lambda), Double(steps)) * 2 && product < 0.5)

        var ends: [[Float]] = []
        for lr: Float in [0.3, 0.001] {
            let e = zeroGradientRun(kind: kind, lr: lr, mode: .independent, lambda: lambda, schedule: schedule, w0: w0)
            e.advance(steps: steps)
            let run = e.runs[0]
            #expect(!run.status.isDiverged)
            let w = run.network.parameters[0].value, b = run.network.parameters[1].value
            #expect(b == [0.375], "the excluded bias moved")
            for (got, start) in zip(w, w0) {
                // T roundings of a float32 multiply, and η_t formed from the rounded lr_t.
                #expect(relativeDifference(Double(got), Double(start) * product, floor: 1e-30) <= 1e-5,
                        "\(kind) lr \(lr): \(got) vs \(Double(start) * product)")
            }
            // ‖decay's share of the step‖ at step t is η_t·λ·‖w‖ before the step.
            let entries = run.history
            let t = steps / 2
            let eta = schedule.factor(step: t)
            let before = entries[t - 2][.norm(.weights)]!
            let share = entries[t - 1][.decayShare(.weights)]!
            #expect(relativeDifference(Double(share), eta * Double(lambda) * Double(before), floor: 1e-12) <= 1e-5)
            ends.append(w)
        }
        // Base lrs 300× apart, identical trajectories up to the last bits of η_t.
        for (a, b) in zip(ends[0], ends[1]) {
            #expect(relativeDifference(Double(a), Double(b), floor: 1e-30) <= 1e-5)
        }
    }

    /// At a constant lr η_t = 1, so independent decay is p ← Float(1 − λ)·p,
    /// bit for bit, and decoupled decay with λ' = λ/lr is the same shrink.
    @Test func constantScheduleIsOneMinusLambda() {
        let rule = WeightDecay(mode: .independent, weightDecay: 0.01, learningRate: 0.1, baseLearningRate: 0.1)
        #expect(rule.scheduleMultiplier == 1)
        #expect(rule.shrinkFactor == Float(1 - 0.01 as Double))
        let half = WeightDecay(mode: .independent, weightDecay: 0.01, learningRate: 0.05, baseLearningRate: 0.1)
        #expect(half.shrinkFactor == Float(1 - 0.5 * 0.01 as Double))
        #expect(half.stepShareFactor == Float(0.5 * 0.01 as Double))
        // Decoupled's shrink is lr_t·λ: it does scale with the base lr.
        let decoupled = WeightDecay(mode: .decoupled, weightDecay: 0.01, learningRate: 0.05, baseLearningRate: 0.1)
        #expect(decoupled.shrinkFactor == Float(1 - Double(Float(0.05)) * Double(Float(0.01))))
        // No base lr to divide by: the schedule is invisible, η = 1.
        let frozen = WeightDecay(mode: .independent, weightDecay: 0.25, learningRate: 0, baseLearningRate: 0)
        #expect(frozen.shrinkFactor == 0.75)
    }

    /// A run's step-by-step lr list (an imported experiment) gives η_t as
    /// lr_t ÷ the optimizer's lr, exactly as reproduce.py forms it.
    @Test func importedRatesDivideByTheOptimizersLearningRate() {
        let w0: [Float] = [1, -2, 0.5]
        let e = zeroGradientRun(kind: .sgd, lr: 0.2, mode: .independent, lambda: 0.1, schedule: .constant, w0: w0)
        e.runs[0].learningRates = [0.2, 0.1, 0.05]
        e.advance(steps: 3)
        var want = w0
        for lr: Float in [0.2, 0.1, 0.05] {
            let f = Float(1 - Double(lr) / Double(Float(0.2)) * Double(Float(0.1)))
            want = want.map { $0 * f }
        }
        #expect(e.runs[0].network.parameters[0].value == want)
    }
}
