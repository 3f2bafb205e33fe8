import Foundation
import Yams

/// Reads an Axolotl YAML config: one device, Axolotl's defaults for what is
/// missing (1 epoch, micro batch 1, accumulation 1, cosine schedule, λ 0,
/// warm-up 3% of the steps up to 100); `learning_rate` is required, as
/// Axolotl requires it.
enum AxolotlConfigReader {
    static let maximumBytes = 4_000_000

    static func read(path: String) throws -> TrainingConfig {
        let bytes = try OpenFile(path: path, what: "config").readAll(limit: maximumBytes, what: "config")
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InspectError(path: path, message: "the config is not UTF-8 text")
        }
        try YAMLDepth.check(text, path: path)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw located(error, path: path)
        } catch {
            throw InspectError(path: path, message: "the config is not valid YAML")
        }
        guard let node else { throw InspectError(path: path, message: "the config is empty", hint: "an Axolotl config needs at least learning_rate") }
        guard case .mapping(let mapping) = node else {
            throw InspectError(path: path, line: node.mark?.line, message: "the config is \(describe(node)), not a mapping of Axolotl keys")
        }
        let fields = ConfigFields(entries: try entries(mapping, path: path, depth: 0), path: path, numbersAsStrings: true)
        try fields.checkKeys(known: ConfigKeys.axolotl, format: "Axolotl's config")
        return try build(fields, path: path)
    }

    static func located(_ error: YamlError, path: String) -> InspectError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return InspectError(path: path, line: mark.line, column: mark.column, message: "the config is not valid YAML: \(Quote.visible(problem, limit: 100))")
        case .reader(let problem, _, _, _):
            return InspectError(path: path, message: "the config cannot be read as YAML: \(Quote.visible(problem, limit: 100))")
        case .duplicatedKeysInMapping(let duplicates, _):
            return InspectError(path: path, message: "duplicate key \(Quote.code(duplicates.first ?? ""))")
        default:
            return InspectError(path: path, message: "the config is not valid YAML")
        }
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar: return "a single value"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return "an alias"
        }
    }

    static func entries(_ mapping: Node.Mapping, path: String, depth: Int) throws -> [String: ConfigEntry] {
        var out: [String: ConfigEntry] = [:]
        for (key, value) in mapping {
            guard case .scalar(let k) = key else {
                throw InspectError(path: path, line: key.mark?.line, message: "a key is \(describe(key)), not a name")
            }
            if out[k.string] != nil {
                throw InspectError(path: path, line: key.mark?.line, message: "duplicate key \(Quote.code(k.string))")
            }
            out[k.string] = ConfigEntry(value: try convert(value, path: path, depth: depth), line: key.mark?.line)
        }
        return out
    }

    static func convert(_ node: Node, path: String, depth: Int) throws -> ConfigValue {
        switch node {
        case .scalar(let s): return scalar(s)
        case .sequence: return .list
        case .alias: return .null
        case .mapping(let m):
            // Only the scheduler's keyword arguments are read below the top.
            return depth < 2 ? .map(try entries(m, path: path, depth: depth + 1)) : .list
        }
    }

    /// YAML 1.1 resolution, as PyYAML (which Axolotl uses) reads plain scalars.
    static func scalar(_ s: Node.Scalar) -> ConfigValue {
        let text = s.string
        guard s.style == .plain || s.style == .any else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return .bool(true)
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return .bool(false)
        default: break
        }
        let cleaned = text.replacingOccurrences(of: "_", with: "")
        if let i = Int(cleaned) { return .number(JSONNumber(double: Double(i), integer: i, text: text)) }
        if cleaned.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }), cleaned.contains(where: \.isNumber),
           let d = Double(cleaned) {
            return .number(JSONNumber(double: d, integer: nil, text: text))
        }
        if [".inf", ".Inf", ".INF", "+.inf", "-.inf", ".nan", ".NaN", ".NAN"].contains(text) {
            return .number(JSONNumber(double: .infinity, integer: nil, text: text))
        }
        return .string(text)
    }

    static func build(_ f: ConfigFields, path: String) throws -> TrainingConfig {
        var c = TrainingConfig(format: .axolotl, path: path)
        c.lines = f.entries.compactMapValues(\.line)
        c.epochs = 1
        c.batchSize = 1
        c.scheduler = .cosine
        c.schedulerName = "cosine"
        guard let lr = try f.double("learning_rate", in: 0...1e6, what: "a learning rate must be ≥ 0") else {
            throw InspectError(path: path, message: "`learning_rate` is missing; Axolotl requires it")
        }
        c.learningRate = lr
        if let v = try f.double("weight_decay", in: 0...1e6, what: "weight decay must be ≥ 0") { c.weightDecay = v }
        if let v = try f.double("num_epochs", in: 0...1e9, what: "epochs must be ≥ 0") { c.epochs = v }
        if let v = try f.integer("max_steps", in: Int.min...Int.max, what: "") { c.maxSteps = v > 0 ? v : nil }
        let limit = 1...Int(Int32.max)
        if let v = try f.integer("micro_batch_size", in: limit, what: "a batch holds at least one example") { c.batchSize = v }
        let totalBatch = try f.integer("batch_size", in: limit, what: "a batch holds at least one example")
        // The schema's default accumulation is 1; only an explicit null lets
        // Axolotl derive it from batch_size. batch_size, when set, is what
        // Axolotl divides the data by to estimate the steps.
        if let v = try f.integer("gradient_accumulation_steps", in: limit, what: "accumulate over at least one batch") {
            c.accumulation = v
        } else if f.entries["gradient_accumulation_steps"] != nil, let totalBatch {
            c.accumulation = max(1, totalBatch / c.batchSize)
        }
        c.axolotlBatch = totalBatch
        let steps = try f.integer("warmup_steps", in: 0...Int(Int32.max), what: "warm-up must be ≥ 0")
        let ratio = try f.double("warmup_ratio", in: 0...1, what: "a warm-up ratio lies in [0, 1]")
        if steps != nil, ratio != nil {
            throw f.error("warmup_ratio", "`warmup_steps` and `warmup_ratio` are both set; Axolotl takes one")
        }
        c.warmup = steps.map { .trainer(Double($0)) } ?? ratio.map { .axolotlRatio($0) } ?? .axolotlDefault
        if let o = try f.choice("optimizer", among: ConfigKeys.optimizers + ConfigKeys.axolotlOptimizers) { c.optimizer = o }
        if let packing = try f.bool("sample_packing") { c.samplePacking = packing }
        if try f.double("cosine_min_lr_ratio", in: 0...1, what: "a ratio lies in [0, 1]") != nil {
            throw f.error("cosine_min_lr_ratio", "Axolotl runs `cosine_min_lr_ratio` with its own scheduler, which inspect does not follow",
                          hint: "use lr_scheduler: cosine_with_min_lr with lr_scheduler_kwargs: {min_lr_rate: …}")
        }
        try SchedulerSettings.apply(f, schedulerKey: "lr_scheduler", kwargsKey: "lr_scheduler_kwargs", to: &c)
        return c
    }
}
