/// A checkpoint's modules as LoRA sees them, read from tensor names: every
/// module with a `weight`, and whether it is a linear layer, GPT-2's
/// transposed Conv1D, an embedding or something else (a norm). The
/// checkpoint has no module types, so embeddings are told by their names
/// (the names transformers gives them) and Conv1D by the model type.
struct ModuleShapes {
    enum Kind: Equatable { case linear, conv1D, embedding, other }

    struct Module: Equatable {
        var name: String
        var shape: [Int]
        var kind: Kind
    }

    /// Modules with a floating-point `weight`, in name order (a tied output
    /// layer included, though the checkpoint stores its weight only once).
    var weighted: [Module]
    /// Modules the model has whose weight the checkpoint does not store: a
    /// tied output layer (`lm_head`), which shares the input embedding's.
    var tiedOutput: Module?
    /// Every module that owns a tensor.
    var all: [String]
    var modelType: String?

    /// Model types whose blocks use transformers' Conv1D (weight stored in × out).
    static let conv1DModelTypes: Set<String> = ["gpt2", "gpt_bigcode", "imagegpt", "decision_transformer"]
    static let conv1DNames: Set<String> = ["c_attn", "c_proj", "c_fc", "q_attn"]
    /// Last names of embedding modules in transformers' models.
    static let embeddingNames: Set<String> = [
        "wte", "wpe", "shared", "relative_attention_bias", "word_embeddings", "position_embeddings",
        "token_type_embeddings", "embed_tokens", "embed_positions", "embed_in", "embeddings", "embed",
    ]

    /// Checkpoint names transformers 5 loads under another module name
    /// (its conversion mapping): GPT-NeoX's `embed_out` is `lm_head`.
    static let renames: [String: [String: String]] = ["gpt_neox": ["embed_out": "lm_head"]]

    init(checkpoint: Checkpoint) {
        modelType = checkpoint.modelType
        let renames = Self.renames[checkpoint.modelType ?? ""] ?? [:]
        var modules: [Module] = []
        var owners = Set<String>()
        for t in checkpoint.tensors {
            guard let dot = t.name.lastIndex(of: ".") else { continue }
            let module = Self.renamed(String(t.name[..<dot]), renames)
            owners.insert(module)
            guard t.name[t.name.index(after: dot)...] == "weight", t.dtype.isFloatingPoint else { continue }
            modules.append(Module(name: module, shape: t.shape, kind: Self.kind(module, shape: t.shape, modelType: modelType)))
        }
        let headed = checkpoint.architectures.contains { $0.hasSuffix("ForCausalLM") || $0.hasSuffix("LMHeadModel") || $0.hasSuffix("ForConditionalGeneration") }
        if checkpoint.tiedEmbeddings, headed, !owners.contains("lm_head"),
           let input = modules.filter({ $0.kind == .embedding }).max(by: { ($0.shape.first ?? 0) < ($1.shape.first ?? 0) }) {
            let head = Module(name: "lm_head", shape: input.shape, kind: .linear)
            tiedOutput = head
            modules.append(head)
            owners.insert("lm_head")
        }
        weighted = modules.sorted { $0.name < $1.name }
        all = owners.sorted()
    }

    /// A tensor's name with its module renamed ("embed_out.weight" → "lm_head.weight").
    static func renamedTensor(_ name: String, _ renames: [String: String]) -> String {
        guard !renames.isEmpty, let dot = name.lastIndex(of: ".") else { return name }
        return renamed(String(name[..<dot]), renames) + String(name[dot...])
    }

    static func renamed(_ module: String, _ renames: [String: String]) -> String {
        guard !renames.isEmpty else { return module }
        var parts = module.split(separator: ".").map(String.init)
        if let last = parts.last, let new = renames[last] { parts[parts.count - 1] = new }
        return parts.joined(separator: ".")
    }

    static func kind(_ module: String, shape: [Int], modelType: String?) -> Kind {
        guard shape.count == 2 else { return .other }
        let last = String(module.split(separator: ".").last ?? Substring(module))
        if let modelType, conv1DModelTypes.contains(modelType), conv1DNames.contains(last) { return .conv1D }
        if embeddingNames.contains(last) { return .embedding }
        return .linear
    }

    /// Axolotl's get_linear_embedding_layers(model_type)[1]: the output layer
    /// `find_all_linear_names` leaves out.
    var axolotlOutputName: String {
        switch modelType {
        case "gpt_neox": return "embed_out"
        default: return "lm_head"
        }
    }

    /// Whether a module is the model's output layer (peft's all-linear skips it).
    func isOutputLayer(_ module: String) -> Bool {
        let last = module.split(separator: ".").last.map(String.init) ?? module
        return ["lm_head", "embed_out"].contains(last)
    }

    /// Axolotl's find_all_linear_names: the last name of every nn.Linear
    /// (Conv1D is not one), without the output layer.
    func axolotlLinearNames() -> [String] {
        var names = Set<String>()
        for m in weighted where m.kind == .linear {
            let parts = m.name.split(separator: ".")
            names.insert(parts.count == 1 ? m.name : String(parts.last!))
        }
        names.remove(axolotlOutputName)
        return names.sorted()
    }
}
