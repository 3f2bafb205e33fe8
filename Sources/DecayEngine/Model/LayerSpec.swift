/// A layer's architecture without its parameters: what a lesson file names and
/// what `experiment.json` records (there with the initial parameters).
public enum LayerSpec: Sendable, Equatable {
    case linear(inputs: Int, outputs: Int, bias: Bool)
    case relu
    case tanh
    case gelu
    case layerNorm(dimension: Int, epsilon: Float)
    case embedding(count: Int, dimension: Int)
    case dropout(p: Float)
    /// A linear layer with a frozen base and a LoRA adapter (`LoRALinear`).
    case lora(inputs: Int, outputs: Int, bias: Bool, rank: Int, alpha: Float, rsLoRA: Bool, dropout: Float)

    public var name: String {
        switch self {
        case .linear: "linear"
        case .relu: "relu"
        case .tanh: "tanh"
        case .gelu: "gelu"
        case .layerNorm: "layernorm"
        case .embedding: "embedding"
        case .dropout: "dropout"
        case .lora: "lora"
        }
    }

    /// The width this layer produces from a given input width, or nil when the
    /// input does not fit.
    public func outputWidth(inputWidth: Int) -> Int? {
        switch self {
        case let .linear(i, o, _), let .lora(i, o, _, _, _, _, _): i == inputWidth ? o : nil
        case .relu, .tanh, .gelu, .dropout: inputWidth
        case let .layerNorm(d, _): d == inputWidth ? d : nil
        case let .embedding(_, d): d
        }
    }
}
