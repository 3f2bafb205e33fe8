import DecayEngine

/// Turns an `experiment` block into an `ExperimentSpec` (plus the step's
/// controls and charts), checking every key, type, range and combination
/// the engine would otherwise ignore or trip over.
struct ExperimentBuilder {
    /// What the goal and sweep builders need to know about the experiment.
    struct Context {
        var runNames: [String]
        var isClassification: Bool
        var groups: Set<ParameterGroup>
        var steps: Int
    }

    struct Output {
        var spec: ExperimentSpec
        var controls: [StepControl]
        var charts: [Chart]
        var context: Context
    }

    static let groupKeys = ParameterGroup.allCases.map { "groups.\($0.rawValue)" }
    static let runKeys = ["optimizer", "decay", "lambda", "lr", "momentum", "nesterov", "dropout"]
        + groupKeys + ["schedule", "warmup", "lr_floor"]
    static let topKeys = [
        "data", "train", "val", "inputs", "degree", "noise", "label_noise", "classes", "vocab", "seq_len",
        "model", "hidden", "activation", "layernorm", "embedding_dim", "init",
        "optimizer", "lr", "momentum", "nesterov", "betas", "eps", "decay", "lambda", "dropout",
    ] + groupKeys + ["schedule", "warmup", "lr_floor", "steps", "batch", "seed", "eval_every", "controls", "charts"]

    static let decayModes: [DecayMode] = [.l2, .decoupled, .independent, .none]

    var r: EntryReader

    init(diagnostics: Diagnostics) { r = EntryReader(diagnostics: diagnostics) }
    var diagnostics: Diagnostics { r.diagnostics }

    /// The settings one scope (the experiment, or one run) writes, each with
    /// the entry it came from so contradictions point at the right line.
    private struct Scope {
        var optimizer: (OptimizerSpec.Kind, BlockEntry)?
        var decay: (DecayMode, BlockEntry)?
        var lambda: (Float, BlockEntry)?
        var lr: (Float, BlockEntry)?
        var momentum: (Float, BlockEntry)?
        var nesterov: (Bool, BlockEntry)?
        var dropout: (Float, BlockEntry)?
        var groups: [ParameterGroup: (Bool, BlockEntry)] = [:]
        var schedule: (String, BlockEntry)?
        var warmup: (Int, BlockEntry)?
        var floor: (Float, BlockEntry)?
    }

    private mutating func readScope(_ entries: [BlockEntry], steps: Int?) -> Scope {
        var s = Scope()
        for e in entries {
            switch e.key {
            case "optimizer": s.optimizer = r.word(e, OptimizerSpec.Kind.self).map { ($0, e) }
            case "decay":
                s.decay = r.word(e, Self.decayModes.map(\.rawValue)).flatMap(DecayMode.init(rawValue:)).map { ($0, e) }
            case "lambda": s.lambda = r.real(e, { $0 >= 0 && $0 <= 1e4 }, "λ must be ≥ 0 (and at most 1e4)").map { ($0, e) }
            case "lr": s.lr = r.real(e, { $0 > 0 && $0 <= 10 }, "lr must be > 0 and ≤ 10").map { ($0, e) }
            case "momentum": s.momentum = r.real(e, { $0 >= 0 && $0 < 1 }, "momentum must be in [0, 1)").map { ($0, e) }
            case "nesterov": s.nesterov = r.bool(e).map { ($0, e) }
            case "dropout": s.dropout = r.real(e, { $0 >= 0 && $0 < 1 }, "dropout p must be in [0, 1)").map { ($0, e) }
            case "schedule": s.schedule = r.word(e, ["constant", "warmup", "cosine"]).map { ($0, e) }
            case "warmup": s.warmup = r.integer(e, 0...100_000).map { ($0, e) }
            case "lr_floor": s.floor = r.real(e, { $0 >= 0 && $0 <= 1 }, "lr_floor must be in [0, 1]").map { ($0, e) }
            default:
                if e.key.hasPrefix("groups."), let g = ParameterGroup(rawValue: String(e.key.dropFirst(7))) {
                    if let b = r.bool(e) { s.groups[g] = (b, e) }
                }
            }
        }
        return s
    }

