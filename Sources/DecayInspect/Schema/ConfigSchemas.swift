import Foundation

/// The keys the real training tools accept, as data: `config-schemas.json`,
/// written by `scripts/make_config_schemas.py` from Axolotl's wheel,
/// transformers' `TrainingArguments` and TRL's config classes, and compiled
/// into the binary. Regenerate it for a new release with that one command.
struct ConfigSchemas: Sendable {
    /// A field of a config class: its default when it is a plain value, and
    /// the JSON kind it takes ("int", "float", "bool", "str", "list",
    /// "dict", "choice:[…]" or "any").
    struct Field: Sendable {
        var defaultValue: JSONValue
        var kind: String
        var required: Bool
    }

    /// A TRL config class: its own fields (beyond TrainingArguments) with
    /// their defaults, and the TrainingArguments defaults it changes.
    struct TRLConfig: Sendable {
        var name: String
        var module: String
        var version: String
        var fields: [String: JSONValue]
        var overrides: [String: JSONValue]
    }

    /// An Axolotl plugin: the names `plugins:` may list it under, and the
    /// keys it adds to the config (aliases map to their field).
    struct Plugin: Sendable {
        var names: [String]
        var fields: Set<String>
        var aliases: [String: String]
        /// The short name used in messages ("liger" for axolotl.integrations.liger.LigerPlugin).
        var shortName: String {
            let parts = (names.first ?? "").split(separator: ".")
            return parts.count >= 3 ? String(parts[2]) : (names.first ?? "")
        }
    }

    var versions: [String: String]
    var trainingArguments: [String: Field]
    var seq2seqArguments: Set<String>
    /// Fields older transformers releases had, with the release they were read from.
    var legacyTrainingArguments: [String: String]
    var optimizers: [String]
    var legacyOptimizers: [String: String]
    var schedulers: [String]
    /// The keyword arguments each schedule function takes (nil: get_scheduler passes none).
    var schedulerKeywords: [String: [String]?]
    var trl: [String: TRLConfig]
    /// HfArgumentParser dataclasses (model and data arguments) by name.
    var argumentDataclasses: [String: Set<String>]
    var axolotlFields: [String: Field]
    /// Alias → field name (`model_type` → `type_of_model`).
    var axolotlAliases: [String: String]
    var axolotlOptimizers: [String]
    var axolotlSchedulers: [String]
    var axolotlRL: [String]
    var plugins: [Plugin]
    /// TRL's ModelConfig defaults (use_peft, lora_r, …) for HfArgumentParser files.
    var trlModelConfig: [String: JSONValue]
    /// peft's LoRA targets per model type, used when target_modules is not given.
    var loraDefaultTargets: [String: [String]]

    /// The data compiled into the binary.
    static let shared: ConfigSchemas = {
        do {
            return try ConfigSchemas(json: PackageResources.config_schemas_json)
        } catch {
            // The file is generated and compiled in; a broken one is a build mistake.
            fatalError("Sources/DecayInspect/Schema/config-schemas.json cannot be read: \(error)")
        }
    }()

    init(json bytes: [UInt8]) throws {
        guard case .object(let top) = try JSONReader.parse(bytes, path: "config-schemas.json", what: "schema file") else {
            throw InspectError(path: "config-schemas.json", message: "not a JSON object")
        }
        let hf = top["transformers"]?.objectValue ?? [:]
        let axolotl = top["axolotl"]?.objectValue ?? [:]
        versions = (top["versions"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        trainingArguments = Self.fields(hf["training_arguments"])
        seq2seqArguments = Set((hf["seq2seq_training_arguments"]?.objectValue ?? [:]).keys)
        legacyTrainingArguments = (hf["legacy_training_arguments"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        optimizers = hf["optimizers"]?.stringList ?? []
        legacyOptimizers = (hf["legacy_optimizers"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        schedulers = hf["schedulers"]?.stringList ?? []
        schedulerKeywords = (hf["scheduler_keywords"]?.objectValue ?? [:]).mapValues { $0.stringList }
        var trl: [String: TRLConfig] = [:]
        for (name, value) in top["trl"]?.objectValue ?? [:] {
            let o = value.objectValue ?? [:]
            trl[name] = TRLConfig(name: name, module: o["module"]?.stringValue ?? "", version: o["version"]?.stringValue ?? "",
                                  fields: o["fields"]?.objectValue ?? [:], overrides: o["overrides"]?.objectValue ?? [:])
        }
        self.trl = trl
        argumentDataclasses = (top["argument_dataclasses"]?.objectValue ?? [:]).mapValues { Set($0.stringList ?? []) }
        axolotlFields = Self.fields(axolotl["fields"])
        axolotlAliases = (axolotl["aliases"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        axolotlOptimizers = axolotl["optimizers"]?.stringList ?? []
        axolotlSchedulers = axolotl["schedulers"]?.stringList ?? []
        axolotlRL = axolotl["rl"]?.stringList ?? []
        trlModelConfig = top["trl_model_config"]?.objectValue ?? [:]
        loraDefaultTargets = (top["peft"]?.objectValue?["lora_default_targets"]?.objectValue ?? [:]).mapValues { $0.stringList ?? [] }
        plugins = (axolotl["plugins"]?.objectValue ?? [:]).keys.sorted().compactMap { key in
            guard let o = axolotl["plugins"]?.objectValue?[key]?.objectValue else { return nil }
            return Plugin(names: o["names"]?.stringList ?? [key], fields: Set(o["fields"]?.stringList ?? []),
                          aliases: (o["aliases"]?.objectValue ?? [:]).compactMapValues(\.stringValue))
        }
    }

    static func fields(_ value: JSONValue?) -> [String: Field] {
        (value?.objectValue ?? [:]).mapValues { v in
            let o = v.objectValue ?? [:]
            return Field(defaultValue: o["default"] ?? .null, kind: o["kind"]?.stringValue ?? "any",
                         required: o["required"]?.boolValue ?? false)
        }
    }

    // MARK: - Questions the readers ask

    /// Every key a `TrainingArguments` JSON may hold (current, Seq2Seq and older releases').
    var allTrainingArgumentKeys: Set<String> {
        Set(trainingArguments.keys).union(seq2seqArguments).union(legacyTrainingArguments.keys)
    }

    /// The plugin a key belongs to, if any.
    func plugin(forKey key: String) -> Plugin? {
        plugins.first { $0.fields.contains(key) || $0.aliases[key] != nil }
    }

    /// The plugin listed under `name` in `plugins:`.
    func plugin(named name: String) -> Plugin? {
        plugins.first { $0.names.contains(name) }
    }

    /// A TrainingArguments default as a number (nil when it is not one).
    func trainerDefault(_ key: String) -> Double? { trainingArguments[key]?.defaultValue.numberValue }

    /// An Axolotl default as a number.
    func axolotlDefault(_ key: String) -> Double? { axolotlFields[key]?.defaultValue.numberValue }
}

extension JSONValue {
    var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }
    var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    var numberValue: Double? { if case .number(let n) = self { return n.double }; return nil }
    var stringList: [String]? {
        guard case .array(let a) = self else { return nil }
        return a.compactMap(\.stringValue)
    }
}
