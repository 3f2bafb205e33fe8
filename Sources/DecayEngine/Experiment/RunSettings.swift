/// A run's live hyperparameters: where it started from its spec, and what
/// the learner's controls have changed since.
public struct RunSettings: Sendable, Equatable {
    public var optimizer: OptimizerSpec
    public var decay: DecayMode
    public var weightDecay: Float
    public var learningRate: Float
    public var dropout: Float
    /// Dropout on the input of every LoRA adapter (none without one).
    public var loraDropout: Float = 0
    /// The run trains this many steps, then stops (nil: as long as the experiment).
    public var steps: Int? = nil
    public var groups: [ParameterGroup: Bool]
    public var schedule: ScheduleShape
    /// What decay pulls toward: zero, or the run's initial parameters.
    public var decayTo: DecayTarget
    /// Whether the run records ‖θ − θ₀‖ each step (it does whenever it
    /// decays toward θ₀; otherwise only when asked, as storing θ₀ costs a
    /// copy of the parameters).
    public var measuresDistanceFromInit: Bool
    /// Controls this run ignores because its spec pins that value.
    public var pinned: Set<Control>
    public var pinnedGroups: Set<ParameterGroup>

    public func decays(_ group: ParameterGroup) -> Bool { groups[group] ?? true }

    /// Whether the run keeps a copy of its initial parameters θ₀.
    public var storesInitialParameters: Bool { (decayTo == .initial && decay != .none) || measuresDistanceFromInit }

    /// Resolves a run against its experiment.
    public init(run: RunSpec, experiment e: ExperimentSpec) {
        var optimizer = e.optimizer
        if let kind = run.optimizer { optimizer.kind = kind }
        if let m = run.momentum { optimizer.momentum = m }
        if let n = run.nesterov { optimizer.nesterov = n }
        self.optimizer = optimizer
        decay = WeightDecay.mode(
            named: WeightDecay.named(run: run.decay, runSwitchesOptimizer: run.optimizer != nil, experiment: e.decay),
            optimizer: optimizer.kind)
        weightDecay = run.weightDecay ?? e.weightDecay
        learningRate = run.learningRate ?? e.optimizer.learningRate
        optimizer.learningRate = learningRate
        dropout = run.dropout ?? e.dropout
        loraDropout = run.loraDropout ?? e.loraDropout
        steps = run.steps
        groups = e.groups.merging(run.groups) { _, r in r }
        schedule = run.schedule ?? e.schedule
        decayTo = run.decayTo ?? e.decayTo
        measuresDistanceFromInit = e.measuresDistanceFromInit
        pinned = Set(Control.allCases.filter { run[keyPath: $0.runField] != nil })
        pinnedGroups = Set(run.groups.keys)
    }

    public init(
        optimizer: OptimizerSpec, decay: DecayMode, weightDecay: Float, dropout: Float = 0,
        groups: [ParameterGroup: Bool] = [:], schedule: ScheduleShape = .constant,
        decayTo: DecayTarget = .zero, measuresDistanceFromInit: Bool = false
    ) {
        self.optimizer = optimizer
        self.decay = decay
        self.weightDecay = weightDecay
        self.learningRate = optimizer.learningRate
        self.dropout = dropout
        self.groups = groups
        self.schedule = schedule
        self.decayTo = decayTo
        self.measuresDistanceFromInit = measuresDistanceFromInit
        pinned = []
        pinnedGroups = []
    }
}
