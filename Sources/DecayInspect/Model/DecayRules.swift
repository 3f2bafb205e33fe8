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
        // On the name's bytes, lower-cased as they are read: a checkpoint
        // may have hundreds of thousands of tensors, and String's Foundation
        // `contains`, `lowercased` and `split` cost far more per name than
        // the rule itself. (A name outside ASCII is lower-cased first, as
        // Python's `str.lower()` does.)
        var text = name
        if !text.withUTF8({ $0.allSatisfy { $0 < 0x80 } }) { text = name.lowercased() }
        if let reason = text.withUTF8({ patternReason($0) }) { return reason }
        guard !layerNormModules.isEmpty else { return .decayed }
        var module = Substring(name)
        while let dot = module.lastIndex(of: ".") {
            module = module[..<dot]
            if layerNormModules.contains(String(module)) { return .layerNormModule }
        }
        return .decayed
    }

    /// The reason a name pattern gives, on the name's UTF-8 bytes (ASCII
    /// letters compared without case), or nil when none matches.
    static func patternReason(_ b: UnsafeBufferPointer<UInt8>) -> Reason? {
        if contains(b, "bias") { return .bias }
        if contains(b, "layernorm") { return .layerNormName }
        if contains(b, "rmsnorm") { return .rmsNormName }
        var normComponent = false, normSuffix = false
        var start = 0
        for end in 0...b.count where end == b.count || b[end] == UInt8(ascii: ".") {
            let part = UnsafeBufferPointer(rebasing: b[start..<end])
            if part.count == 4 && matches(part, at: 0, "norm") { normComponent = true }
            if part.count >= 5 && matches(part, at: part.count - 5, "_norm") { normSuffix = true }
            start = end + 1
        }
        if normComponent { return .normComponent }
        return normSuffix ? .normSuffix : nil
    }

    static func contains(_ b: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        let m = needle.utf8CodeUnitCount
        guard b.count >= m else { return false }
        return (0...(b.count - m)).contains { matches(b, at: $0, needle) }
    }

    /// Whether `needle` (lower-case ASCII) is at `i`, ignoring ASCII case.
    static func matches(_ b: UnsafeBufferPointer<UInt8>, at i: Int, _ needle: StaticString) -> Bool {
        let n = needle.utf8Start
        for k in 0..<needle.utf8CodeUnitCount {
            var c = b[i + k]
            if c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") { c |= 0x20 }
            if c != n[k] { return false }
        }
        return true
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
        func module(_ t: TensorInfo) -> Substring {
            guard let dot = t.name.utf8.lastIndex(of: UInt8(ascii: ".")) else { return "" }
            return t.name[..<dot]
        }
        if let modelType, let names = layerNormNamesByModelType[modelType] {
            return (Set(tensors.lazy.map(module).filter { names.contains(String(lastComponent($0))) }.map(String.init)), false)
        }
        if let modelType, patternOnlyModelTypes.contains(modelType) { return ([], false) }
        // Only modules named like a LayerNorm can be one, so only their
        // tensors are grouped (a module per tensor would cost a dictionary
        // entry and a list per tensor on a large checkpoint).
        let candidates = tensors.filter { namedLikeLayerNorm(module($0)) }
        let byModule = Dictionary(grouping: candidates) { String(module($0)) }
        let guessed = Set(byModule.compactMap { module, members in likelyLayerNorm(module, members) ? module : nil })
        return (guessed, !guessed.isEmpty)
    }

    /// `ln`, `ln_f`, `ln2`, `norm_1`, `layer_norm1`, `pre_layrnorm`: the
    /// last component of a module path named like a LayerNorm.
    static func namedLikeLayerNorm(_ module: Substring) -> Bool {
        // Each such name starts with l or n or ends with m, in either case:
        // most modules are turned away here, before any lower-casing.
        let component = lastComponent(module)
        guard let first = component.utf8.first, let end = component.utf8.last,
              [UInt8(ascii: "l"), UInt8(ascii: "n")].contains(first | 0x20) || end | 0x20 == UInt8(ascii: "m") || first >= 0x80 || end >= 0x80
        else { return false }
        let last = component.lowercased()
        return last == "ln" || last.hasPrefix("ln_") || (last.hasPrefix("ln") && last.dropFirst(2).allSatisfy(\.isNumber))
            || last.hasPrefix("norm_") || last.hasPrefix("layer_norm") || last.hasSuffix("layrnorm")
    }

    /// A module named like a LayerNorm (`ln`, `ln_f`, `ln2`, `norm_1`,
    /// `layer_norm1`) that holds exactly a `weight` and a `bias`, both vectors
    /// of one length — what `nn.LayerNorm` saves. (An RMSNorm has no bias, so
    /// it is not taken for one.)
    static func likelyLayerNorm(_ module: String, _ members: [TensorInfo]) -> Bool {
        guard namedLikeLayerNorm(Substring(module)), members.count == 2 else { return false }
        let byName = Dictionary(members.map { (lastComponent($0.name), $0.shape) }, uniquingKeysWith: { a, _ in a })
        guard let w = byName["weight"], let b = byName["bias"] else { return false }
        return w.count == 1 && w == b
    }

    static func lastComponent(_ name: String) -> String { String(lastComponent(Substring(name))) }

    static func lastComponent(_ name: Substring) -> Substring {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")) else { return name }
        return name[name.utf8.index(after: dot)...]
    }
}
