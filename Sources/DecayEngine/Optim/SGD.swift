import DecayKernels

/// Stochastic gradient descent, PyTorch's `torch.optim.SGD` without
/// dampening: p ← p − lr·g, or with momentum μ a buffer b ← μ·b + g and
/// p ← p − lr·b (Nesterov: p ← p − lr·(g + μ·b)).
public final class SGD: UpdateRule {
    public let momentum: Float
    public let nesterov: Bool

    public init(spec: OptimizerSpec) {
        momentum = spec.momentum
        nesterov = spec.nesterov
    }

    public var stateBuffersPerParameter: Int { momentum == 0 ? 0 : 1 }
    public var fusesShrink: Bool { false }

    public func update(_ p: Parameter, state: UnsafeMutableBufferPointer<Float>, learningRate lr: Float, step: Int, shrink: Float?) {
        if momentum == 0 {
            p.value.withUnsafeMutableBufferPointer { pv in
                p.gradient.withUnsafeBufferPointer { pg in Kernels.sgd(parameters: pv, gradients: pg, learningRate: lr) }
            }
            return
        }
        p.value.withUnsafeMutableBufferPointer { pv in
            p.gradient.withUnsafeBufferPointer { pg in
                Kernels.sgdMomentum(
                    parameters: pv, gradients: pg, momentumBuffer: stateBuffer(0, of: state, count: pv.count),
                    learningRate: lr, momentum: momentum, nesterov: nesterov, firstStep: step == 1,
                    threads: Kernels.recommendedThreads(count: pv.count))
            }
        }
    }
}

extension OptimizerFacts {
    /// `torch.optim.SGD`, which has no default lr (0.01 is the common
    /// choice); its `weight_decay` (default 0) is coupled L2.
    public static let sgd = OptimizerFacts(displayName: "SGD", rule: SGD.self, learningRate: 0.01, decay: .l2, usesMomentum: true)
}
