import TextSupport

/// An Axolotl config's entries turned into a `TrainingConfig`, with the
/// defaults of Axolotl's schema and the checks of its validators that
/// change the arithmetic (each refusal names the validator's own reason).
enum AxolotlConfigBuilder {
    static var schemas: ConfigSchemas { ConfigSchemas.shared }

    static func build(_ f: ConfigFields, path: String) throws -> TrainingConfig {
        var c = TrainingConfig(format: .axolotl, path: path)
        c.formatLabel = "Axolotl \(schemas.versions["axolotl"] ?? "")"
        c.lines = f.entries.compactMapValues(\.line)
        for (alias, field) in schemas.axolotlAliases { if let line = c.lines[alias] { c.lines[field] = line } }
        c.epochs = schemas.axolotlDefault("num_epochs") ?? 1
        c.batchSize = Int(schemas.axolotlDefault("micro_batch_size") ?? 1)
        c.accumulation = Int(schemas.axolotlDefault("gradient_accumulation_steps") ?? 1)
        c.weightDecay = schemas.axolotlDefault("weight_decay") ?? 0
        c.optimizer = schemas.axolotlFields["optimizer"]?.defaultValue.stringValue ?? "adamw_torch_fused"
        c.scheduler.name = schemas.axolotlFields["lr_scheduler"]?.defaultValue.stringValue ?? "cosine"
        c.scheduler.kind = LearningRateSchedule.Kind(rawValue: c.scheduler.name)
        c.scheduler.description = c.scheduler.name
        try readTraining(f, into: &c)
        try readWarmup(f, into: &c)
        try readData(f, into: &c)
        try ScheduleReader.read(f, schedulerKey: "lr_scheduler", kwargsKey: "lr_scheduler_kwargs", into: &c)
        try AxolotlScheduleChoice.apply(f, to: &c)
        try ScheduleReader.readKeywords(f, kwargsKey: "lr_scheduler_kwargs", into: &c)
        // Axolotl sets an eval strategy only with held-out data and eval_steps,
        // evals_per_epoch or eval_strategy (TrainerBuilderBase._configure_save_and_eval_strategy).
        let heldOut = c.axolotl.valSetSize > 0 || f.present("test_datasets") != nil
        let evaluates = heldOut && ["eval_steps", "evals_per_epoch", "eval_strategy"].contains { f.present($0) != nil }
        try ScheduleReader.requireEvaluation(c, evaluates: evaluates, schedulerKey: "lr_scheduler")
        c.adapter = try AdapterSettings.axolotl(f, config: &c)
        c.runKindHint = runKind(c)
        try validate(f, c)
        c.notes += RunSettingNotes.axolotl(f)
        if f.present("base_model") == nil {
            c.notes.append(InspectNote(.toolError, "`base_model` is missing; Axolotl requires it (this report takes the run to start from a pretrained model)"))
        }
        if f.present("datasets") == nil && f.present("pretraining_dataset") == nil {
            c.notes.append(InspectNote(.toolError, "neither `datasets` nor `pretraining_dataset` is set; Axolotl requires one"))
        }
        return c
    }

    static func readTraining(_ f: ConfigFields, into c: inout TrainingConfig) throws {
        guard let lr = try f.double("learning_rate", in: 0...1e6, what: "a learning rate must be ≥ 0") else {
            throw InspectError(path: f.path, message: "`learning_rate` is missing; Axolotl requires it")
        }
        c.learningRate = lr
        if let v = try f.double("weight_decay", in: 0...1e6, what: "weight decay must be ≥ 0") { c.weightDecay = v }
        if let v = try f.double("num_epochs", in: 0...1e9, what: "epochs must be ≥ 0") { c.epochs = v }
        if let v = try f.integer("max_steps", in: Int.min...Int.max, what: "") { c.maxSteps = v != 0 ? v : nil }
        let limit = 1...Int(Int32.max)
        if let v = try f.integer("micro_batch_size", in: limit, what: "a batch holds at least one example") { c.batchSize = v }
        c.axolotl.batchSize = try f.integer("batch_size", in: limit, what: "a batch holds at least one example")
        // The schema's default accumulation is 1; only an explicit null lets
        // normalize_config derive it from batch_size.
        if let v = try f.integer("gradient_accumulation_steps", in: limit, what: "accumulate over at least one batch") {
            c.accumulation = v
        } else if f.entries["gradient_accumulation_steps"] != nil, let total = c.axolotl.batchSize {
            c.accumulation = max(1, total / c.batchSize)
        }
        if let o = try f.string("optimizer") {
            let accepted = schemas.optimizers + schemas.axolotlOptimizers
            guard accepted.contains(o) else {
                let near = Suggestion.closest(to: o, among: accepted)
                throw f.error("optimizer", "unknown optimizer \(Quote.code(o)): TrainingArguments refuses an optim that is not one of its OptimizerNames, and it is not one of Axolotl's own",
                              hint: near.map { "did you mean `\($0)`?" } ?? "expected one of " + accepted.joined(separator: ", "))
            }
            c.optimizer = o
        }
        c.optimizerArguments = try OptimizerArguments.read(f, key: "optim_args")
    }

    static func readWarmup(_ f: ConfigFields, into c: inout TrainingConfig) throws {
        let steps = try f.integer("warmup_steps", in: 0...Int(Int32.max), what: "warm-up must be ≥ 0")
        let ratio = try f.double("warmup_ratio", in: 0...1, what: "a warm-up ratio lies in [0, 1]")
        if let steps, steps != 0, let ratio, ratio != 0 {
            throw f.error("warmup_ratio", "`warmup_steps` and `warmup_ratio` are both set; Axolotl refuses that (\"warmup_steps and warmup_ratio are mutually exclusive\")")
        }
        c.warmup = steps.map { .axolotlSteps($0) } ?? ratio.map { .axolotlRatio($0) } ?? .axolotlDefault
    }

