import DecayKernels

/// Runs trained in lock step: the same data, the same initial parameters, the
/// same minibatches and dropout masks, so any difference between two runs is
/// the hyperparameter the lesson varies.
public final class Experiment {
    public let spec: ExperimentSpec?
    public let data: DataSet
    public let loss: LossKind
    public private(set) var runs: [TrainingRun] = []
    public private(set) var step = 0
    public var evaluationInterval: Int
    /// The steps at which validation is measured, up to step `through`
    /// (an imported file's recorded steps); nil, or later steps: every
    /// `evaluationInterval` steps.
    public var validationSteps: (steps: Set<Int>, through: Int)?
    public let historyCapacity: Int
    /// Frequent and rare tokens of the training inputs (token data only).
    public let tokenBands: TokenFrequencyBands?

    /// The untouched starting point every run (and every restart) copies.
    public let initialNetwork: Network
    private let runNetworks: [Network?]
    private var initialSettings: [RunSettings]
    private let runNames: [String]
    private let batchSource: BatchOrder.Source
    private var batches: BatchOrder
    private let dropoutSeeds: [UInt64]
    private let learningRateLists: [[Float]?]
    private var batchRows: [Int] = []
    private var batchX = Matrix(rows: 0, columns: 0)
    private var batchY = Matrix(rows: 0, columns: 0)

    /// Builds an experiment from a lesson's spec.
    public convenience init(spec: ExperimentSpec, historyCapacity: Int = 4096) {
        let data = DataSet.generate(spec.data, seed: spec.seed)
        let runSpecs = spec.resolvedRuns
        let settings = runSpecs.map { RunSettings(run: $0, experiment: spec) }
        var network = Self.initialNetwork(spec, data: data)
        var outcome: PretrainOutcome?
        if let p = spec.pretrain { (network, outcome) = Pretraining.pretrain(p, experiment: spec, start: network, remember: true) }
        let (shared, perRun) = Self.attachAdapters(spec: spec, runs: runSpecs, to: network)
        let source: BatchOrder.Source = spec.batchSize.map { $0 < data.trainX.rows ? .shuffled(batchSize: $0, seed: spec.seed) : .full } ?? .full
        self.init(
            spec: spec, data: data, network: shared, runNetworks: perRun, runNames: runSpecs.map(\.name), settings: settings,
            batches: source, dropoutSeeds: [UInt64](repeating: Self.dropoutSeed(spec.seed), count: runSpecs.count), evaluationInterval: spec.evaluationInterval,
            historyCapacity: historyCapacity)
        pretraining = outcome
    }

    /// The network `spec` starts from, before any pretraining: drawn from
    /// its seed's "init" stream (a pretrained model's starting weights
    /// belong to its pretraining's seed), shaped for `data`.
    public static func initialNetwork(_ spec: ExperimentSpec, data: DataSet) -> Network {
        var rng = RandomSource(seed: spec.pretrain?.ownerSeed(of: spec) ?? spec.seed, stream: "init")
        let layers = spec.model.layers(
            inputWidth: data.inputWidth, outputWidth: data.outputWidth,
            vocabulary: spec.data.vocabulary, dropout: spec.dropout)
        return spec.model.build(layers, rng: &rng)
    }

    /// The runs' starting networks: `network` itself when no run has an
    /// adapter; that one adapted network when every run has the same
    /// adapter; otherwise `network` shared and one network per adapted run.
    /// Runs with the same adapter start from the same A (drawn from the
    /// seed's "adapters" stream), so they differ only in what the lesson varies.
    package static func attachAdapters(spec: ExperimentSpec, runs: [RunSpec], to network: Network) -> (Network, [Network?]?) {
        let adapters = runs.map { spec.adapter(of: $0) }
        guard adapters.contains(where: { $0 != nil }) else { return (network, nil) }
        var built: [AdapterSpec: Network] = [:]
        let networks = adapters.map { adapter -> Network? in
            guard let adapter else { return nil }
            if let n = built[adapter] { return n }
            var rng = RandomSource(seed: spec.seed, stream: "adapters")
            let n = adapter.attach(to: network, dropout: spec.loraDropout, rng: &rng)
            built[adapter] = n
            return n
        }
        if let first = adapters[0], adapters.allSatisfy({ $0 == first }) { return (networks[0]!, nil) }
        return (network, networks)
    }

    /// How the pretrained initial parameters were obtained (nil: no pretraining).
    public internal(set) var pretraining: PretrainOutcome?

    /// The dropout seed of a spec's runs: below 2⁵³ so it survives any JSON reader.
    public static func dropoutSeed(_ seed: UInt64) -> UInt64 {
        DropoutHash.mix(seed ^ 0xD0D0) >> 11
    }

    /// The per-run initial networks given at init (nil: the shared one).
    public func initialNetwork(ofRun index: Int) -> Network { runNetworks[index] ?? initialNetwork }

