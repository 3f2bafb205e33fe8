/// The architecture a lesson asks for, in words; `layers(inputWidth:outputWidth:vocabulary:dropout:)`
/// turns it into concrete layers once the data set fixes the widths, and
/// `build(_:rng:)` gives them parameters.
public struct ModelSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// One linear layer: linear or polynomial regression, logistic regression.
        case linear
        /// Linear → [LayerNorm] → activation → [dropout], per hidden width, then a linear head.
        case mlp
        /// Embedding (mean-pooled) → [LayerNorm] → the MLP above.
        case embedding
    }

    public enum Initialization: Sendable, Equatable {
        /// PyTorch's `nn.Linear` default: weight and bias ~ U(−1/√in, 1/√in);
        /// embeddings ~ N(0, 1); LayerNorm gain 1, shift 0.
        case pytorchDefault
        /// Linear weights ~ N(0, std²), biases 0 (the textbook linear-regression setup).
        case normal(std: Float)
    }

    public var kind: Kind
    public var hidden: [Int]
    public var activation: Activation.Kind
    public var layerNorm: Bool
    /// Insert a dropout layer after each hidden activation (p is set per run).
    public var dropoutLayers: Bool
    public var embeddingDimension: Int
    public var initialization: Initialization

    public init(
        kind: Kind, hidden: [Int] = [], activation: Activation.Kind = .relu, layerNorm: Bool = false,
        dropoutLayers: Bool = false, embeddingDimension: Int = 16, initialization: Initialization = .pytorchDefault
    ) {
        self.kind = kind
        self.hidden = hidden
        self.activation = activation
        self.layerNorm = layerNorm
        self.dropoutLayers = dropoutLayers
        self.embeddingDimension = embeddingDimension
        self.initialization = initialization
    }

    /// The parameter groups a model of this spec has: weights and biases
    /// always, norms with LayerNorm (not in a linear model), embeddings for
    /// an embedding model. The one derivation the lesson checker and the TUI
    /// use; `Experiment.groups` reads the built network and agrees.
    public var parameterGroups: [ParameterGroup] {
        var g: [ParameterGroup] = [.weights, .biases]
        if layerNorm && kind != .linear { g.append(.layerNorms) }
        if kind == .embedding { g.append(.embeddings) }
        return g
    }

    /// The layer sequence for a data set with these widths.
    public func layers(inputWidth: Int, outputWidth: Int, vocabulary: Int, dropout: Float) -> [LayerSpec] {
        var specs: [LayerSpec] = []
        var width = inputWidth
        if kind == .embedding {
            specs.append(.embedding(count: vocabulary, dimension: embeddingDimension))
            width = embeddingDimension
            if layerNorm { specs.append(.layerNorm(dimension: width, epsilon: 1e-5)) }
        }
        if kind != .linear {
            for h in hidden {
                specs.append(.linear(inputs: width, outputs: h, bias: true))
                if layerNorm { specs.append(.layerNorm(dimension: h, epsilon: 1e-5)) }
                switch activation {
                case .relu: specs.append(.relu)
                case .tanh: specs.append(.tanh)
                case .gelu: specs.append(.gelu)
                }
                if dropoutLayers { specs.append(.dropout(p: dropout)) }
                width = h
            }
        }
        specs.append(.linear(inputs: width, outputs: outputWidth, bias: true))
        return specs
    }

    /// Builds layers with freshly initialized parameters, drawn in layer order
    /// from `rng` so that runs with the same seed start from the same point.
    public func build(_ specs: [LayerSpec], rng: inout RandomSource) -> Network {
        var index = 0
        let layers: [any Layer] = specs.map { spec in
            defer { index += 1 }
            switch spec {
            case let .lora(i, o, hasBias, rank, alpha, rsLoRA, dropout):
                // A fresh base (as `.linear` draws it), then A as peft draws it and B = 0.
                let base = linear(i, o, hasBias, index: index, rng: &rng)
                let bound = 1 / Double(i).squareRoot()
                let a = (0..<(rank * i)).map { _ in Float(rng.uniform(-bound, bound)) }
                return LoRALinear(
                    base: base.weight, bias: base.bias,
                    loraA: Parameter(name: "\(index).lora_A", group: .adapters, shape: [rank, i], value: a),
                    loraB: Parameter(name: "\(index).lora_B", group: .adapters, shape: [o, rank], value: .init(repeating: 0, count: o * rank)),
                    alpha: alpha, rsLoRA: rsLoRA, dropout: dropout)
            case let .linear(i, o, hasBias):
                return linear(i, o, hasBias, index: index, rng: &rng)
            case .relu: return Activation(.relu)
            case .tanh: return Activation(.tanh)
            case .gelu: return Activation(.gelu)
            case let .layerNorm(d, eps):
                return LayerNorm(
                    gain: Parameter(name: "\(index).gain", group: .layerNorms, shape: [d], value: .init(repeating: 1, count: d)),
                    shift: Parameter(name: "\(index).shift", group: .layerNorms, shape: [d], value: .init(repeating: 0, count: d)),
                    epsilon: eps)
            case let .embedding(n, d):
                let t = (0..<(n * d)).map { _ in Float(rng.normal()) }
                return Embedding(table: Parameter(name: "\(index).weight", group: .embeddings, shape: [n, d], value: t))
            case let .dropout(p):
                return Dropout(p: p)
            }
        }
        return Network(layers: layers)
    }

    /// A linear layer initialized as `initialization` says.
    private func linear(_ i: Int, _ o: Int, _ hasBias: Bool, index: Int, rng: inout RandomSource) -> Linear {
        var w = [Float](repeating: 0, count: i * o)
        var b = [Float](repeating: 0, count: o)
        switch initialization {
        case .pytorchDefault:
            let bound = 1 / Double(i).squareRoot()
            for k in w.indices { w[k] = Float(rng.uniform(-bound, bound)) }
            for k in b.indices { b[k] = Float(rng.uniform(-bound, bound)) }
        case let .normal(std):
            for k in w.indices { w[k] = Float(rng.normal(std: Double(std))) }
        }
        let weight = Parameter(name: "\(index).weight", group: .weights, shape: [o, i], value: w)
        let bias = hasBias ? Parameter(name: "\(index).bias", group: .biases, shape: [o], value: b) : nil
        return Linear(weight: weight, bias: bias)
    }
}
