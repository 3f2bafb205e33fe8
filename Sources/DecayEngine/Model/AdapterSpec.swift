/// Which linear layers of a model carry a LoRA adapter.
public enum AdapterTarget: String, Sendable, CaseIterable, Codable {
    /// Every linear layer but the last: peft's `target_modules="all-linear"`,
    /// which leaves out the output layer, and Axolotl's `lora_target_linear`.
    case hidden
    /// The output layer.
    case head
}

/// A LoRA adapter on a pretrained model (Hu et al., ICLR 2022), as `peft`
/// builds one: every targeted linear layer keeps its weight W₀ and bias
/// frozen and gains trainable factors A (r × in) and B (out × r), so its
/// weight becomes W₀ + s·B·A with s = α/r (α/√r with rsLoRA). Every other
/// tensor of the model is frozen too. Dropout on the adapter's input is a
/// run's setting (`RunSettings.loraDropout`), not part of the structure.
public struct AdapterSpec: Sendable, Equatable, Hashable {
    /// r: the inner width of ΔW = B·A.
    public var rank: Int
    /// lora_alpha.
    public var alpha: Float
    /// use_rslora: scale by α/√r (Kalajdzievski, 2023), so that the
    /// update's size does not shrink as the rank grows.
    public var rsLoRA: Bool
    public var targets: [AdapterTarget]

    /// peft's `LoraConfig` defaults: r 8, α 8, adapters on every linear layer but the output.
    public init(rank: Int = 8, alpha: Float = 8, rsLoRA: Bool = false, targets: [AdapterTarget] = [.hidden]) {
        precondition(rank >= 1)
        self.rank = rank
        self.alpha = alpha
        self.rsLoRA = rsLoRA
        self.targets = targets
    }

    /// s, the factor on B·A.
    public var scaling: Float { Self.scaling(rank: rank, alpha: alpha, rsLoRA: rsLoRA) }

    /// α/r or α/√r, computed in Double and rounded once to Float: peft holds
    /// the scaling as a Python float, which torch rounds to the tensor's
    /// float32 when it multiplies.
    public static func scaling(rank: Int, alpha: Float, rsLoRA: Bool) -> Float {
        let r = Double(rank)
        return Float(Double(alpha) / (rsLoRA ? r.squareRoot() : r))
    }

    /// The indices of the linear layers this adapter targets in `specs`.
    public func targetedLayers(_ specs: [LayerSpec]) -> [Int] {
        let linear = specs.indices.filter { if case .linear = specs[$0] { true } else { false } }
        guard let head = linear.last else { return [] }
        return linear.filter { targets.contains($0 == head ? .head : .hidden) }
    }

    /// `network` (e.g. pretrained) with this adapter attached: targeted
    /// linear layers become `LoRALinear` over copies of their weight and
    /// bias, every other tensor is copied and frozen. A is drawn from `rng`
    /// in layer order, as peft draws it: Kaiming-uniform with a = √5,
    /// i.e. U(−1/√in, 1/√in); B starts at zero, so the model starts as the
    /// base model.
    public func attach(to network: Network, dropout: Float, rng: inout RandomSource) -> Network {
        let targeted = Set(targetedLayers(network.specs))
        let copy = network.copy()
        let layers: [any Layer] = copy.layers.enumerated().map { index, layer in
            for p in layer.parameters { p.isFrozen = true }
            guard targeted.contains(index), let linear = layer as? Linear else { return layer }
            let k = linear.inputs, m = linear.outputs
            let bound = 1 / Double(k).squareRoot()
            let a = (0..<(rank * k)).map { _ in Float(rng.uniform(-bound, bound)) }
            return LoRALinear(
                base: linear.weight, bias: linear.bias,
                loraA: Parameter(name: "\(index).lora_A", group: .adapters, shape: [rank, k], value: a),
                loraB: Parameter(name: "\(index).lora_B", group: .adapters, shape: [m, rank],
                                 value: .init(repeating: 0, count: m * rank)),
                alpha: alpha, rsLoRA: rsLoRA, dropout: dropout)
        }
        return Network(layers: layers)
    }
}
