/// Which optimizer, and its hyperparameters with PyTorch's defaults.
public struct OptimizerSpec: Sendable, Equatable {
    /// The optimizers, each with its update rule and the defaults its
    /// PyTorch implementation has — learning rate and λ side by side.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case sgd, adam, adamw, lion

        /// A new instance of the kind's update rule.
        public func makeRule(_ spec: OptimizerSpec) -> any UpdateRule {
            switch self {
            case .sgd: SGD(spec: spec)
            case .adam, .adamw: Adam(spec: spec)
            case .lion: Lion(spec: spec)
            }
        }

        /// The learning rate a lesson gets when it names none: SGD has no
        /// PyTorch default (0.01 is the common choice); Adam and AdamW use
        /// 0.001; `lion-pytorch` uses 1e-4.
        public var defaultLearningRate: Float {
            switch self {
            case .sgd: 0.01
            case .adam, .adamw: 0.001
            case .lion: 1e-4
            }
        }

        /// PyTorch's default λ: 0 for SGD, Adam and Lion, 0.01 for AdamW.
        public var defaultWeightDecay: Float { self == .adamw ? 0.01 : 0 }

        /// The decay a `weight_decay` argument means for this optimizer in
        /// PyTorch: coupled for SGD and Adam, decoupled for AdamW and Lion.
        public var defaultDecay: DecayMode {
            switch self {
            case .sgd, .adam: .l2
            case .adamw, .lion: .decoupled
            }
        }

        /// (β₁, β₂): Adam's (0.9, 0.999), Lion's (0.9, 0.99); SGD has none.
        public var defaultBetas: (Float, Float) { self == .lion ? (0.9, 0.99) : (0.9, 0.999) }

        /// Whether `betas` (and for Adam, `eps`) mean anything to this optimizer.
        public var usesBetas: Bool { self != .sgd }
        public var usesEpsilon: Bool { self == .adam || self == .adamw }
        public var usesMomentum: Bool { self == .sgd }

        /// The name people write: SGD, Adam, AdamW, Lion.
        public var displayName: String {
            switch self {
            case .sgd: "SGD"
            case .adam: "Adam"
            case .adamw: "AdamW"
            case .lion: "Lion"
            }
        }
    }

    public var kind: Kind
    public var learningRate: Float
    public var momentum: Float
    public var nesterov: Bool
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float

    /// - Parameters:
    ///   - kind: SGD, Adam, AdamW or Lion.
    ///   - learningRate: the base rate before any schedule (PyTorch's `lr`).
    ///   - momentum: SGD only; 0 is plain SGD. Dampening is always 0.
    ///   - nesterov: SGD only; needs momentum > 0.
    ///   - beta1, beta2: Adam/AdamW/Lion; nil takes the kind's defaults.
    ///   - epsilon: Adam/AdamW only; PyTorch's default.
    public init(
        kind: Kind, learningRate: Float, momentum: Float = 0, nesterov: Bool = false,
        beta1: Float? = nil, beta2: Float? = nil, epsilon: Float = 1e-8
    ) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.beta1 = beta1 ?? kind.defaultBetas.0
        self.beta2 = beta2 ?? kind.defaultBetas.1
        self.epsilon = epsilon
    }
}
