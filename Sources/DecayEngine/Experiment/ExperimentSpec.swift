/// A control the learner can move while runs train. The one mapping from a
/// control to the fields it drives: the lesson-file key, the experiment's
/// starting value, the run's pin and the live setting.
public enum Control: String, Sendable, CaseIterable, Codable {
    case lambda
    case learningRate = "lr"
    case dropout
    /// lora_dropout: dropout on the input of every LoRA adapter.
    case loraDropout = "lora_dropout"

    /// The lesson-file key that sets (and, in a run, pins) this value.
    public var lessonKey: String {
        switch self {
        case .lambda: "lambda"
        case .learningRate: "lr"
        case .dropout: "dropout"
        case .loraDropout: "lora_dropout"
        }
    }

    /// The experiment's starting value.
    public var specField: WritableKeyPath<ExperimentSpec, Float> {
        switch self {
        case .lambda: \.weightDecay
        case .learningRate: \.optimizer.learningRate
        case .dropout: \.dropout
        case .loraDropout: \.loraDropout
        }
    }

    /// A run's own value, which pins the control for that run.
    public var runField: WritableKeyPath<RunSpec, Float?> {
        switch self {
        case .lambda: \.weightDecay
        case .learningRate: \.learningRate
        case .dropout: \.dropout
        case .loraDropout: \.loraDropout
        }
    }

    /// The live value a run trains with.
    public var settingsField: WritableKeyPath<RunSettings, Float> {
        switch self {
        case .lambda: \.weightDecay
        case .learningRate: \.learningRate
        case .dropout: \.dropout
        case .loraDropout: \.loraDropout
        }
    }
}

/// What a run trains of a pretrained model when it differs from its experiment.
public enum RunAdapter: Sendable, Equatable {
    /// Every tensor (`adapter = none`).
    case full
    /// A LoRA adapter; the base is frozen.
    case lora(AdapterSpec)
}

/// One run of an experiment: what it changes relative to the experiment's
/// settings. A field left nil follows the experiment (and the learner's
/// control for it); a field set here is pinned for this run.
public struct RunSpec: Sendable, Equatable {
    public var name: String
    public var optimizer: OptimizerSpec.Kind?
    public var decay: DecayMode?
    public var weightDecay: Float?
    public var learningRate: Float?
    public var momentum: Float?
    public var nesterov: Bool?
    public var dropout: Float?
    /// Per-group decay switches layered over the experiment's.
    public var groups: [ParameterGroup: Bool]
    public var schedule: ScheduleShape?
    /// What decay pulls toward; nil follows the experiment.
    public var decayTo: DecayTarget?
    /// Trains this run at this many seeds (the experiment's seed, seed + 1,
    /// …); nil follows the experiment's `seeds`.
    public var seeds: Int? = nil
    /// Full fine-tuning or a LoRA adapter; nil follows the experiment.
    public var adapter: RunAdapter? = nil
    /// lora_dropout; nil follows the experiment (and the learner's control).
    public var loraDropout: Float? = nil
    /// Stop this run after this many steps (fewer epochs than the others);
    /// nil: the experiment's length.
    public var steps: Int? = nil

    public init(
        name: String, optimizer: OptimizerSpec.Kind? = nil, decay: DecayMode? = nil, weightDecay: Float? = nil,
        learningRate: Float? = nil, momentum: Float? = nil, nesterov: Bool? = nil, dropout: Float? = nil,
        groups: [ParameterGroup: Bool] = [:], schedule: ScheduleShape? = nil, decayTo: DecayTarget? = nil
    ) {
        self.name = name
        self.optimizer = optimizer
        self.decay = decay
        self.weightDecay = weightDecay
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.dropout = dropout
        self.groups = groups
        self.schedule = schedule
        self.decayTo = decayTo
    }
}