    mutating func build(_ block: Block) -> Output? {
        let errorsBefore = r.diagnostics.errors.count
        let top = block.entries
        r.checkKeys(top, valid: Self.topKeys, context: "in an experiment block")
        for section in block.sections {
            r.checkKeys(section.entries, valid: Self.runKeys, elsewhere: Self.topKeys, context: "in a run",
                        elsewhereNote: "runs share the data, model and length; a run may set \(Self.runKeys.joined(separator: ", "))")
        }
        func entry(_ key: String) -> BlockEntry? { block.entry(key) }

        // Data.
        var dataKind: DataSpec.Kind?
        if let e = entry("data") {
            dataKind = r.word(e, DataSpec.Kind.self)
        } else {
            r.diagnostics.error(block.line, "missing required key `data`",
                                suggestion: "add `data = ` one of \(DataSpec.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let train = entry("train").flatMap { r.integer($0, 1...20_000) }
        let val = entry("val").flatMap { r.integer($0, 1...20_000) }
        let inputs = entry("inputs").flatMap { r.integer($0, 1...4096) }
        let degree = entry("degree").flatMap { r.integer($0, 1...30) }
        let noise = entry("noise").flatMap { r.real($0, { $0 >= 0 && $0 <= 10 }, "noise σ must be in [0, 10]") }
        let labelNoise = entry("label_noise").flatMap { r.real($0, { $0 >= 0 && $0 < 1 }, "label_noise must be in [0, 1)") }
        let classes = entry("classes").flatMap { r.integer($0, 2...10) }
        let vocab = entry("vocab").flatMap { r.integer($0, 2...50_000) }
        let seqLen = entry("seq_len").flatMap { r.integer($0, 1...256) }
        if let kind = dataKind {
            let only: [(String, [DataSpec.Kind])] = [
                ("inputs", [.linearRegression]), ("degree", [.polynomial]), ("classes", [.spirals]),
                ("vocab", [.tokens]), ("seq_len", [.tokens]), ("label_noise", [.moons, .spirals, .tokens]),
            ]
            for (key, kinds) in only where !kinds.contains(kind) {
                if let e = entry(key) {
                    r.diagnostics.error(e.line, column: e.keyColumn,
                                        "`\(key)` does not apply to data = \(kind.rawValue)",
                                        suggestion: "`\(key)` is for data = \(kinds.map(\.rawValue).joined(separator: " or "))")
                }
            }
        }

        // Model.
        var modelKind: ModelSpec.Kind?
        if let e = entry("model") {
            modelKind = r.word(e, ModelSpec.Kind.self)
        } else {
            r.diagnostics.error(block.line, "missing required key `model`",
                                suggestion: "add `model = ` one of \(ModelSpec.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var hidden: [Int] = []
        if let e = entry("hidden"), let items = r.numbers(e, { $0 >= 1 && $0 <= 1024 && $0 == $0.rounded() },
                                                         "hidden widths are whole numbers 1…1024") {
            if items.count > 8 {
                r.fail(e, "`hidden` lists \(items.count) layers; at most 8")
            } else {
                hidden = items.map { Int($0) }
            }
        }
        let activation = entry("activation").flatMap { r.word($0, Activation.Kind.self) } ?? .relu
        let layerNorm = entry("layernorm").flatMap { r.bool($0) } ?? false
        let embeddingDim = entry("embedding_dim").flatMap { r.integer($0, 1...1024) }
        var initialization = ModelSpec.Initialization.pytorchDefault
        if let e = entry("init") {
            switch e.value {
            case .word("default"): break
            case let .call("normal", args):
                if args.count == 1, case let .number(std, _) = args[0], std > 0, std <= 100 {
                    initialization = .normal(std: Float(std))
                } else {
                    r.fail(e, "`normal(STD)` takes one standard deviation in (0, 100]", suggestion: "for example `normal(0.01)`")
                }
            case let .word(w), let .call(w, _):
                r.fail(e, "unknown init `\(excerpt(w))`", suggestion: "expected `default` or `normal(STD)`")
            default:
                r.fail(e, "`init` expects `default` or `normal(STD)`, got \(e.value.described)")
            }
        }

        // Optimizer and the per-run settings.
        let topScope = readScope(top, steps: nil)
        let runScopes = block.sections.map { readScope($0.entries, steps: nil) }
        var betas: (Float, Float)?
        if let e = entry("betas"), let b = r.numbers(e, { $0 >= 0 && $0 < 1 }, "betas must be in [0, 1)") {
            if b.count == 2 { betas = (Float(b[0]), Float(b[1])) } else { r.fail(e, "`betas` takes two numbers, e.g. [0.9, 0.999]") }
        }
        let eps = entry("eps").flatMap { r.real($0, { $0 > 0 && $0 <= 1 }, "eps must be > 0 (and at most 1)") }
        var optimizerKind: OptimizerSpec.Kind?
        if entry("optimizer") == nil {
            r.diagnostics.error(block.line, "missing required key `optimizer`", suggestion: "add `optimizer = ` one of sgd, adam, adamw")
        } else {
            optimizerKind = topScope.optimizer?.0
        }

        // Length and batches.
        let steps = entry("steps").flatMap { r.integer($0, 1...100_000) } ?? 500
        var batch: Int?
        if let e = entry("batch") {
            if case .word("full") = e.value {
                batch = nil
            } else if case let .number(v, _) = e.value {
                batch = r.integer(v, entry: e, 1...Int.max, "batch must be ≥ 1 (or `full`)")
            } else {
                r.fail(e, "`batch` expects a size or `full`, got \(e.value.described)")
            }
        }
        let seed = entry("seed").flatMap { r.integer($0, 0...(1 << 53)) }
        let evalEvery = entry("eval_every").flatMap { r.integer($0, 1...100_000) } ?? 1
        var controls: [StepControl] = [.lambda]
        if let e = entry("controls"), let c = r.words(e, StepControl.self) { controls = c }
        var charts: [Chart] = [.loss, .norms]
        if let e = entry("charts"), let c = r.words(e, Chart.self) { charts = c }

        // Everything below needs the three required kinds.
        guard let dataKind, let modelKind, let optimizerKind else { return nil }

        let data = DataSpec(kind: dataKind, trainCount: train, validationCount: val, inputs: inputs, degree: degree,
                            noise: noise, labelNoise: labelNoise, classes: classes, vocabulary: vocab, sequenceLength: seqLen)
        if let b = batch, let e = entry("batch"), b > data.trainCount {
            r.fail(e, "batch \(b) is larger than the \(data.trainCount) training examples", suggestion: "use `batch = full`")
        }

        // Model combinations.
        let dropoutEntries = ([topScope.dropout?.1] + runScopes.map { $0.dropout?.1 }).compactMap { $0 }
        let dropoutLayers = !dropoutEntries.isEmpty || controls.contains(.dropout)
        if modelKind == .linear {
            for key in ["hidden", "layernorm", "activation"] {
                if let e = entry(key) {
                    r.diagnostics.error(e.line, column: e.keyColumn, "`\(key)` does not apply to model = linear",
                                        suggestion: "a linear model has no hidden layers; use model = mlp")
                }
            }
        }
        if modelKind == .mlp && hidden.isEmpty && entry("hidden") == nil {
            r.diagnostics.error(entry("model")!.line, column: entry("model")!.valueColumn,
                                "model = mlp needs hidden widths", suggestion: "add e.g. `hidden = [64, 64]`")
        }
        if dropoutLayers && (modelKind == .linear || hidden.isEmpty) {
            let e = dropoutEntries.first ?? entry("controls")!
            r.diagnostics.error(e.line, column: e.keyColumn, "dropout acts after hidden activations, and this model has none",
                                suggestion: "add `hidden = [...]` with model = mlp or embedding")
        }
        if (modelKind == .embedding) != (dataKind == .tokens) {
            let e = entry(modelKind == .embedding ? "model" : "data")!
            r.diagnostics.error(e.line, column: e.valueColumn,
                                modelKind == .embedding ? "model = embedding needs data = tokens"
                                    : "data = tokens needs model = embedding (token ids are not features)",
                                suggestion: modelKind == .embedding ? "set `data = tokens`" : "set `model = embedding`")
        }
        if let e = entry("embedding_dim"), modelKind != .embedding {
            r.diagnostics.error(e.line, column: e.keyColumn, "`embedding_dim` applies only to model = embedding")
        }
        var modelGroups: Set<ParameterGroup> = [.weights, .biases]
        if layerNorm && modelKind != .linear { modelGroups.insert(.norms) }
        if modelKind == .embedding { modelGroups.insert(.embeddings) }
        for scope in [topScope] + runScopes {
            for (g, (_, e)) in scope.groups where !modelGroups.contains(g) {
                r.diagnostics.error(e.line, column: e.keyColumn, "this model has no \(g.rawValue) parameters",
                                    suggestion: g == .norms ? "`groups.norms` needs `layernorm = true`" : "`groups.embeddings` needs model = embedding")
            }
        }
        if charts.contains(.fit) && dataKind != .polynomial {
            let e = entry("charts")!
            r.fail(e, "the `fit` chart needs data = polynomial (it plots a curve over one input)")
        }

        // Optimizer combinations, per run as the engine will resolve them.
        let runs = runScopes.isEmpty ? [Scope()] : runScopes
        let runKinds = runs.map { $0.optimizer?.0 ?? optimizerKind }
        if let (_, e) = topScope.momentum, !runKinds.contains(.sgd) {
            r.diagnostics.error(e.line, column: e.keyColumn, "`momentum` is SGD's; Adam and AdamW use `betas`")
        }
        if let e = entry("betas") ?? entry("eps"), !runKinds.contains(where: { $0 != .sgd }) {
            r.diagnostics.error(e.line, column: e.keyColumn, "`\(e.key)` is Adam's and AdamW's; this experiment uses only SGD")
        }
        for (run, kind) in zip(runs, runKinds) {
            if let (_, e) = run.momentum, kind != .sgd {
                r.diagnostics.error(e.line, column: e.keyColumn, "`momentum` is SGD's; this run uses \(kind.rawValue)")
            }
            if let (on, e) = run.nesterov ?? topScope.nesterov, on {
                let momentum = run.momentum?.0 ?? topScope.momentum?.0 ?? 0
                if kind != .sgd || momentum == 0 {
                    r.diagnostics.error(e.line, column: e.keyColumn, "nesterov needs SGD with momentum > 0",
                                        suggestion: "set `momentum = 0.9`, or remove `nesterov`")
                }
            }
            // The decay the engine will use: a run that switches optimizer
            // takes that optimizer's meaning of weight_decay unless it says.
            let decay = run.decay ?? (run.optimizer != nil ? nil : topScope.decay)
            if kind == .adamw, let (mode, e) = decay, mode == .l2 {
                r.diagnostics.error(e.line, column: e.valueColumn,
                                    "AdamW's weight decay is decoupled (p ← p·(1 − lr·λ)); it cannot be L2",
                                    suggestion: "use optimizer = adam with decay = l2 for coupled L2, or drop `decay` for AdamW")
            }
        }
        for scope in [topScope] + runScopes {
            if let (mode, _) = scope.decay, mode == .none, let (l, e) = scope.lambda, l > 0 {
                r.diagnostics.error(e.line, column: e.keyColumn, "λ = \(l) has no effect with decay = none",
                                    suggestion: "remove `lambda`, or choose a decay")
            }
        }

        // Schedules.
        func schedule(_ scope: Scope, inherit: Scope?) -> LearningRateSchedule? {
            let name = scope.schedule?.0 ?? inherit?.schedule?.0 ?? "constant"
            let warmup = scope.warmup ?? inherit?.warmup
            let floor = scope.floor ?? inherit?.floor
            if let (_, e) = scope.warmup, name == "constant" {
                r.diagnostics.error(e.line, column: e.keyColumn, "`warmup` needs schedule = warmup or cosine")
            }
            if let (w, e) = scope.warmup, w > steps {
                r.diagnostics.error(e.line, column: e.valueColumn, "warmup of \(w) steps is longer than the \(steps) steps")
            }
            if let (_, e) = scope.floor, name != "cosine" {
                r.diagnostics.error(e.line, column: e.keyColumn, "`lr_floor` needs schedule = cosine")
            }
            switch name {
            case "warmup":
                guard let (w, _) = warmup, w > 0 else {
                    if let (_, e) = scope.schedule {
                        r.diagnostics.error(e.line, column: e.valueColumn, "schedule = warmup needs `warmup = STEPS` (≥ 1)")
                    }
                    return nil
                }
                return .warmup(steps: w)
            case "cosine": return .cosine(warmup: warmup?.0 ?? 0, total: steps, floor: floor?.0 ?? 0)
            default: return .constant
            }
        }
        let topSchedule = schedule(topScope, inherit: nil) ?? .constant

        // Runs. A run that switches optimizer, where the experiment leaves lr
        // or λ to the defaults, gets its own optimizer's PyTorch defaults.
        var runSpecs: [RunSpec] = []
        for (section, scope) in zip(block.sections, runScopes) {
            let setsSchedule = scope.schedule != nil || scope.warmup != nil || scope.floor != nil
            var run = RunSpec(
                name: section.name, optimizer: scope.optimizer?.0, decay: scope.decay?.0, weightDecay: scope.lambda?.0,
                learningRate: scope.lr?.0, momentum: scope.momentum?.0, nesterov: scope.nesterov?.0,
                dropout: scope.dropout?.0, groups: scope.groups.mapValues(\.0),
                schedule: setsSchedule ? schedule(scope, inherit: topScope) : nil)
            if let kind = run.optimizer, kind != optimizerKind {
                if run.learningRate == nil && topScope.lr == nil { run.learningRate = Self.defaultLearningRate(kind) }
                if run.weightDecay == nil && topScope.lambda == nil { run.weightDecay = kind.defaultWeightDecay }
            }
            runSpecs.append(run)
        }

        // A control that no run follows would be a dead key in the TUI.
        if !runScopes.isEmpty {
            for control in controls {
                let pinnedEverywhere: Bool = switch control {
                case .lambda: runScopes.allSatisfy { $0.lambda != nil }
                case .learningRate: runScopes.allSatisfy { $0.lr != nil }
                case .dropout: runScopes.allSatisfy { $0.dropout != nil }
                case .groups: false
                }
                if pinnedEverywhere {
                    let key = control == .learningRate ? "lr" : control.rawValue
                    let e = entry("controls")
                    r.diagnostics.error(e?.line ?? block.line, column: e?.valueColumn,
                                        "the `\(control.rawValue)` control would move no run: every run sets `\(key)`",
                                        suggestion: e == nil
                                            ? "add `controls = []`, or leave `\(key)` unset in the run the learner should steer"
                                            : "leave `\(key)` unset in the run the learner should steer, or drop the control")
                }
            }
        }

        var optimizer = OptimizerSpec(kind: optimizerKind, learningRate: topScope.lr?.0 ?? Self.defaultLearningRate(optimizerKind))
        optimizer.momentum = topScope.momentum?.0 ?? 0
        optimizer.nesterov = topScope.nesterov?.0 ?? false
        if let betas { (optimizer.beta1, optimizer.beta2) = betas }
        if let eps { optimizer.epsilon = eps }

        let spec = ExperimentSpec(
            data: data,
            model: ModelSpec(kind: modelKind, hidden: modelKind == .linear ? [] : hidden, activation: activation,
                             layerNorm: layerNorm && modelKind != .linear, dropoutLayers: dropoutLayers && !hidden.isEmpty,
                             embeddingDimension: embeddingDim ?? 16, initialization: initialization),
            optimizer: optimizer, decay: topScope.decay?.0,
            weightDecay: topScope.lambda?.0 ?? optimizerKind.defaultWeightDecay, dropout: topScope.dropout?.0 ?? 0,
            groups: topScope.groups.mapValues(\.0), schedule: topSchedule, steps: steps, batchSize: batch,
            seed: seed.map { UInt64($0) } ?? 1, evaluationInterval: evalEvery, runs: runSpecs,
            controls: controls.compactMap(\.engineControl))
        guard r.diagnostics.errors.count == errorsBefore else { return nil }
        let context = Context(runNames: spec.resolvedRuns.map(\.name), isClassification: data.isClassification,
                              groups: modelGroups, steps: steps)
        return Output(spec: spec, controls: controls, charts: charts, context: context)
    }

    /// PyTorch's defaults: SGD has none (0.01 is the common choice), Adam
    /// and AdamW use 0.001.
    static func defaultLearningRate(_ kind: OptimizerSpec.Kind) -> Float {
        kind == .sgd ? 0.01 : 0.001
    }
}
