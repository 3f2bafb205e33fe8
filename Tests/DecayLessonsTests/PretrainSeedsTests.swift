import Testing
import Foundation
import DecayEngine
@testable import DecayLessons

/// A step that pretrains: its pretraining set has labels of its own (clean
/// unless `pretrain.label_noise` says otherwise), and its other seeds
/// (`seeds = N`, `--seed`) fine-tune the same pretrained model on other
/// draws of the fine-tuning data.
@Suite struct PretrainSeedsTests {
    static let block = """
        data = moons
        train = 40
        val = 60
        label_noise = 0.2
        model = mlp
        hidden = [8]
        optimizer = adamw
        lr = 0.01
        steps = 12
        batch = 10
        eval_every = 6
        pretrain.train = 300
        pretrain.steps = 20
        pretrain.batch = 50
        """

    static func spec(_ extra: String = "") throws -> ExperimentSpec {
        try parsed(step(block + extra)).steps[0].spec
    }

    /// A band of adapters on a pretrained model: every seed trains LoRA
    /// runs (the runs' different ranks included), each seed drawing its own
    /// A₀ as `decay-tutor run --seed` does, from the same pretrained weights.
    @Test func aBandOfAdaptersTrainsAdaptersAtEverySeed() throws {
        let spec = try Self.spec("""

            adapter = lora
            rank = 4
            alpha = 8
            seeds = 2

            [run "r 4"]

            [run "r 2"]
            rank = 2
            """)
        let band = SeededExperiment(spec: spec)
        band.advance(steps: 3)
        let other = try #require(band.extra.first)
        for (run, rank) in zip(other.runs, [4, 2]) {
            #expect(run.network.parameters.allSatisfy { $0.group == .adapters }, "\(run.name) trains the whole model")
            #expect(run.network.adapterLayers.allSatisfy { $0.layer.rank == rank })
        }
        let alone = Experiment(spec: try #require(spec.seedSpec(offset: 1)))
        alone.advance(steps: 3)
        #expect(other.runs.map { $0.history.map { $0[.trainLoss] } } == alone.runs.map { $0.history.map { $0[.trainLoss] } })
        let a0 = { (e: Experiment) in e.initialNetwork(ofRun: 1).adapterLayers[0].layer.loraA.value }
        #expect(a0(band.base) != a0(other), "each seed draws its own A₀")
        let frozen = { (e: Experiment) in e.initialNetwork(ofRun: 1).allParameters.filter(\.isFrozen).map(\.value) }
        #expect(frozen(band.base) == frozen(other), "one pretrained model for every seed")
    }

    @Test func labelNoiseKeyDefaultsToCleanAndIsChecked() throws {
        #expect(try Self.spec().pretrain?.labelNoise == 0)
        #expect(try Self.spec("\npretrain.label_noise = 0.1").pretrain?.labelNoise == 0.1)
        // The block is lines 8–21, so the added key is line 22.
        let range = errors(step(Self.block + "\npretrain.label_noise = 1"))
        #expect(range.count == 1 && range[0].line == 22 && range[0].message.contains("[0, 1)"), "\(range)")
        let regression = "data = linreg\nmodel = linear\noptimizer = sgd\npretrain.train = 100\npretrain.steps = 5\npretrain.label_noise = 0.1"
        let kind = errors(step(regression))
        #expect(kind.count == 1 && kind[0].line == 13 && kind[0].message.contains("classification"), "\(kind)")
    }

    /// The pretraining set's labels are its own: the fine-tuning set's 20 %
    /// flipped labels do not reach it, `pretrain.label_noise` does.
    @Test func pretrainingDoesNotCopyTheFineTuningLabelNoise() throws {
        let noisy = try Self.spec()
        var clean = noisy
        clean.data.labelNoise = 0
        let weights = { (s: ExperimentSpec) in Experiment(spec: s).initialNetwork.parameters.map(\.value) }
        #expect(weights(noisy) == weights(clean))
        let ownNoise = try Self.spec("\npretrain.label_noise = 0.3")
        #expect(weights(ownNoise) != weights(noisy))
        #expect(ownNoise.pretrain.map { $0.pretrainingSpec(for: ownNoise).data.labelNoise } == 0.3)
        #expect(noisy.pretrain.map { $0.pretrainingSpec(for: noisy).data.labelNoise } == 0)
    }

    /// Every seed of a band starts from the step's pretrained weights and
    /// draws its own fine-tuning examples, flipped labels and batch order.
    @Test func seedsDrawTheDataNotThePretraining() throws {
        let spec = try Self.spec("\nseeds = 3")
        let seeded = SeededExperiment(spec: spec, historyCapacity: 64)
        #expect(seeded.all.count == 3)
        let pretrained = seeded.base.initialNetwork.parameters.map(\.value)
        for e in seeded.extra {
            #expect(e.initialNetwork.parameters.map(\.value) == pretrained)
            #expect(e.data.trainX.storage != seeded.base.data.trainX.storage)
        }
        // The same data and weights as the step run alone at that seed with
        // its pretraining pinned, which is what `--seed` exports.
        let alone = Experiment(spec: Step(title: "s", prose: "", spec: spec).spec(applying: StepSettings(seed: spec.seed + 2)).singleSeed)
        #expect(alone.initialNetwork.parameters.map(\.value) == pretrained)
        #expect(alone.data.trainX.storage == seeded.extra[1].data.trainX.storage)
        #expect(alone.data.trainY.storage == seeded.extra[1].data.trainY.storage)
        seeded.advance(steps: spec.steps)
        alone.advance(steps: spec.steps)
        let a = alone.runs[0].history.last!, b = seeded.extra[1].runs[0].history.last!
        #expect(a[.trainLoss]?.bitPattern == b[.trainLoss]?.bitPattern && a[.validationLoss]?.bitPattern == b[.validationLoss]?.bitPattern)
        let ends = seeded.all.map { $0.runs[0].history.last![.validationLoss]! }
        #expect(Set(ends).count == 3, "each seed its own data: \(ends)")
    }

    /// An experiment built again (a restart of the tutor's step, a test)
    /// reuses the pretraining this process already did, bit for bit; a
    /// caller that does not ask to remember (the benchmark) trains again.
    @Test func aStepBuiltAgainReusesItsPretraining() throws {
        let spec = try Self.spec().replacing(pretrainSteps: 21)
        let first = Experiment(spec: spec), second = Experiment(spec: spec)
        guard case .computed = first.pretraining else { Issue.record("\(String(describing: first.pretraining))"); return }
        #expect(second.pretraining == .loaded)
        #expect(first.initialNetwork.parameters.map(\.value) == second.initialNetwork.parameters.map(\.value))
        let start = Experiment(spec: { var s = spec; s.pretrain = nil; return s }()).initialNetwork
        guard case .computed = Pretraining.pretrain(spec.pretrain!, experiment: spec, start: start, cacheDirectory: nil).1 else {
            Issue.record("without remember, pretraining runs"); return
        }
    }

    /// A step's export holds its own seed: one file cannot share the data
    /// of seeds that draw their own.
    @Test func flattenedPretrainingStepIsItsOwnSeed() throws {
        let spec = try Self.spec("\nseeds = 3")
        let e = SeededExperiment.flattened(spec: spec)
        #expect(e.runs.map(\.name) == spec.resolvedRuns.map(\.name))
        #expect(e.data.trainX.storage == DataSet.generate(spec.data, seed: spec.seed).trainX.storage)
    }
}

private extension ExperimentSpec {
    func replacing(pretrainSteps n: Int) -> ExperimentSpec {
        var s = self
        s.pretrain?.steps = n
        return s
    }
}
