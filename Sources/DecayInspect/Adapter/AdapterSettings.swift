import Foundation

/// A LoRA adapter as a config or a PEFT folder describes it: ΔW = s·B·A
/// with A ∈ ℝ^{r×in}, B ∈ ℝ^{out×r}, s = α/r (α/√r with rsLoRA), B = 0 at
/// the start. Only A, B, DoRA's magnitudes and the modules saved in full
/// are trained, so only they are decayed.
public struct AdapterSettings: Equatable, Sendable {
    /// "lora" or "qlora" (Axolotl), "LORA" (PEFT), or another adapter's name.
    public var kind: String
    public var rank: Int
    public var alpha: Double
    /// Module names (matched as peft does: the name itself or a dotted suffix).
    public var targetModules: [String] = []
    /// A regular expression a module's full name must match (peft's string form).
    public var targetPattern: String?
    /// Axolotl's `lora_target_linear`: every linear layer but the output one.
    public var targetLinear = false
    /// peft's "all-linear".
    public var allLinear = false
    public var modulesToSave: [String] = []
    public var useDoRA = false
    public var useRSLoRA = false
    public var dropout: Double?
    /// Where the settings were read ("the config", "adapter_config.json").
    public var source = "the config"

    /// The factor on B·A: α/r, or α/√r with rsLoRA.
    public var scaling: Double { useRSLoRA ? alpha / Double(rank).squareRoot() : alpha / Double(rank) }

    /// Whether inspect counts this adapter's parameters (LoRA and its variants).
    public var isLoRA: Bool { ["lora", "qlora"].contains(kind.lowercased()) }

    /// The targets as written, for the report.
    public var targetsDescription: String {
        var parts = targetModules
        if let targetPattern { parts.append("regex \(targetPattern)") }
        if targetLinear { parts.append("every linear layer (lora_target_linear)") }
        if allLinear { parts.append("all-linear") }
        return parts.isEmpty ? "peft's default for the model type" : parts.joined(separator: ", ")
    }

    // MARK: - Readers

    /// Axolotl's `adapter`, `lora_*` and `peft_use_*` keys.
    static func axolotl(_ f: ConfigFields, config c: inout TrainingConfig) throws -> AdapterSettings? {
        guard let kind = try f.string("adapter"), !kind.isEmpty else { return nil }
        var a = AdapterSettings(kind: kind, rank: 0, alpha: 0)
        guard kind == "lora" || kind == "qlora" else {
            let listed = try f.strings("plugins") ?? []
            if kind != "llama-adapter" && listed.isEmpty {
                throw f.error("adapter", "adapter \(Quote.code(kind)) is not built into Axolotl and no plugin is listed to provide it; Axolotl refuses it",
                              hint: "Axolotl's own adapters are lora, qlora and llama-adapter")
            }
            c.notes.append(InspectNote(.adapter, "`adapter: \(kind)` trains adapter weights inspect does not count; decay acts on them, not on the frozen base", line: f.entries["adapter"]?.line))
            return a
        }
        if kind == "qlora", try f.bool("load_in_4bit") != true, try f.bool("merge_lora") != true {
            throw f.error("adapter", "`adapter: qlora` requires `load_in_4bit: true`; Axolotl refuses it without")
        }
        guard let r = try f.integer("lora_r", in: 1...Int(Int32.max), what: "a rank is ≥ 1") else {
            throw f.error("adapter", "`adapter: \(kind)` without `lora_r`: Axolotl passes r=None to peft's LoraConfig, and its layers cannot be built")
        }
        guard let alpha = try f.double("lora_alpha", in: 0...1e9, what: "α is ≥ 0") else {
            throw f.error("adapter", "`adapter: \(kind)` without `lora_alpha`: Axolotl passes lora_alpha=None to peft, which needs it for the scale α/r")
        }
        a.rank = r
        a.alpha = alpha
        a.targetModules = try f.strings("lora_target_modules") ?? []
        a.targetLinear = try f.bool("lora_target_linear") ?? false
        a.modulesToSave = try f.strings("lora_modules_to_save") ?? []
        a.useDoRA = try f.bool("peft_use_dora") ?? false
        a.useRSLoRA = try f.bool("peft_use_rslora") ?? false
        a.dropout = try f.double("lora_dropout", in: 0...1, what: "a dropout probability lies in [0, 1]")
        if a.targetModules.isEmpty && !a.targetLinear {
            c.notes.append(InspectNote(.adapter, "neither lora_target_modules nor lora_target_linear is set: peft then uses its default targets for the model type", line: f.entries["adapter"]?.line))
        }
        for key in ["lora_rank_pattern", "lora_alpha_pattern", "peft_layers_to_transform", "lora_target_parameters"] where f.present(key) != nil {
            c.notes.append(InspectNote(.approximation, "`\(key)` is not followed: counts and the scale assume every target uses lora_r and lora_alpha", line: f.entries[key]?.line))
        }
        return a
    }

    /// TRL's ModelConfig (`use_peft`, `lora_r`, …) in an HfArgumentParser JSON.
    static func modelConfig(_ f: ConfigFields, config c: inout TrainingConfig) throws -> AdapterSettings? {
        guard try f.bool("use_peft") == true else { return nil }
        let defaults = ConfigSchemas.shared.trlModelConfig
        var a = AdapterSettings(kind: "lora", rank: 16, alpha: 32)
        a.rank = try f.integer("lora_r", in: 1...Int(Int32.max), what: "a rank is ≥ 1") ?? Int(defaults["lora_r"]?.numberValue ?? 16)
        a.alpha = try f.double("lora_alpha", in: 0...1e9, what: "α is ≥ 0") ?? defaults["lora_alpha"]?.numberValue ?? 32
        let targets = try f.strings("lora_target_modules") ?? []
        if targets == ["all-linear"] { a.allLinear = true } else { a.targetModules = targets }
        a.modulesToSave = try f.strings("lora_modules_to_save") ?? []
        a.useDoRA = try f.bool("use_dora") ?? false
        a.useRSLoRA = try f.bool("use_rslora") ?? false
        a.dropout = try f.double("lora_dropout", in: 0...1, what: "a dropout probability lies in [0, 1]") ?? defaults["lora_dropout"]?.numberValue
        if try f.bool("load_in_4bit") == true { a.kind = "qlora" }
        return a
    }
}
