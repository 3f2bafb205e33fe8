import DecayEngine

/// Turns an `experiment` block into an `ExperimentSpec` (plus the step's
/// controls and charts), checking every key, type, range and combination
/// the engine would otherwise ignore or trip over.
struct ExperimentBuilder {
    /// What the goal and sweep builders need to know about the experiment.
    struct Context {
        var runNames: [String]
        /// What the experiment's runs can measure (θ₀ included: a step
        /// that names a metric needing it makes its runs keep it).
        var scope: MetricScope
        var steps: Int
    }

    struct Output {
        var spec: ExperimentSpec
        var controls: [StepControl]
        var charts: [Chart]
        var context: Context
    }

    static let groupKeys = ParameterGroup.allCases.map { "groups.\($0.rawValue)" }
    static let runKeys = ["optimizer", "decay", "decay_to", "lambda", "lr", "momentum", "nesterov", "dropout"]
        + groupKeys + ["schedule", "warmup", "lr_floor", "seeds", "steps"] + adapterKeys
    static let topKeys = [
        "data", "train", "val", "inputs", "true_weight", "degree", "noise", "label_noise", "classes", "vocab", "seq_len", "related",
        "model", "hidden", "activation", "layernorm", "embedding_dim", "init",
        "optimizer", "lr", "momentum", "nesterov", "betas", "eps", "decay", "decay_to", "lambda", "dropout",
    ] + groupKeys + ["schedule", "warmup", "lr_floor", "steps", "batch", "seed", "seeds", "eval_every", "controls", "charts"]
        + pretrainKeys + adapterKeys

    /// `seeds = N`: a run trained at N seeds, drawn as a band.
    static let seedRange = 1...16

    static let decayModes: [DecayMode] = [.l2, .decoupled, .independent, .none]

    var r: EntryReader

    init(diagnostics: LessonDiagnostics) { r = EntryReader(diagnostics: diagnostics) }
    var diagnostics: LessonDiagnostics { r.diagnostics }

    /// The settings one scope (the experiment, or one run) writes, each with
    /// the entry it came from so contradictions point at the right line.
    struct Scope {
        var optimizer: (OptimizerSpec.Kind, BlockEntry)?
        var decay: (DecayMode, BlockEntry)?
        var decayTo: (DecayTarget, BlockEntry)?
        var lambda: (Float, BlockEntry)?
        var lr: (Float, BlockEntry)?
        var momentum: (Float, BlockEntry)?
        var nesterov: (Bool, BlockEntry)?
        var dropout: (Float, BlockEntry)?
        var groups: [ParameterGroup: (Bool, BlockEntry)] = [:]
        var schedule: (String, BlockEntry)?
        var warmup: (Int, BlockEntry)?
        var floor: (Float, BlockEntry)?
        var seeds: (Int, BlockEntry)?
        var adapter = AdapterReading()
    }

    mutating func readScope(_ entries: [BlockEntry]) -> Scope {
        var s = Scope()
        for e in entries {
            switch e.key {
            case "optimizer": s.optimizer = r.word(e, OptimizerSpec.Kind.self).map { ($0, e) }
            case "decay":
                s.decay = r.word(e, Self.decayModes.map(\.rawValue)).flatMap(DecayMode.init(rawValue:)).map { ($0, e) }
            case "decay_to": s.decayTo = r.word(e, DecayTarget.self).map { ($0, e) }
            case "lambda": s.lambda = r.real(e, SettingBounds.lambda.contains, SettingBounds.lambdaText).map { ($0, e) }
            case "lr": s.lr = r.real(e, SettingBounds.learningRate.contains, SettingBounds.learningRateText).map { ($0, e) }
            case "momentum": s.momentum = r.real(e, { $0 >= 0 && $0 < 1 }, "momentum must be in [0, 1)").map { ($0, e) }
            case "nesterov": s.nesterov = r.bool(e).map { ($0, e) }
            case "dropout": s.dropout = r.real(e, SettingBounds.dropout.contains, SettingBounds.dropoutText).map { ($0, e) }
            case "schedule": s.schedule = r.word(e, ["constant", "warmup", "cosine", "linear"]).map { ($0, e) }
            case "warmup": s.warmup = r.integer(e, 0...100_000).map { ($0, e) }
            case "lr_floor": s.floor = r.real(e, { $0 >= 0 && $0 <= 1 }, "lr_floor must be in [0, 1]").map { ($0, e) }
            case "seeds": s.seeds = r.integer(e, Self.seedRange).map { ($0, e) }
            default:
                if readAdapterEntry(e, into: &s.adapter) { continue }
                if e.key.hasPrefix("groups."), let g = ParameterGroup(rawValue: String(e.key.dropFirst(7))) {
                    if let b = r.bool(e) { s.groups[g] = (b, e) }
                }
            }
        }
        return s
    }