/// Everything that determines an experiment's numbers. Two experiments built
/// from equal specs produce identical histories.
public struct ExperimentSpec: Sendable, Equatable {
    public var data: DataSpec
    public var model: ModelSpec
    public var optimizer: OptimizerSpec
    /// nil: what the optimizer's `weight_decay` means in PyTorch.
    public var decay: DecayMode?
    public var weightDecay: Float
    public var dropout: Float
    /// Decay on/off per group; a group not listed is decayed (PyTorch's
    /// default when every parameter is passed to the optimizer).
    public var groups: [ParameterGroup: Bool]
    public var schedule: ScheduleShape
    public var steps: Int
    /// nil: full batch.
    public var batchSize: Int?
    public var seed: UInt64
    /// Validation is measured every this many steps (and at the last one).
    public var evaluationInterval: Int
    public var runs: [RunSpec]
    /// What decay pulls toward, for runs that do not say.
    public var decayTo: DecayTarget = .zero
    /// Whether every run records ‖θ − θ₀‖ (the `dist_init` metric), even
    /// runs that decay toward zero.
    public var measuresDistanceFromInit = false
    /// Pretraining every run starts from (nil: the fresh initialization).
    public var pretrain: PretrainSpec?
    /// How many seeds each run trains at unless it sets its own (1: just `seed`).
    public var seeds = 1
    /// A LoRA adapter on the (pretrained) model for runs that do not say
    /// otherwise; nil: full fine-tuning, every tensor trained.
    public var adapter: AdapterSpec?
    /// lora_dropout, for runs that do not set their own.
    public var loraDropout: Float = 0

    /// The adapter `run` trains (nil: the whole model).
    public func adapter(of run: RunSpec) -> AdapterSpec? {
        switch run.adapter {
        case nil: adapter
        case .full: nil
        case let .lora(a): a
        }
    }

    /// The parameter groups the runs train: the model's for full
    /// fine-tuning, `adapters` for a run with a LoRA adapter (its base is
    /// frozen). What the lesson checker and the TUI offer switches for;
    /// `Experiment.groups` reads the built networks and agrees.
    public var parameterGroups: [ParameterGroup] {
        var groups = Set<ParameterGroup>()
        for run in resolvedRuns {
            if adapter(of: run) != nil { groups.insert(.adapters) } else { groups.formUnion(model.parameterGroups) }
        }
        return groups.sorted()
    }

    /// The layers the runs' adapters sit on, each with the largest rank any
    /// run gives it: what the adapters' metrics have members for. Layer
    /// positions are the network's (they do not depend on the data's widths).
    public var adaptedLayers: [MetricScope.AdaptedLayer] {
        let layers = model.layers(inputWidth: 1, outputWidth: 1, vocabulary: max(data.vocabulary, 1), dropout: 0)
        var ranks: [Int: Int] = [:]
        for run in resolvedRuns {
            guard let a = adapter(of: run) else { continue }
            for l in a.targetedLayers(layers) { ranks[l] = max(ranks[l] ?? 0, a.rank) }
        }
        return ranks.keys.sorted().map { MetricScope.AdaptedLayer(layer: $0, rank: ranks[$0]!) }
    }

    /// - Parameters:
    ///   - data: the synthetic data set and its split.
    ///   - model: the architecture; widths come from the data.
    ///   - optimizer: SGD/Adam/AdamW with PyTorch's defaults.
    ///   - decay: coupled, decoupled, independent or none; nil follows the optimizer.
    ///   - weightDecay: λ.
    ///   - runs: the runs trained side by side; empty means one run, "run".
    public init(
        data: DataSpec, model: ModelSpec, optimizer: OptimizerSpec, decay: DecayMode? = nil,
        weightDecay: Float = 0, dropout: Float = 0, groups: [ParameterGroup: Bool] = [:],
        schedule: ScheduleShape = .constant, steps: Int = 500, batchSize: Int? = nil,
        seed: UInt64 = 1, evaluationInterval: Int = 1, runs: [RunSpec] = []
    ) {
        self.data = data
        self.model = model
        self.optimizer = optimizer
        self.decay = decay
        self.weightDecay = weightDecay
        self.dropout = dropout
        self.groups = groups
        self.schedule = schedule
        self.steps = steps
        self.batchSize = batchSize
        self.seed = seed
        self.evaluationInterval = evaluationInterval
        self.runs = runs
    }

    public var loss: LossKind { data.loss }

    /// The runs, with the implicit single run when none are listed.
    public var resolvedRuns: [RunSpec] { runs.isEmpty ? [RunSpec(name: "run")] : runs }
}
