import Foundation

/// A PEFT output folder (`save_pretrained` of a peft model):
/// `adapter_config.json` and `adapter_model.safetensors`. Every tensor in
/// the file is a trained parameter (LoRA's A and B, DoRA's magnitudes,
/// the modules saved in full); the Trainer decays those its rule does.
public struct PeftAdapter: Sendable {
    public var folder: String
    public var settings: AdapterSettings
    public var tensors: [TensorInfo]
    /// `base_model_name_or_path` as written.
    public var baseModel: String?
    public var trainableParameters: Int
    public var decayedParameters: Int
    public var notes: [InspectNote] = []

    static let configName = "adapter_config.json"
    static let weightsName = "adapter_model.safetensors"

    /// Whether `path` is a folder holding an adapter_config.json.
    static func isAdapterFolder(_ path: String) -> Bool {
        isDirectory(path) == true && isDirectory((path as NSString).appendingPathComponent(configName)) == false
    }

    public static func load(folder: String) throws -> PeftAdapter {
        let configPath = (folder as NSString).appendingPathComponent(configName)
        let bytes = try OpenFile(path: configPath, what: "adapter config").readAll(limit: Checkpoint.maximumConfigBytes, what: "adapter config")
        guard case .object(let top) = try JSONReader.parse(bytes, path: configPath, what: "adapter config") else {
            throw InspectError(path: configPath, line: 1, message: "adapter_config.json is not a JSON object")
        }
        let lines = TextPosition.jsonKeyLines(bytes)
        let entries = top.mapValues { ConfigEntry(value: TrainingArgumentsReader.configValue($0, lines: lines, depth: 0), line: nil) }
        var f = ConfigFields(entries: entries, path: configPath, numbersAsStrings: false)
        for key in entries.keys { f.entries[key]?.line = lines[key] }
        let type = try f.string("peft_type") ?? ""
        guard type == "LORA" else {
            throw InspectError(path: configPath, line: lines["peft_type"], message: "peft_type is \(Quote.code(type)); inspect reads LoRA adapters (LORA)")
        }
        var a = AdapterSettings(kind: "lora", rank: 8, alpha: 8)
        a.source = configPath
        a.rank = try f.integer("r", in: 1...Int(Int32.max), what: "a rank is ≥ 1") ?? 8
        a.alpha = try f.double("lora_alpha", in: 0...1e9, what: "α is ≥ 0") ?? 8
        if case .string(let pattern)? = f.present("target_modules")?.value {
            if pattern == "all-linear" { a.allLinear = true } else { a.targetPattern = pattern }
        } else {
            a.targetModules = try f.strings("target_modules") ?? []
        }
        a.modulesToSave = try f.strings("modules_to_save") ?? []
        a.useDoRA = try f.bool("use_dora") ?? false
        a.useRSLoRA = try f.bool("use_rslora") ?? false
        a.dropout = try f.double("lora_dropout", in: 0...1, what: "a dropout probability lies in [0, 1]")
        let weights = (folder as NSString).appendingPathComponent(weightsName)
        guard isDirectory(weights) == false else {
            throw InspectError(path: folder, message: "the adapter folder has adapter_config.json but no \(weightsName)",
                               hint: "save the adapter with save_pretrained(…, safe_serialization=True)", kind: .noInput)
        }
        let header = try SafetensorsHeader.read(path: weights)
        var adapter = PeftAdapter(folder: folder, settings: a, tensors: header.tensors.sorted { $0.name < $1.name },
                                  baseModel: try f.string("base_model_name_or_path"), trainableParameters: 0, decayedParameters: 0)
        adapter.count()
        for key in ["rank_pattern", "alpha_pattern", "layers_to_transform"] {
            if case .map(let m)? = f.present(key)?.value, !m.isEmpty {
                adapter.notes.append(InspectNote(.approximation, "\(key) is set in adapter_config.json: the scale α/r shown is the default one, not each layer's"))
            }
        }
        return adapter
    }

    mutating func count() {
        let norms = DecayRules.layerNormModules(tensors: tensors, modelType: nil).0
        trainableParameters = tensors.filter(\.dtype.isFloatingPoint).reduce(0) { $0 + $1.parameterCount }
        decayedParameters = tensors.filter { $0.dtype.isFloatingPoint && DecayRules.trainerReason($0.name, layerNormModules: norms) == .decayed }
            .reduce(0) { $0 + $1.parameterCount }
    }

    /// The LoRA factor tensors (names containing lora_A / lora_B / embedding factors).
    public var factorTensors: [TensorInfo] { tensors.filter { $0.name.contains(".lora_") } }
}