    /// Builds an experiment from parts (an imported `experiment.json`).
    ///
    /// - Parameters:
    ///   - network: the shared initial parameters.
    ///   - runNetworks: per-run initial networks where a run's differ (nil: copy `network`).
    ///   - learningRates: per-run learning rate of every step, overriding schedules.
    public init(
        spec: ExperimentSpec?, data: DataSet, network: Network, runNetworks: [Network?]? = nil,
        runNames: [String], settings: [RunSettings], batches: BatchOrder.Source, dropoutSeeds: [UInt64],
        learningRates: [[Float]?]? = nil, loss: LossKind? = nil, evaluationInterval: Int = 1, historyCapacity: Int = 4096
    ) {
        precondition(runNames.count == settings.count && settings.count == dropoutSeeds.count && !runNames.isEmpty)
        self.spec = spec
        self.data = data
        self.loss = loss ?? data.spec.loss
        self.initialNetwork = network
        self.runNetworks = runNetworks ?? Array(repeating: nil, count: runNames.count)
        self.runNames = runNames
        self.initialSettings = settings
        self.batchSource = batches
        self.batches = BatchOrder(source: batches, rows: data.trainX.rows)
        self.dropoutSeeds = dropoutSeeds
        self.learningRateLists = learningRates ?? Array(repeating: nil, count: runNames.count)
        self.evaluationInterval = max(evaluationInterval, 1)
        self.historyCapacity = historyCapacity
        if data.tokenInputs, let table = network.layers.lazy.compactMap({ ($0 as? Embedding)?.table }).first {
            tokenBands = TokenFrequencyBands(tokenInputs: data.trainX, vocabulary: table.shape[0])
        } else {
            tokenBands = nil
        }
        buildRuns()
    }

    private func buildRuns() {
        runs = zip(runNames, initialSettings).enumerated().map { i, pair in
            let net = (runNetworks[i] ?? initialNetwork).copy()
            let run = TrainingRun(name: pair.0, network: net, settings: pair.1, loss: loss,
                          dropoutSeed: dropoutSeeds[i], historyCapacity: historyCapacity, tokenBands: tokenBands,
                          validationInputs: data.validationX)
            run.learningRates = learningRateLists[i]
            return run
        }
    }

    /// Starts every run again from the initial parameters, keeping the
    /// current control values (a learner who moved λ sees the whole run
    /// with the new λ).
    public func restart() {
        initialSettings = runs.map(\.settings)
        step = 0
        batches = BatchOrder(source: batchSource, rows: data.trainX.rows)
        buildRuns()
    }

    public var allDiverged: Bool { runs.allSatisfy(\.status.isDiverged) }

    /// Trains every live run for one step, then measures validation when due.
    public func advance() {
        step += 1
        let x: Matrix, y: Matrix
        if batches.next(into: &batchRows) {
            data.trainX.gatherRows(batchRows, into: &batchX)
            data.trainY.gatherRows(batchRows, into: &batchY)
            x = batchX
            y = batchY
        } else {
            x = data.trainX
            y = data.trainY
        }
        let evaluate = evaluates(step: step)
        for run in runs { train(run, step: step, x: x, y: y, evaluate: evaluate) }
    }

    /// Trains `steps` steps. Full-batch experiments train them run by run
    /// (each run all its steps, then the next): every step of every run sees
    /// the same batch and the runs share no state, so the numbers are those
    /// of stepping the runs in lock step, while one run's activations,
    /// gradients and optimizer buffers stay in the core's cache instead of
    /// being evicted by the other runs' at every step.
    public func advance(steps: Int) {
        let count = max(steps, 0)
        guard count > 1, batches.isFullBatch else {
            for _ in 0..<count { advance() }
            return
        }
        let first = step + 1
        for _ in 0..<count { _ = batches.next(into: &batchRows) }
        step += count
        for run in runs {
            for t in first...step {
                train(run, step: t, x: data.trainX, y: data.trainY, evaluate: evaluates(step: t))
            }
        }
    }

    /// Whether validation is measured after step `t`.
    private func evaluates(step t: Int) -> Bool {
        if let v = validationSteps, t <= v.through { return v.steps.contains(t) }
        return t % evaluationInterval == 0 || t == spec?.steps
    }

    /// One step of one run, unless it has diverged or run its own length.
    private func train(_ run: TrainingRun, step t: Int, x: Matrix, y: Matrix, evaluate: Bool) {
        guard !run.status.isDiverged, t <= run.settings.steps ?? .max else { return }
        if run.train(step: t, x: x, y: y) {
            run.finishStep(trainX: data.trainX, trainY: data.trainY, validationX: data.validationX,
                           validationY: data.validationY, evaluate: evaluate)
        }
    }

    // MARK: - Controls

    /// The control's current value, as the runs that follow it see it.
    public func value(of control: Control) -> Float {
        let run = runs.first { !$0.settings.pinned.contains(control) } ?? runs[0]
        return run.settings[keyPath: control.settingsField]
    }

    /// Moves a control for every run that does not pin it; takes effect on
    /// the next step, without restarting.
    public func set(_ control: Control, to value: Float) {
        for run in runs where !run.settings.pinned.contains(control) {
            run.settings[keyPath: control.settingsField] = value
            if control == .dropout { run.network.setDropout(value) }
            if control == .loraDropout { run.network.setLoRADropout(value) }
        }
    }

    /// Whether the runs that follow the group switch decay `group`.
    public func decays(_ group: ParameterGroup) -> Bool {
        (runs.first { !$0.settings.pinnedGroups.contains(group) } ?? runs[0]).settings.decays(group)
    }

    /// Switches decay of one parameter group for every run that does not pin it.
    public func setDecay(_ group: ParameterGroup, _ on: Bool) {
        for run in runs where !run.settings.pinnedGroups.contains(group) {
            run.settings.groups[group] = on
        }
    }

    /// The groups the runs actually train.
    public var groups: [ParameterGroup] {
        Array(Set(runNames.indices.flatMap { initialNetwork(ofRun: $0).parameters.map(\.group) })).sorted()
    }

    /// The minibatch rows of the first `steps` steps (nil for full batch).
    public func batchListing(steps: Int) -> [[Int]]? {
        BatchOrder(source: batchSource, rows: data.trainX.rows).listing(steps: steps)
    }
}
