/// The two rules for which tensors weight decay touches.
///
/// (a) The Hugging Face Trainer's `get_decay_parameter_names`: a parameter is
/// decayed unless it lives in an `nn.LayerNorm` module, or its name (lower
/// case) matches one of `bias`, `layernorm`, `rmsnorm`, `(^|\.)norm($|\.)`,
/// `_norm($|\.)`. The patterns need only the name; the module type does not,
/// so it comes from the model's `config.json` (`model_type`) where the names
/// alone cannot tell — GPT-2's `ln_1` is an `nn.LayerNorm` that no pattern
/// catches, while LLaMA's `norm` is an RMSNorm that the patterns catch.
///
/// (b) nanoGPT's `configure_optimizers`: decay every tensor of two or more
/// dimensions (matrices and embeddings), none of the vectors (biases, norm
/// gains).
public enum DecayRules {
    public enum Reason: String, Sendable {
        case bias = "name contains “bias”"
        case layerNormName = "name contains “layernorm”"
        case rmsNormName = "name contains “rmsnorm”"
        case normComponent = "a module named “norm”"
        case normSuffix = "a module name ending in “_norm”"
        case layerNormModule = "an nn.LayerNorm module"
        case decayed = "decayed"
    }

    /// Why the Trainer would or would not decay `name`; `.decayed` if it would.
    /// - Parameter layerNormModules: the module paths that are `nn.LayerNorm`s.
    public static func trainerReason(_ name: String, layerNormModules: Set<String>) -> Reason {
        let lower = name.lowercased()
        if lower.contains("bias") { return .bias }
        if lower.contains("layernorm") { return .layerNormName }
        if lower.contains("rmsnorm") { return .rmsNormName }
        let parts = lower.split(separator: ".", omittingEmptySubsequences: false)
        if parts.contains("norm") { return .normComponent }
        // `_norm` followed by the end or a dot: a component ending in "_norm".
        if parts.contains(where: { $0.hasSuffix("_norm") }) { return .normSuffix }
        var module = Substring(name)
        while let dot = module.lastIndex(of: ".") {
            module = module[..<dot]
            if layerNormModules.contains(String(module)) { return .layerNormModule }
        }
        return .decayed
    }

    /// nanoGPT's rule: decay tensors of two or more dimensions.
    public static func decaysByDimension(_ shape: [Int]) -> Bool { shape.count >= 2 }

    /// Module names that are `nn.LayerNorm` in a `transformers` model type
    /// and that the Trainer's name patterns would not catch. Model types not
    /// listed use norms the patterns do catch (LLaMA, Mistral, Qwen2, T5, OPT,
    /// BERT, GPT-NeoX …) or fall back to `likelyLayerNorm`.
    static let layerNormNamesByModelType: [String: Set<String>] = [
        "gpt2": ["ln_1", "ln_2", "ln_f", "ln_cross_attn"],
        "gpt_neo": ["ln_1", "ln_2", "ln_f"],
        "gptj": ["ln_1", "ln_f"],
        "codegen": ["ln_1", "ln_f"],
        "gpt_bigcode": ["ln_1", "ln_2", "ln_f", "ln_cross_attn"],
        "bloom": ["ln_f"],
        "falcon": ["ln_f", "ln_attn", "ln_mlp"],
        "mpt": ["norm_1", "norm_2", "norm_f"],
        "clip": ["layer_norm1", "layer_norm2", "pre_layrnorm"],
        "clip_vision_model": ["layer_norm1", "layer_norm2", "pre_layrnorm"],
        "clip_text_model": ["layer_norm1", "layer_norm2"],
        "siglip": ["layer_norm1", "layer_norm2"],
    ]

    /// Model types whose every norm the name patterns already catch, so no
    /// guess is needed.
    static let patternOnlyModelTypes: Set<String> = [
        "llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "qwen3", "qwen3_moe", "gemma", "gemma2", "gemma3_text",
        "t5", "mt5", "umt5", "opt", "bert", "roberta", "xlm-roberta", "distilbert", "albert", "electra",
        "gpt_neox", "phi", "phi3", "olmo", "olmo2", "stablelm", "starcoder2", "deberta", "deberta-v2", "bart",
        "mbart", "whisper", "mamba", "falcon_mamba", "xglm", "granite", "cohere",
    ]

    /// Which modules of a checkpoint are `nn.LayerNorm`, and whether that was
    /// known from the model type or guessed from names and shapes.
    public static func layerNormModules(tensors: [TensorInfo], modelType: String?) -> (modules: Set<String>, guessed: Bool) {
        let byModule = Dictionary(grouping: tensors) { t -> String in
            guard let dot = t.name.lastIndex(of: ".") else { return "" }
            return String(t.name[..<dot])
        }
        if let modelType, let names = layerNormNamesByModelType[modelType] {
            return (Set(byModule.keys.filter { names.contains(lastComponent($0)) }), false)
        }
        if let modelType, patternOnlyModelTypes.contains(modelType) { return ([], false) }
        let guessed = Set(byModule.compactMap { module, members in likelyLayerNorm(module, members) ? module : nil })
        return (guessed, !guessed.isEmpty)
    }

    /// A module named like a LayerNorm (`ln`, `ln_f`, `ln2`, `norm_1`,
    /// `layer_norm1`) that holds exactly a `weight` and a `bias`, both vectors
    /// of one length — what `nn.LayerNorm` saves. (An RMSNorm has no bias, so
    /// it is not taken for one.)
    static func likelyLayerNorm(_ module: String, _ members: [TensorInfo]) -> Bool {
        let last = lastComponent(module).lowercased()
        let named = last == "ln" || last.hasPrefix("ln_") || (last.hasPrefix("ln") && last.dropFirst(2).allSatisfy(\.isNumber))
            || last.hasPrefix("norm_") || last.hasPrefix("layer_norm") || last.hasSuffix("layrnorm")
        guard named, members.count == 2 else { return false }
        let byName = Dictionary(members.map { (lastComponent($0.name), $0.shape) }, uniquingKeysWith: { a, _ in a })
        guard let w = byName["weight"], let b = byName["bias"] else { return false }
        return w.count == 1 && w == b
    }

    static func lastComponent(_ name: String) -> String {
        guard let dot = name.lastIndex(of: ".") else { return name }
        return String(name[name.index(after: dot)...])
    }
}