    /// What the data part of the block reads.
    struct DataReading {
        var kind: DataSpec.Kind?
        var train: Int?, val: Int?, inputs: Int?, degree: Int?, classes: Int?, vocab: Int?, seqLen: Int?
        var noise: Float?, labelNoise: Float?, related: Float?, trueWeight: Float?
    }

    /// What the model part reads.
    struct ModelReading {
        var kind: ModelSpec.Kind?
        var hidden: [Int] = []
        var activation: Activation.Kind = .relu
        var layerNorm = false
        var embeddingDimension: Int?
        var initialization = ModelSpec.Initialization.pytorchDefault
    }

    /// Length, batches, seed, evaluation, controls and charts.
    struct Plan {
        var steps = 500
        var batch: Int?
        var seed: Int?
        var evalEvery = 1
        var controls: [StepControl] = [.lambda]
        var charts: [Chart] = [.loss, .norms]
    }

    mutating func build(_ block: Block) -> Output? {
        let errorsBefore = r.diagnostics.errors.count
        r.checkKeys(block.entries, valid: Self.topKeys, context: "in an experiment block")
        for section in block.sections {
            r.checkKeys(section.entries, valid: Self.runKeys, elsewhere: Self.topKeys, context: "in a run",
                        elsewhereNote: "runs share the data and the model; a run may set \(Self.runKeys.joined(separator: ", "))")
        }
        let data = readData(block)
        let model = readModel(block)
        let top = readScope(block.entries)
        let runScopes = block.sections.map { readScope($0.entries) }
        let optimizer = readOptimizer(block, top: top)
        let plan = readPlan(block)

        // Everything below needs the three required kinds.
        guard let dataKind = data.kind, let modelKind = model.kind, let optimizerKind = optimizer.kind else { return nil }
        let dataSpec = finishData(block, data, kind: dataKind, plan: plan)
        var modelScope = checkModel(block, model, dataKind: dataKind, top: top, runs: runScopes, plan: plan)
        checkOptimizers(block, kind: optimizerKind, top: top, runs: runScopes)
        let topSchedule = schedule(top, inherit: nil, steps: plan.steps) ?? .constant
        var runSpecs = readRuns(block, top: top, runs: runScopes, kind: optimizerKind, steps: plan.steps)
        let adapters = readAdapters(block, top: top, runs: runScopes, into: &runSpecs)
        checkControls(block, plan.controls, runs: runScopes)

        let dropoutLayers = Self.wantsDropoutLayers(top: top, runs: runScopes, controls: plan.controls)
        var spec = ExperimentSpec(
            data: dataSpec,
            model: ModelSpec(kind: modelKind, hidden: modelKind == .linear ? [] : model.hidden, activation: model.activation,
                             layerNorm: model.layerNorm && modelKind != .linear,
                             dropoutLayers: dropoutLayers && !model.hidden.isEmpty,
                             embeddingDimension: model.embeddingDimension ?? 16, initialization: model.initialization),
            optimizer: optimizerSpec(optimizerKind, top: top, reading: optimizer), decay: top.decay?.0,
            weightDecay: top.lambda?.0 ?? optimizerKind.defaultWeightDecay, dropout: top.dropout?.0 ?? 0,
            groups: top.groups.mapValues(\.0), schedule: topSchedule, steps: plan.steps, batchSize: plan.batch,
            seed: plan.seed.map { UInt64($0) } ?? 1, evaluationInterval: plan.evalEvery, runs: runSpecs)
        spec.decayTo = top.decayTo?.0 ?? .zero
        spec.measuresDistanceFromInit = plan.charts.contains { $0.kinds.contains { $0.requirement == .initialParameters } }
        spec.pretrain = readPretrain(block, classification: dataSpec.isClassification)
        spec.seeds = top.seeds?.0 ?? 1
        spec.adapter = adapters
        spec.loraDropout = top.adapter.loraDropout?.0 ?? 0
        checkAdapters(block, spec: spec, top: top, runs: runScopes, controls: plan.controls)
        // A run with an adapter trains its factors, not the model's groups,
        // and measures its adapters.
        modelScope.groups = spec.parameterGroups
        modelScope.adapters = spec.adaptedLayers
        checkCharts(block, plan.charts, scope: modelScope, dataKind: dataKind, model: model)
        for (i, scope) in runScopes.enumerated() where i < spec.runs.count { spec.runs[i].seeds = scope.seeds?.0 }
        guard r.diagnostics.errors.count == errorsBefore else { return nil }
        let context = Context(runNames: spec.resolvedRuns.map(\.name), scope: modelScope, steps: plan.steps)
        return Output(spec: spec, controls: plan.controls, charts: plan.charts, context: context)
    }

    /// Whether the model needs dropout layers: some scope sets p, or the
    /// learner gets a dropout control.
    static func wantsDropoutLayers(top: Scope, runs: [Scope], controls: [StepControl]) -> Bool {
        ([top] + runs).contains { $0.dropout != nil } || controls.contains(.dropout)
    }

    // MARK: - Data

