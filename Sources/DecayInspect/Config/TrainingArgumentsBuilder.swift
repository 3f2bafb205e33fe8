import TextSupport

/// A JSON config's entries turned into a `TrainingConfig`: TrainingArguments'
/// fields, the TRL class's defaults and keys that change the arithmetic,
/// and what the model arguments say about where training starts.
enum TrainingArgumentsBuilder {
    static var schemas: ConfigSchemas { ConfigSchemas.shared }

    static func build(_ f: ConfigFields, kind: JSONConfigKind, path: String) throws -> TrainingConfig {
        var c = TrainingConfig(format: kind.trl.map { .trl($0.name) } ?? (kind.parserGroups.isEmpty ? .huggingFace : .argumentParser), path: path)
        c.formatLabel = kind.label
        c.lines = f.entries.compactMapValues(\.line)
        applyDefaults(kind.trl, to: &c)
        if let trl = kind.trl, !kind.alsoFits.isEmpty {
            c.notes.append(InspectNote(.configClass, "read as \(trl.name), whose keys it holds; \(kind.alsoFits.prefix(4).joined(separator: ", ")) fit as well. "
                + "Keys the file leaves out take \(trl.name)'s defaults"))
        }
        try readTraining(f, into: &c)
        try readWarmup(f, into: &c)
        if let o = try f.string("optim") {
            let accepted = schemas.optimizers + schemas.legacyOptimizers.keys.sorted()
            guard accepted.contains(o) else {
                throw f.error("optim", "unknown optim \(Quote.code(o)): TrainingArguments refuses it",
                              hint: Suggestion.closest(to: o, among: accepted).map { "did you mean `\($0)`?" } ?? "expected one of " + schemas.optimizers.joined(separator: ", "))
            }
            if let release = schemas.legacyOptimizers[o] {
                c.notes.append(InspectNote(.legacyKey, "optim \(Quote.code(o)) is from transformers \(release); transformers \(schemas.versions["transformers"] ?? "") refuses it", line: c.lines["optim"]))
            }
            c.optimizer = o
        }
        c.optimizerArguments = try OptimizerArguments.read(f, key: "optim_args")
        try ScheduleReader.read(f, schedulerKey: "lr_scheduler_type", kwargsKey: "lr_scheduler_kwargs", into: &c)
        try ScheduleReader.readKeywords(f, kwargsKey: "lr_scheduler_kwargs", into: &c)
        let evalStrategy = (try? f.string("eval_strategy")) ?? (try? f.string("evaluation_strategy")) ?? nil
        try ScheduleReader.requireEvaluation(c, evaluates: evalStrategy.map { $0 != "no" } ?? false, schedulerKey: "lr_scheduler_type")
        if let name = c.scheduler.kind?.rawValue, c.scheduler.kind == .cosineWithMinLR || c.scheduler.kind == .cosineWarmupWithMinLR {
            c.scheduler.description = name
        }
        if let trl = kind.trl { try readTRL(f, trl: trl, into: &c) }
        c.notes += RunSettingNotes.trainer(f)
        c.adapter = try AdapterSettings.modelConfig(f, config: &c)
        c.runKindHint = runKind(f, c)
        return c
    }

    /// TrainingArguments' defaults, then those the TRL class changes.
    static func applyDefaults(_ trl: ConfigSchemas.TRLConfig?, to c: inout TrainingConfig) {
        func number(_ key: String) -> Double? {
            trl?.overrides[key]?.numberValue ?? schemas.trainerDefault(key)
        }
        c.learningRate = number("learning_rate") ?? 5e-5
        c.weightDecay = number("weight_decay") ?? 0
        c.epochs = number("num_train_epochs") ?? 3
        c.batchSize = Int(number("per_device_train_batch_size") ?? 8)
        c.accumulation = Int(number("gradient_accumulation_steps") ?? 1)
        c.warmup = .trainer(number("warmup_steps") ?? 0)
        c.optimizer = trl?.overrides["optim"]?.stringValue ?? schemas.trainingArguments["optim"]?.defaultValue.stringValue ?? "adamw_torch_fused"
        let scheduler = trl?.overrides["lr_scheduler_type"]?.stringValue ?? schemas.trainingArguments["lr_scheduler_type"]?.defaultValue.stringValue ?? "linear"
        c.scheduler.name = scheduler
        c.scheduler.description = scheduler
        c.scheduler.kind = LearningRateSchedule.Kind(rawValue: scheduler)
    }

