import Testing
import Foundation
import DecayEngine
@testable import DecayLessons

@Suite struct Lesson5ClaimsTests {

    /// "The LayerNorm gains of the first run end below 0.9 on average; those
    /// of the second end above 1.1." And switching `norms` off mid-run stops
    /// the shrinking.
    @Test func l5LayerNormGain() throws {
        let spec = try load("05-what-to-decay.md").steps[0].spec
        let e = trained(spec)
        #expect(meanGain(e.initialNetwork) == 1)
        #expect(meanGain(run(e, "decay everything").network) < 0.9)
        #expect(meanGain(run(e, "skip norms and biases").network) > 1.1)

        var quiet = spec
        quiet.evaluationInterval = spec.steps
        let toggled = Experiment(spec: quiet)
        toggled.advance(steps: 300)
        let atSwitch = meanGain(run(toggled, "decay everything").network)
        toggled.setDecay(.norms, false)
        toggled.advance(steps: 300)
        #expect(meanGain(run(toggled, "decay everything").network) > atSwitch)
    }

    /// "its validation loss ends 1.5 to 2.5 times higher than *embeddings
    /// decayed*, in each of the 5 seeds … while its training loss falls far
    /// lower"; "The table holds 1,600 of this model's 1,760 weights"; "Both
    /// decayed runs end well below *no decay*."
    @Test(arguments: claimSeeds) func l5SparingTheTableUnderAdamL2(seed: UInt64) throws {
        var spec = try load("05-what-to-decay.md").steps[1].spec
        spec.seed = seed
        #expect(spec.optimizer.kind == .adam && spec.decay == .l2 && spec.weightDecay == 0.01)
        let e = trained(spec)
        #expect(e.data.trainX.rows == 300)
        let weights = e.initialNetwork.parameters.filter { $0.group == .weights || $0.group == .embeddings }
        #expect(weights.map(\.count).reduce(0, +) == 1760)
        #expect(e.initialNetwork.parameters.filter { $0.group == .embeddings }.map(\.count) == [1600])
        func losses(_ name: String) -> (train: Float, val: Float) {
            let r = run(e, name)
            return (r.evaluate(x: e.data.trainX, y: e.data.trainY).loss, r.evaluate(x: e.data.validationX, y: e.data.validationY).loss)
        }
        let decayed = losses("embeddings decayed"), spared = losses("embeddings not decayed"), none = losses("no decay")
        #expect(!run(e, "embeddings not decayed").settings.decays(.embeddings) && run(e, "embeddings decayed").settings.decays(.embeddings))
        let ratio = spared.val / decayed.val
        #expect(ratio > 1.5 && ratio < 2.5, "seed \(seed): \(spared) vs \(decayed)")
        #expect(spared.train < 0.5 * decayed.train, "seed \(seed)")
        #expect(spared.val < 0.6 * none.val && decayed.val < 0.6 * none.val, "seed \(seed): \(none)")
    }

    /// "decay everything ends with its LayerNorm gains below their starting
    /// value of 1 on average; under the common rule they end above it."
    @Test func l5CommonRule() throws {
        let step = try load("05-what-to-decay.md").steps[2]
        let e = trained(step.spec)
        let all = meanGain(run(e, "decay everything").network), rule = meanGain(run(e, "the common rule").network)
        #expect(all < 1 && rule > 1, "\(rule) vs \(all)")
        #expect(run(e, "the common rule").settings.decays(.embeddings) && !run(e, "the common rule").settings.decays(.norms))
    }
}
