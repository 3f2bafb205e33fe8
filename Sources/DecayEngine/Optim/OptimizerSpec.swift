/// Which optimizer, and its hyperparameters with PyTorch's defaults.
public struct OptimizerSpec: Sendable, Equatable {
    /// The optimizers a lesson file names. Each name maps to the facts its
    /// update rule's file declares (`OptimizerFacts`): the one switch adding
    /// an optimizer extends.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case sgd, adam, adamw, lion

        public var facts: OptimizerFacts {
            switch self {
            case .sgd: .sgd
            case .adam: .adam
            case .adamw: .adamW
            case .lion: .lion
            }
        }

        /// A new instance of the kind's update rule.
        public func makeRule(_ spec: OptimizerSpec) -> any UpdateRule { facts.rule.init(spec: spec) }

        /// The learning rate a lesson gets when it names none (beside λ's default).
        public var defaultLearningRate: Float { facts.learningRate }
        /// PyTorch's default λ.
        public var defaultWeightDecay: Float { facts.weightDecay }
        /// The decay a `weight_decay` argument means for this optimizer in PyTorch.
        public var defaultDecay: DecayMode { facts.decay }
        /// (β₁, β₂); (0.9, 0.999) for an optimizer without betas, which never reads them.
        public var defaultBetas: (Float, Float) { facts.betas ?? (0.9, 0.999) }

        /// Whether `betas`, `eps` and `momentum` mean anything to this optimizer.
        public var usesBetas: Bool { facts.betas != nil }
        public var usesEpsilon: Bool { facts.usesEpsilon }
        public var usesMomentum: Bool { facts.usesMomentum }

        /// The name people write: SGD, Adam, AdamW, Lion.
        public var displayName: String { facts.displayName }

        /// The optimizers that read a hyperparameter, in words for a message:
        /// "Adam, AdamW and Lion", or with `possessive` "Adam's and AdamW's".
        public static func names(_ uses: (Kind) -> Bool, possessive: Bool = false) -> String {
            let names = allCases.filter(uses).map { $0.displayName + (possessive ? "'s" : "") }
            guard let last = names.last else { return "none" }
            return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " and " + last
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
