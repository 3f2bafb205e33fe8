/// Applies one optimizer step, weight decay included, to a list of
/// parameters: the decay rule first (`WeightDecay`), then the optimizer's
/// unmodified update (`UpdateRule`) — or both in one pass when the rule can
/// fuse the decay's shrink.
public final class Optimizer {
    public let kind: OptimizerSpec.Kind
    public var spec: OptimizerSpec
    public let rule: any UpdateRule
    /// The rule's state buffers, one array per parameter (see `UpdateRule.update`).
    private var state: [[Float]]
    public private(set) var stepCount = 0

    public init(spec: OptimizerSpec, parameters: [Parameter]) {
        self.kind = spec.kind
        self.spec = spec
        let rule = spec.kind.makeRule(spec)
        self.rule = rule
        state = parameters.map { [Float](repeating: 0, count: rule.stateBuffersPerParameter * $0.count) }
    }

    /// One step over `parameters` (the same list, in the same order, as at
    /// init), with their gradients already computed.
    ///
    /// - Parameters:
    ///   - decay: λ, its mode and this step's learning rate.
    ///   - decays: whether a parameter's group is decayed.
    ///   - anchors: what decay pulls each parameter toward (`decay_to =
    ///     init`), in the same order; nil: toward zero.
    public func step(_ parameters: [Parameter], decay: WeightDecay, decays: (ParameterGroup) -> Bool,
                     anchors: [[Float]]? = nil) {
        stepCount += 1
        let lr = decay.learningRate
        for (index, p) in parameters.enumerated() {
            var shrink: Float?
            if decay.weightDecay != 0 && decays(p.group) {
                if let anchors {
                    decay.apply(to: p, anchor: anchors[index])
                } else if rule.fusesShrink, let factor = decay.shrinkFactor {
                    shrink = factor
                } else {
                    decay.apply(to: p)
                }
            }
            let step = stepCount
            state[index].withUnsafeMutableBufferPointer { buffers in
                rule.update(p, state: buffers, learningRate: lr, step: step, shrink: shrink)
            }
        }
    }

    /// `step(_:decay:decays:)` with the decay rule spelled out; the base lr
    /// (nil: `lr` itself) sets independent decay's schedule multiplier.
    public func step(
        _ parameters: [Parameter], learningRate lr: Float, baseLearningRate: Float? = nil,
        weightDecay lambda: Float, mode: DecayMode, decays: (ParameterGroup) -> Bool, anchors: [[Float]]? = nil
    ) {
        let rule = WeightDecay(mode: mode, weightDecay: lambda, learningRate: lr, baseLearningRate: baseLearningRate)
        step(parameters, decay: rule, decays: decays, anchors: anchors)
    }
}