    static func readTraining(_ f: ConfigFields, into c: inout TrainingConfig) throws {
        if let v = try f.double("learning_rate", in: 0...1e6, what: "a learning rate must be ≥ 0") { c.learningRate = v }
        if let v = try f.double("weight_decay", in: 0...1e6, what: "weight decay must be ≥ 0") { c.weightDecay = v }
        if let v = try f.double("num_train_epochs", in: 0...1e9, what: "epochs must be ≥ 0") { c.epochs = v }
        if let v = try f.integer("max_steps", in: Int.min...Int.max, what: "") {
            if v == 0 { throw f.error("max_steps", "`max_steps` is 0: the Trainer would take no optimizer step", hint: "use a positive count, or -1 to train for num_train_epochs") }
            c.maxSteps = v > 0 ? v : nil
        }
        let limit = 1...Int(Int32.max)
        if let v = try f.integer("per_device_train_batch_size", in: limit, what: "a batch holds at least one example") { c.batchSize = v }
        // Older files: per_gpu_train_batch_size, when set, took precedence.
        if let v = try f.integer("per_gpu_train_batch_size", in: limit, what: "a batch holds at least one example") { c.batchSize = v }
        if let v = try f.integer("gradient_accumulation_steps", in: limit, what: "accumulate over at least one batch") { c.accumulation = v }
        if let v = try f.bool("dataloader_drop_last") { c.dropLast = v }
    }

    static func readWarmup(_ f: ConfigFields, into c: inout TrainingConfig) throws {
        let written = try f.double("warmup_steps", in: 0...1e12, what: "TrainingArguments refuses a negative warm-up")
        // transformers 4 wrote warmup_ratio beside warmup_steps; it applied
        // when warmup_steps was 0, as ⌈ratio × steps⌉ — what transformers 5
        // does with a fractional warmup_steps.
        let ratio = try f.double("warmup_ratio", in: 0...1, what: "a warm-up ratio lies in [0, 1]")
        if (written ?? 0) == 0, let ratio {
            c.warmup = .trainer(ratio)
        } else if let written {
            c.warmup = .trainer(written)
        }
    }

    /// The keys of TRL classes that change the step count.
    static func readTRL(_ f: ConfigFields, trl: ConfigSchemas.TRLConfig, into c: inout TrainingConfig) throws {
        if trl.fields["packing"] != nil {
            c.packing = try f.bool("packing") ?? (trl.fields["packing"]?.boolValue ?? false)
        }
        let own = Set(trl.fields.keys)
        if trl.name == "GRPOConfig" || trl.name == "RLOOConfig" {
            c.trainer = .grouped
            let limit = 1...Int(Int32.max)
            c.grouped.numGenerations = try f.integer("num_generations", in: limit, what: "at least one generation per prompt")
                ?? Int(trl.fields["num_generations"]?.numberValue ?? 8)
            c.grouped.numIterations = try f.integer("num_iterations", in: limit, what: "at least one iteration")
                ?? Int(trl.fields["num_iterations"]?.numberValue ?? 1)
            c.grouped.generationBatchSize = try f.integer("generation_batch_size", in: limit, what: "a generation batch holds at least one completion")
            c.grouped.stepsPerGeneration = try f.integer("steps_per_generation", in: limit, what: "at least one step per generation")
        } else if own.contains("num_generations") && own.contains("steps_per_generation") {
            c.trainer = .own("\(trl.name)'s trainer samples prompts in groups of its own; inspect follows GRPOConfig's and RLOOConfig's sampler only")
        } else if own.contains("total_episodes") {
            c.trainer = .own("\(trl.name)'s trainer runs its own loop, counted from total_episodes and num_ppo_epochs, not the Trainer's")
        }
    }

    static func runKind(_ f: ConfigFields, _ c: TrainingConfig) -> RunKindHint? {
        if let adapter = c.adapter { return RunKindHint(kind: .adapter, reason: "`use_peft: true` (\(adapter.kind))") }
        if let name = try? f.string("model_name_or_path") {
            return RunKindHint(kind: .fullFineTune, reason: "`model_name_or_path: \(Quote.visible(name, limit: 60))` loads pretrained weights")
        }
        if f.present("config_overrides") != nil || f.present("model_type") != nil || f.present("config_name") != nil {
            return RunKindHint(kind: .fromScratch, reason: "a model_type/config without model_name_or_path: the example scripts build the model from scratch")
        }
        return nil
    }
}