    mutating func readData(_ block: Block) -> DataReading {
        func entry(_ key: String) -> BlockEntry? { block.entry(key) }
        var reading = DataReading()
        if let e = block.entry("data") {
            reading.kind = r.word(e, DataSpec.Kind.self)
        } else {
            r.diagnostics.error(block.line, "missing required key `data`",
                                suggestion: "add `data = ` one of \(DataSpec.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        reading.train = entry("train").flatMap { r.integer($0, 1...20_000) }
        reading.val = entry("val").flatMap { r.integer($0, 1...20_000) }
        reading.inputs = entry("inputs").flatMap { r.integer($0, 1...4096) }
        reading.degree = entry("degree").flatMap { r.integer($0, 1...30) }
        reading.trueWeight = entry("true_weight").flatMap { r.real($0, { $0 >= 0 && $0 <= 10 }, "true_weight must be in [0, 10]") }
        reading.noise = entry("noise").flatMap { r.real($0, { $0 >= 0 && $0 <= 10 }, "noise σ must be in [0, 10]") }
        reading.labelNoise = entry("label_noise").flatMap { r.real($0, { $0 >= 0 && $0 < 1 }, "label_noise must be in [0, 1)") }
        reading.classes = entry("classes").flatMap { r.integer($0, 2...10) }
        reading.vocab = entry("vocab").flatMap { r.integer($0, 2...50_000) }
        reading.seqLen = entry("seq_len").flatMap { r.integer($0, 1...256) }
        reading.related = readRelated(block)
        guard let kind = reading.kind else { return reading }
        let only: [(String, [DataSpec.Kind])] = [
            ("inputs", [.linearRegression]), ("true_weight", [.linearRegression]), ("degree", [.polynomial]), ("classes", [.spirals]),
            ("vocab", [.tokens]), ("seq_len", [.tokens]), ("related", [.tokens]), ("label_noise", [.moons, .spirals, .tokens]),
        ]
        for (key, kinds) in only where !kinds.contains(kind) {
            if let e = block.entry(key) {
                r.diagnostics.error(e.line, column: e.keyColumn, "`\(key)` does not apply to data = \(kind.rawValue)",
                                    suggestion: "`\(key)` is for data = \(kinds.map(\.rawValue).joined(separator: " or "))")
            }
        }
        return reading
    }

    /// The data spec, from the sizes and noise levels the block sets.
    mutating func finishData(_ block: Block, _ d: DataReading, kind: DataSpec.Kind, plan: Plan) -> DataSpec {
        var data = DataSpec(kind: kind, trainCount: d.train, validationCount: d.val, inputs: d.inputs, degree: d.degree,
                            noise: d.noise, labelNoise: d.labelNoise, classes: d.classes, vocabulary: d.vocab,
                            sequenceLength: d.seqLen)
        data.taskCorrelation = d.related
        if let a = d.trueWeight { data.trueWeight = a }
        if let b = plan.batch, let e = block.entry("batch"), b > data.trainCount {
            r.fail(e, "batch \(b) is larger than the \(data.trainCount) training examples", suggestion: "use `batch = full`")
        }
        return data
    }

    // MARK: - Length, controls and charts

    mutating func readPlan(_ block: Block) -> Plan {
        var plan = Plan()
        plan.steps = block.entry("steps").flatMap { r.integer($0, SettingBounds.steps) } ?? 500
        if let e = block.entry("batch") {
            if case .word("full") = e.value {
                plan.batch = nil
            } else if case let .number(v, _) = e.value {
                plan.batch = r.integer(v, entry: e, 1...Int.max, "batch must be ≥ 1 (or `full`)")
            } else {
                r.fail(e, "`batch` expects a size or `full`, got \(e.value.described)")
            }
        }
        plan.seed = block.entry("seed").flatMap { r.integer($0, SettingBounds.seed) }
        plan.evalEvery = block.entry("eval_every").flatMap { r.integer($0, 1...100_000) } ?? 1
        if let e = block.entry("controls"), let c = r.words(e, StepControl.self) { plan.controls = c }
        if let e = block.entry("charts"), let c = r.words(e, Chart.self) { plan.charts = c }
        return plan
    }

    /// A control that no run follows would be a dead key in the TUI.
    mutating func checkControls(_ block: Block, _ controls: [StepControl], runs: [Scope]) {
        guard !block.sections.isEmpty else { return }
        for control in controls {
            guard let engine = control.engineControl else { continue }
            let key = engine.lessonKey
            guard block.sections.allSatisfy({ $0.entry(key) != nil }) else { continue }
            let e = block.entry("controls")
            r.diagnostics.error(e?.line ?? block.line, column: e?.valueColumn,
                                "the `\(control.rawValue)` control would move no run: every run sets `\(key)`",
                                suggestion: e == nil
                                    ? "add `controls = []`, or leave `\(key)` unset in the run the learner should steer"
                                    : "leave `\(key)` unset in the run the learner should steer, or drop the control")
        }
    }
}