    static func readData(_ f: ConfigFields, into c: inout TrainingConfig) throws {
        var a = c.axolotl
        if let v = try f.double("val_set_size", in: 0...1e12, what: "a validation share is ≥ 0") { a.valSetSize = v }
        a.samplePacking = try f.bool("sample_packing") ?? false
        a.packingEfficiency = try f.double("sample_packing_eff_est", in: 1e-6...1, what: "a packing efficiency lies in (0, 1]")
        a.totalTokens = try f.integer("total_num_tokens", in: 1...Int.max, what: "a token count is ≥ 1")
        if let v = try f.integer("sequence_len", in: 1...Int(Int32.max), what: "a sequence holds at least one token") { a.sequenceLength = v }
        a.streaming = try f.bool("streaming") ?? false
        if let e = f.present("pretraining_dataset") {
            if case .list(let items) = e.value, items.isEmpty {} else { a.pretrainingDataset = true }
        }
        a.rl = try f.choice("rl", among: schemas.axolotlRL)
        a.baseModel = try f.string("base_model")
        a.reinitWeights = try f.bool("reinit_weights") ?? false
        c.axolotl = a
        if a.rl == "grpo" || a.rl == "ebft" {
            c.trainer = .grouped
            try readGrouped(f, into: &c)
        }
    }

    /// GRPO's sampling settings from the `trl:` section (TRL's defaults otherwise).
    static func readGrouped(_ f: ConfigFields, into c: inout TrainingConfig) throws {
        guard let entry = f.present("trl") else { return }
        guard case .map(let trl) = entry.value else { throw f.error("trl", "`trl` is \(entry.value.kindName), not a mapping") }
        let t = ConfigFields(entries: trl, path: f.path, numbersAsStrings: true)
        if let n = try t.integer("num_generations", in: 1...Int(Int32.max), what: "at least one generation per prompt") { c.grouped.numGenerations = n }
        if let n = try t.integer("num_iterations", in: 1...Int(Int32.max), what: "at least one iteration") { c.grouped.numIterations = n }
        c.grouped.generationBatchSize = try t.integer("generation_batch_size", in: 1...Int(Int32.max), what: "a generation batch holds at least one completion")
    }

    static func runKind(_ c: TrainingConfig) -> RunKindHint {
        if let adapter = c.adapter { return RunKindHint(kind: .adapter, reason: "`adapter: \(adapter.kind)`") }
        if c.axolotl.reinitWeights { return RunKindHint(kind: .fromScratch, reason: "`reinit_weights: true` (the base model's weights are reinitialized)") }
        let base = c.axolotl.baseModel.map { " from `base_model: \(Quote.visible($0, limit: 60))`" } ?? ""
        return RunKindHint(kind: .fullFineTune, reason: "Axolotl loads the pretrained weights\(base) and trains them all (no `adapter`)")
    }

    /// Axolotl's validators that refuse a combination this report depends on.
    static func validate(_ f: ConfigFields, _ c: TrainingConfig) throws {
        let a = c.axolotl
        if a.pretrainingDataset && c.maxSteps == nil {
            throw f.error("pretraining_dataset", "`pretraining_dataset` needs `max_steps`; Axolotl refuses it without (\"Trainer can't infer length and schedule optimizer/learning rate without it\")")
        }
        if a.streaming && c.maxSteps == nil {
            throw f.error("streaming", "`streaming: true` needs `max_steps`; Axolotl refuses it without (\"max_steps must be set when using streaming datasets\")")
        }
        if (a.streaming || a.pretrainingDataset) && a.valSetSize > 0 {
            throw f.error("val_set_size", "`val_set_size` is not supported with streaming or pretraining_dataset; Axolotl refuses it", hint: "use test_datasets for evaluation")
        }
        if a.samplePacking && a.rl != nil {
            throw f.error("sample_packing", "`sample_packing: true` does not work with RL training; Axolotl refuses it")
        }
        if a.rl == "simpo", case .axolotlRatio(let r) = c.warmup, r != 0 {
            throw f.error("warmup_ratio", "warmup_ratio is not supported with the simpo trainer; Axolotl refuses it", hint: "use warmup_steps")
        }
        if f.present("batch_size") != nil && f.present("gradient_accumulation_steps") != nil,
           (try? f.integer("gradient_accumulation_steps", in: Int.min...Int.max, what: "")) ?? 0 != 0 {
            throw f.error("batch_size", "please set only one of gradient_accumulation_steps or batch_size (Axolotl refuses both)")
        }
        if f.present("batch_size") != nil, f.present("micro_batch_size") == nil, f.present("gradient_accumulation_steps") == nil {
            throw f.error("batch_size", "at least two of micro_batch_size, gradient_accumulation_steps, batch_size must be set (Axolotl refuses batch_size alone)")
        }
        try validateGrouped(f, c)
    }

    /// Axolotl's check_grpo_batch_size_divisibility, when trl.num_generations is written.
    static func validateGrouped(_ f: ConfigFields, _ c: TrainingConfig) throws {
        guard c.axolotl.rl == "grpo", case .map(let trl)? = f.present("trl")?.value, trl["num_generations"] != nil else { return }
        let n = c.grouped.numGenerations
        if n < 2 {
            throw f.error("trl", "GRPO requires trl.num_generations ≥ 2 (got \(n)); Axolotl refuses it")
        }
        let batch = c.grouped.generationBatchSize ?? c.batchSize * c.accumulation
        if batch % n != 0 {
            throw f.error("trl", "GRPO: the generation batch (\(batch)) must be divisible by trl.num_generations (\(n)); Axolotl refuses it")
        }
    }
}
