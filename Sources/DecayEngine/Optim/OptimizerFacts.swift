/// What the rest of the program needs to know about an optimizer before any
/// run exists: the name people write, its update rule, the defaults its
/// PyTorch implementation has (learning rate and λ side by side) and which
/// hyperparameters it reads. Each update rule's file declares the facts of
/// the optimizers it implements, so adding an optimizer changes no switch
/// elsewhere; `OptimizerSpec.Kind` only maps a lesson-file name to them.
public struct OptimizerFacts: Sendable {
    /// The name people write: SGD, Adam, AdamW, Lion.
    public var displayName: String
    /// The update rule this optimizer steps with.
    public var rule: any UpdateRule.Type
    /// The learning rate a lesson gets when it names none.
    public var learningRate: Float
    /// PyTorch's default `weight_decay`.
    public var weightDecay: Float
    /// What a `weight_decay` argument means for it in PyTorch.
    public var decay: DecayMode
    /// (β₁, β₂) when it reads betas; nil when it has none.
    public var betas: (Float, Float)?
    public var usesEpsilon: Bool
    public var usesMomentum: Bool

    public init(displayName: String, rule: any UpdateRule.Type, learningRate: Float, weightDecay: Float = 0,
                decay: DecayMode, betas: (Float, Float)? = nil, usesEpsilon: Bool = false, usesMomentum: Bool = false) {
        self.displayName = displayName
        self.rule = rule
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.decay = decay
        self.betas = betas
        self.usesEpsilon = usesEpsilon
        self.usesMomentum = usesMomentum
    }
}
