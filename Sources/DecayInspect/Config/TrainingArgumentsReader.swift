import Foundation

/// Reads a Hugging Face `TrainingArguments` JSON file (as
/// `TrainingArguments.to_json_string()` writes it, or by hand), with the
/// Trainer's defaults for what is missing: lr 5e-5, λ 0, 3 epochs, batch 8,
/// linear schedule, AdamW (fused).
enum TrainingArgumentsReader {
    static let maximumBytes = 4_000_000

    static func read(path: String) throws -> TrainingConfig {
        let bytes = try OpenFile(path: path, what: "config").readAll(limit: maximumBytes, what: "config")
        let json = try JSONReader.parse(bytes, path: path, what: "config")
        guard case .object(let top) = json else {
            throw InspectError(path: path, line: 1, message: "the config is \(json.kindName), not a JSON object of TrainingArguments keys")
        }
        let lines = TextPosition.jsonKeyLines(bytes)
        var entries: [String: ConfigEntry] = [:]
        for (key, value) in top {
            entries[key] = ConfigEntry(value: configValue(value, lines: lines, depth: 0), line: lines[key])
        }
        if top["model_type"] != nil || top["architectures"] != nil {
            throw InspectError(path: path, line: 1, message: "this is a model's config.json, not training arguments",
                               hint: "pass the model's folder with --model; --config takes a TrainingArguments .json or an Axolotl .yml")
        }
        if top["log_history"] != nil {
            throw InspectError(path: path, line: 1, message: "this is a Trainer's trainer_state.json, not training arguments",
                               hint: "write them with TrainingArguments.to_json_string() and pass that file")
        }
        let fields = ConfigFields(entries: entries, path: path, numbersAsStrings: false)
        try fields.checkKeys(known: ConfigKeys.trainingArguments.union(ConfigKeys.legacyTrainingArguments),
                             format: "TrainingArguments")
        return try build(fields, path: path)
    }

    static func configValue(_ value: JSONValue, lines: [String: Int], depth: Int) -> ConfigValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .array: return .list
        case .object(let pairs):
            // Only the scheduler's keyword arguments are read below the top.
            guard depth < 2 else { return .list }
            var map: [String: ConfigEntry] = [:]
            for (k, v) in pairs {
                map[k] = ConfigEntry(value: configValue(v, lines: lines, depth: depth + 1), line: lines[k])
            }
            return .map(map)
        }
    }

    static func build(_ f: ConfigFields, path: String) throws -> TrainingConfig {
        var c = TrainingConfig(format: .huggingFace, path: path)
        c.lines = f.entries.compactMapValues(\.line)
        if let v = try f.double("learning_rate", in: 0...1e6, what: "a learning rate must be ≥ 0") { c.learningRate = v }
        if let v = try f.double("weight_decay", in: 0...1e6, what: "weight decay must be ≥ 0") { c.weightDecay = v }
        if let v = try f.double("num_train_epochs", in: 0...1e9, what: "epochs must be ≥ 0") { c.epochs = v }
        if let v = try f.integer("max_steps", in: Int.min...Int.max, what: "") {
            if v == 0 { throw f.error("max_steps", "`max_steps` is 0", hint: "use a positive count, or -1 to train for num_train_epochs") }
            c.maxSteps = v > 0 ? v : nil
        }
        if let v = try f.integer("per_device_train_batch_size", in: 1...Int(Int32.max), what: "a batch holds at least one example") {
            c.batchSize = v
        }
        // Older files: per_gpu_train_batch_size, when set, took precedence.
        if let v = try f.integer("per_gpu_train_batch_size", in: 1...Int(Int32.max), what: "a batch holds at least one example") {
            c.batchSize = v
        }
        if let v = try f.integer("gradient_accumulation_steps", in: 1...Int(Int32.max), what: "accumulate over at least one batch") {
            c.accumulation = v
        }
        if let v = try f.bool("dataloader_drop_last") { c.dropLast = v }
        let steps = try f.double("warmup_steps", in: 0...1e12, what: "warm-up must be ≥ 0") ?? 0
        // transformers 4 wrote warmup_ratio beside warmup_steps; it applied
        // when warmup_steps was 0, as ⌈ratio × steps⌉ — what transformers 5
        // does with a fractional warmup_steps.
        if steps == 0, let ratio = try f.double("warmup_ratio", in: 0...1, what: "a warm-up ratio lies in [0, 1]") {
            c.warmup = .trainer(ratio)
        } else {
            c.warmup = .trainer(steps)
        }
        // Names older transformers accepted, for files they wrote.
        let optimizers = ConfigKeys.optimizers + ["adamw_hf", "adamw_apex_fused"]
        if let o = try f.choice("optim", among: optimizers) { c.optimizer = o }
        try SchedulerSettings.apply(f, schedulerKey: "lr_scheduler_type", kwargsKey: "lr_scheduler_kwargs", to: &c)
        return c
    }
}
