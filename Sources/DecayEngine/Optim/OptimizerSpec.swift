/// Which optimizer, and its hyperparameters with PyTorch's defaults.
public struct OptimizerSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case sgd, adam, adamw

        /// The decay a `weight_decay` argument means for this optimizer in
        /// PyTorch: coupled for SGD and Adam, decoupled for AdamW.
        public var defaultDecay: DecayMode {
            switch self {
            case .sgd, .adam: .l2
            case .adamw: .decoupled
            }
        }

        /// PyTorch's default λ: 0 for SGD and Adam, 0.01 for AdamW.
        public var defaultWeightDecay: Float { self == .adamw ? 0.01 : 0 }
    }

    public var kind: Kind
    public var learningRate: Float
    public var momentum: Float
    public var nesterov: Bool
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float

    /// - Parameters:
    ///   - kind: SGD, Adam or AdamW.
    ///   - learningRate: the base rate before any schedule (PyTorch's `lr`).
    ///   - momentum: SGD only; 0 is plain SGD. Dampening is always 0.
    ///   - nesterov: SGD only; needs momentum > 0.
    ///   - beta1, beta2, epsilon: Adam/AdamW only; PyTorch's defaults.
    public init(
        kind: Kind, learningRate: Float, momentum: Float = 0, nesterov: Bool = false,
        beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8
    ) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }
}
