/// Applies one optimizer step, weight decay included, to a list of
/// parameters. The decay rule lives in `applyDecay`; everything after it is
/// the unmodified SGD or Adam update.
public final class Optimizer {
    public let kind: OptimizerSpec.Kind
    public var spec: OptimizerSpec
    /// Momentum buffer (SGD) or first moment (Adam), one per parameter.
    private var first: [[Float]]
    /// Second moment (Adam), one per parameter.
    private var second: [[Float]]
    public private(set) var stepCount = 0

    public init(spec: OptimizerSpec, parameters: [Parameter]) {
        self.kind = spec.kind
        self.spec = spec
        let needsFirst = spec.kind != .sgd || spec.momentum != 0
        first = parameters.map { needsFirst ? Array(repeating: 0, count: $0.count) : [] }
        second = parameters.map { spec.kind == .sgd ? [] : Array(repeating: 0, count: $0.count) }
    }

    /// One step over `parameters` (the same list, in the same order, as at
    /// init), with their gradients already computed.
    ///
    /// - Parameters:
    ///   - learningRate: this step's rate (base rate times the schedule).
    ///   - weightDecay: λ.
    ///   - mode: how λ enters (see `DecayMode`).
    ///   - decays: whether a parameter's group is decayed.
    public func step(
        _ parameters: [Parameter], learningRate lr: Float, weightDecay lambda: Float,
        mode: DecayMode, decays: (ParameterGroup) -> Bool
    ) {
        stepCount += 1
        for (index, p) in parameters.enumerated() {
            let decayed = lambda != 0 && decays(p.group)
            // Adam with a multiplicative decay runs as one fused pass over
            // memory; it computes exactly `applyDecay` followed by `update`.
            if kind != .sgd, decayed, let factor = Self.shrinkFactor(mode, learningRate: lr, weightDecay: lambda) {
                adamStep(p, index: index, learningRate: lr, decayFactor: factor)
                continue
            }
            if decayed { applyDecay(p, learningRate: lr, weightDecay: lambda, mode: mode) }
            update(p, index: index, learningRate: lr)
        }
    }

    /// The multiplier decoupled or independent decay applies to p, or nil
    /// when decay acts through the gradient (L2) or not at all.
    static func shrinkFactor(_ mode: DecayMode, learningRate lr: Float, weightDecay lambda: Float) -> Float? {
        switch mode {
        case .none, .l2: nil
        case .decoupled: Float(1 - Double(lr) * Double(lambda))
        case .independent: Float(1 - Double(lambda))
        }
    }

    /// The whole difference between L2 and decoupled decay:
    /// coupled adds λ·p to the gradient (so Adam later divides it by √v̂);
    /// decoupled shrinks p directly, by lr·λ; independent by λ alone.
    /// The factors are formed in Double and rounded once, as PyTorch does
    /// with its Python-float hyperparameters.
    @inline(__always)
    func applyDecay(_ p: Parameter, learningRate lr: Float, weightDecay lambda: Float, mode: DecayMode) {
        switch mode {
        case .none:
            break
        case .l2:
            p.value.withUnsafeBufferPointer { pv in
                p.gradient.withUnsafeMutableBufferPointer { pg in Kernels.axpy(lambda, pv, into: pg) }
            }
        case .decoupled, .independent:
            let factor = Self.shrinkFactor(mode, learningRate: lr, weightDecay: lambda)!
            p.value.withUnsafeMutableBufferPointer { Kernels.scale($0, by: factor) }
        }
    }

    private func update(_ p: Parameter, index: Int, learningRate lr: Float) {
        switch kind {
        case .sgd:
            if spec.momentum == 0 {
                p.value.withUnsafeMutableBufferPointer { pv in
                    p.gradient.withUnsafeBufferPointer { pg in Kernels.sgd(parameters: pv, gradients: pg, learningRate: lr) }
                }
            } else {
                let first = stepCount == 1
                p.value.withUnsafeMutableBufferPointer { pv in
                    p.gradient.withUnsafeBufferPointer { pg in
                        self.first[index].withUnsafeMutableBufferPointer { pb in
                            Kernels.sgdMomentum(
                                parameters: pv, gradients: pg, momentumBuffer: pb, learningRate: lr,
                                momentum: spec.momentum, nesterov: spec.nesterov, firstStep: first,
                                threads: Kernels.recommendedThreads(count: pv.count))
                        }
                    }
                }
            }
        case .adam, .adamw:
            adamStep(p, index: index, learningRate: lr, decayFactor: nil)
        }
    }

    /// Adam's update, with the decoupled shrink fused in front when given.
    private func adamStep(_ p: Parameter, index: Int, learningRate lr: Float, decayFactor: Float?) {
        p.value.withUnsafeMutableBufferPointer { pv in
            p.gradient.withUnsafeBufferPointer { pg in
                self.first[index].withUnsafeMutableBufferPointer { pm in
                    self.second[index].withUnsafeMutableBufferPointer { ps in
                        let threads = Kernels.recommendedThreads(count: pv.count)
                        if let decayFactor {
                            Kernels.adamW(
                                parameters: pv, gradients: pg, firstMoment: pm, secondMoment: ps,
                                learningRate: Double(lr), decayFactor: decayFactor, beta1: Double(spec.beta1),
                                beta2: Double(spec.beta2), epsilon: Double(spec.epsilon), step: stepCount, threads: threads)
                        } else {
                            Kernels.adam(
                                parameters: pv, gradients: pg, firstMoment: pm, secondMoment: ps,
                                learningRate: Double(lr), beta1: Double(spec.beta1), beta2: Double(spec.beta2),
                                epsilon: Double(spec.epsilon), step: stepCount, threads: threads)
                        }
                    }
                }
            }
        }
    }
}
