import DecayKernels

/// Pretraining before an experiment: the experiment's model is first trained
/// on a larger data set of the same kind (drawn with its own seed), and every
/// run starts from the result. Decay toward init then pulls toward these
/// pretrained parameters, and an export carries them as the initial ones.
public struct PretrainSpec: Sendable, Equatable {
    /// Training examples of the pretraining set.
    public var trainCount: Int
    public var steps: Int
    /// Kind and lr; the kind's PyTorch defaults otherwise.
    public var optimizer: OptimizerSpec
    /// λ (the optimizer's own decay mode), every group decayed as the
    /// experiment's `groups` say.
    public var weightDecay: Float
    /// nil: full batch.
    public var batchSize: Int?
    /// Fraction of the pretraining set's labels flipped (classification).
    /// Its own, not the experiment's: a large pretraining set is usually
    /// cleaner than the small one fine-tuned on, so the default is 0.
    public var labelNoise: Float = 0
    /// The experiment seed this pretraining belongs to: it draws the
    /// starting weights, the pretraining set and its batches. nil: the
    /// experiment's own seed. A step's other seeds (`seeds = N`, `--seed`)
    /// pin it to the step's, so they fine-tune the same pretrained model on
    /// other draws of the fine-tuning data.
    public var experimentSeed: UInt64? = nil

    public init(trainCount: Int = 4000, steps: Int = 300, optimizer: OptimizerSpec = OptimizerSpec(kind: .adamw, learningRate: 0.003),
                weightDecay: Float = 0.01, batchSize: Int? = 64) {
        self.trainCount = trainCount
        self.steps = steps
        self.optimizer = optimizer
        self.weightDecay = weightDecay
        self.batchSize = batchSize
    }

    /// The experiment that pretrains: the target experiment's data kind and
    /// model, this spec's size, optimizer, length and label noise, a cosine
    /// schedule to zero, a seed of its own (so the pretraining set is not
    /// the fine-tuning set), validation only at the end.
    public func pretrainingSpec(for e: ExperimentSpec) -> ExperimentSpec {
        var data = e.data
        data.labelNoise = labelNoise
        // A related task (`related = ρ`) is fine-tuned from its base task.
        if data.taskCorrelation != nil { data.taskCorrelation = 1 }
        data.trainCount = trainCount
        data.validationCount = min(e.data.validationCount, 200)
        var spec = ExperimentSpec(
            data: data, model: e.model, optimizer: optimizer, weightDecay: weightDecay, dropout: 0, groups: e.groups,
            schedule: .cosine(warmup: 0, total: steps, floor: 0), steps: steps,
            batchSize: batchSize.flatMap { $0 < trainCount ? $0 : nil }, seed: Self.seed(for: ownerSeed(of: e)),
            evaluationInterval: steps, runs: [RunSpec(name: "pretraining")])
        spec.pretrain = nil
        return spec
    }

    /// The experiment seed pretraining draws from (see `experimentSeed`).
    public func ownerSeed(of e: ExperimentSpec) -> UInt64 { experimentSeed ?? e.seed }

    /// This pretraining pinned to `e`'s seed (kept if already pinned).
    public func pinned(to e: ExperimentSpec) -> PretrainSpec {
        var p = self
        p.experimentSeed = ownerSeed(of: e)
        return p
    }

    /// The pretraining seed: derived from the experiment's, never equal to it.
    static func seed(for seed: UInt64) -> UInt64 { (DropoutHash.mix(seed ^ 0x5052_4554_5241_494E) >> 11) | 1 << 52 }
}
