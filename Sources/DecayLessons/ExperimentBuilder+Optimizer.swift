import DecayEngine

private typealias Kinds = OptimizerSpec.Kind

extension ExperimentBuilder {
    /// The optimizer keys of the experiment (the kind, betas and eps).
    struct OptimizerReading {
        var kind: OptimizerSpec.Kind?
        var betas: (Float, Float)?
        var eps: Float?
    }

    mutating func readOptimizer(_ block: Block, top: Scope) -> OptimizerReading {
        var o = OptimizerReading()
        if let e = block.entry("betas"), let b = r.numbers(e, { $0 >= 0 && $0 < 1 }, "betas must be in [0, 1)") {
            if b.count == 2 { o.betas = (Float(b[0]), Float(b[1])) } else { r.fail(e, "`betas` takes two numbers, e.g. [0.9, 0.999]") }
        }
        o.eps = block.entry("eps").flatMap { r.real($0, { $0 > 0 && $0 <= 1 }, "eps must be > 0 (and at most 1)") }
        if block.entry("optimizer") == nil {
            r.diagnostics.error(block.line, "missing required key `optimizer`",
                                suggestion: "add `optimizer = ` one of \(OptimizerSpec.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        } else {
            o.kind = top.optimizer?.0
        }
        return o
    }

    /// The experiment's optimizer: the kind's PyTorch defaults (lr beside
    /// λ in `OptimizerSpec.Kind`), overridden by what the block sets.
    func optimizerSpec(_ kind: OptimizerSpec.Kind, top: Scope, reading o: OptimizerReading) -> OptimizerSpec {
        var optimizer = OptimizerSpec(kind: kind, learningRate: top.lr?.0 ?? kind.defaultLearningRate)
        optimizer.momentum = top.momentum?.0 ?? 0
        optimizer.nesterov = top.nesterov?.0 ?? false
        if let betas = o.betas { (optimizer.beta1, optimizer.beta2) = betas }
        if let eps = o.eps { optimizer.epsilon = eps }
        return optimizer
    }

    /// Optimizer combinations, per run as the engine will resolve them.
    mutating func checkOptimizers(_ block: Block, kind optimizerKind: OptimizerSpec.Kind, top: Scope, runs runScopes: [Scope]) {
        let runs = runScopes.isEmpty ? [Scope()] : runScopes
        let runKinds = runs.map { $0.optimizer?.0 ?? optimizerKind }
        if let (_, e) = top.momentum, !runKinds.contains(where: \.usesMomentum) {
            r.diagnostics.error(e.line, column: e.keyColumn, "`momentum` is \(Kinds.names(\.usesMomentum, possessive: true)); \(Kinds.names(\.usesBetas)) use `betas`")
        }
        if let e = block.entry("betas"), !runKinds.contains(where: \.usesBetas) {
            r.diagnostics.error(e.line, column: e.keyColumn, "`betas` is \(Kinds.names(\.usesBetas, possessive: true)); no run of this experiment uses one")
        } else if let e = block.entry("eps"), !runKinds.contains(where: \.usesEpsilon) {
            r.diagnostics.error(e.line, column: e.keyColumn, "`eps` is \(Kinds.names(\.usesEpsilon, possessive: true)); no run of this experiment uses one")
        }
        for (run, kind) in zip(runs, runKinds) {
            if let (_, e) = run.momentum, !kind.usesMomentum {
                r.diagnostics.error(e.line, column: e.keyColumn, "`momentum` is \(Kinds.names(\.usesMomentum, possessive: true)); this run uses \(kind.rawValue)")
            }
            if let (on, e) = run.nesterov ?? top.nesterov, on {
                let momentum = run.momentum?.0 ?? top.momentum?.0 ?? 0
                if !kind.usesMomentum || momentum == 0 {
                    r.diagnostics.error(e.line, column: e.keyColumn, "nesterov needs SGD with momentum > 0",
                                        suggestion: "set `momentum = 0.9`, or remove `nesterov`")
                }
            }
            let decay = WeightDecay.named(run: run.decay, runSwitchesOptimizer: run.optimizer != nil, experiment: top.decay)
            if kind == .adamw, let (mode, e) = decay, mode == .l2 {
                r.diagnostics.error(e.line, column: e.valueColumn,
                                    "AdamW's weight decay is decoupled (p ← p·(1 − lr·λ)); it cannot be L2",
                                    suggestion: "use optimizer = adam with decay = l2 for coupled L2, or drop `decay` for AdamW")
            }
            if let (target, e) = run.decayTo ?? top.decayTo, target == .initial,
               WeightDecay.mode(named: decay?.0, optimizer: kind) == .none {
                r.diagnostics.error(e.line, column: e.valueColumn, "decay_to = init has no effect: this run has decay = none",
                                    suggestion: "choose a decay (l2, decoupled or independent), or remove `decay_to`")
            }
        }
        for scope in [top] + runScopes {
            if let (mode, _) = scope.decay, mode == .none, let (l, e) = scope.lambda, l > 0 {
                r.diagnostics.error(e.line, column: e.keyColumn, "λ = \(l) has no effect with decay = none",
                                    suggestion: "remove `lambda`, or choose a decay")
            }
        }
    }

    /// A scope's schedule (a run inherits the experiment's keys it does not set).
    mutating func schedule(_ scope: Scope, inherit: Scope?, steps: Int) -> ScheduleShape? {
        let name = scope.schedule?.0 ?? inherit?.schedule?.0 ?? "constant"
        let warmup = scope.warmup ?? inherit?.warmup
        let floor = scope.floor ?? inherit?.floor
        if let (_, e) = scope.warmup, name == "constant" {
            r.diagnostics.error(e.line, column: e.keyColumn, "`warmup` needs schedule = warmup, cosine or linear")
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
        case "linear": return .linear(warmup: warmup?.0 ?? 0, total: steps)
        default: return .constant
        }
    }

    /// The runs. A run that switches optimizer, where the experiment leaves
    /// lr or λ to the defaults, gets its own optimizer's PyTorch defaults.
    mutating func readRuns(_ block: Block, top: Scope, runs: [Scope], kind optimizerKind: OptimizerSpec.Kind,
                           steps: Int) -> [RunSpec] {
        var runSpecs: [RunSpec] = []
        for (section, scope) in zip(block.sections, runs) {
            let setsSchedule = scope.schedule != nil || scope.warmup != nil || scope.floor != nil
            var run = RunSpec(
                name: section.name, optimizer: scope.optimizer?.0, decay: scope.decay?.0, weightDecay: scope.lambda?.0,
                learningRate: scope.lr?.0, momentum: scope.momentum?.0, nesterov: scope.nesterov?.0,
                dropout: scope.dropout?.0, groups: scope.groups.mapValues(\.0),
                schedule: setsSchedule ? schedule(scope, inherit: top, steps: steps) : nil, decayTo: scope.decayTo?.0)
            if let e = section.entry("steps") {
                // A run may stop early (fewer epochs beside the others), never run longer.
                run.steps = r.integer(e, 1...steps, "a run trains 1 to the experiment's \(steps) steps")
            }
            if let kind = run.optimizer, kind != optimizerKind {
                if run.learningRate == nil && top.lr == nil { run.learningRate = kind.defaultLearningRate }
                if run.weightDecay == nil && top.lambda == nil { run.weightDecay = kind.defaultWeightDecay }
            }
            runSpecs.append(run)
        }
        return runSpecs
    }
}
