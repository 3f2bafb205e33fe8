import Foundation

/// Reads a JSON training config: a `TrainingArguments` dump
/// (`to_json_string()`), a TRL config dump (SFTConfig, DPOConfig,
/// GRPOConfig, …), or the JSON an HfArgumentParser script reads (model and
/// data arguments beside the training ones). Missing keys take the
/// defaults of the class the file is read as.
enum TrainingArgumentsReader {
    static let maximumBytes = 4_000_000

    static func read(path: String) throws -> TrainingConfig {
        var bytes = try OpenFile(path: path, what: "config").readAll(limit: maximumBytes, what: "config")
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let json = try JSONReader.parse(bytes, path: path, what: "config")
        guard case .object(let top) = json else {
            throw InspectError(path: path, line: 1, message: "the config is \(json.kindName), not a JSON object of training arguments")
        }
        try refuseOtherFiles(top, path: path)
        let lines = TextPosition.jsonKeyLines(bytes)
        var entries: [String: ConfigEntry] = [:]
        for (key, value) in top {
            entries[key] = ConfigEntry(value: configValue(value, lines: lines, depth: 0), line: lines[key])
        }
        let fields = ConfigFields(entries: entries, path: path, numbersAsStrings: false)
        let kind = JSONConfigKind.detect(keys: Set(top.keys))
        if !top.isEmpty && Set(top.keys).isDisjoint(with: kind.known) {
            throw InspectError(path: path, line: 1, message: "none of this file's keys is a TrainingArguments, TRL or HfArgumentParser key; it is not a training config",
                               hint: "--config takes a TrainingArguments/TRL .json (to_json_string()) or an Axolotl .yml")
        }
        var config = try TrainingArgumentsBuilder.build(fields, kind: kind, path: path)
        config.notes = KeyCheck.json(fields, known: kind.known, parserRefuses: !kind.parserGroups.isEmpty) + config.notes
        return config
    }

    /// JSON files a learner may pass by mistake, each with where it belongs.
    static func refuseOtherFiles(_ top: [String: JSONValue], path: String) throws {
        if top["peft_type"] != nil {
            throw InspectError(path: path, line: 1, message: "this is a PEFT adapter's adapter_config.json, not training arguments",
                               hint: "pass the adapter's folder with --model; --config takes a TrainingArguments/TRL .json or an Axolotl .yml")
        }
        let modelShape = ["hidden_size", "vocab_size", "n_embd", "d_model"].contains { top[$0] != nil }
        if top["architectures"] != nil || (top["model_type"] != nil && modelShape) {
            throw InspectError(path: path, line: 1, message: "this is a model's config.json, not training arguments",
                               hint: "pass the model's folder with --model; --config takes a TrainingArguments/TRL .json or an Axolotl .yml")
        }
        if top["log_history"] != nil {
            throw InspectError(path: path, line: 1, message: "this is a Trainer's trainer_state.json, not training arguments",
                               hint: "write them with TrainingArguments.to_json_string() and pass that file")
        }
        if top["weight_map"] != nil {
            throw InspectError(path: path, line: 1, message: "this is a sharded checkpoint's index, not training arguments", hint: "pass it with --model")
        }
    }

    static func configValue(_ value: JSONValue, lines: [String: Int], depth: Int) -> ConfigValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .array(let items):
            guard depth < 3 else { return .list([]) }
            return .list(items.prefix(AxolotlConfigReader.maximumListItems).map { configValue($0, lines: lines, depth: depth + 1) })
        case .object(let pairs):
            // Only the scheduler's keyword arguments are read below the top.
            guard depth < 2 else { return .list([]) }
            var map: [String: ConfigEntry] = [:]
            for (k, v) in pairs {
                map[k] = ConfigEntry(value: configValue(v, lines: lines, depth: depth + 1), line: lines[k])
            }
            return .map(map)
        }
    }
}
