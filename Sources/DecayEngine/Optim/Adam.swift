import DecayKernels

/// Adam (Kingma & Ba, 2015) in PyTorch's arithmetic; AdamW is this update
/// with decoupled decay (Loshchilov & Hutter, 2019), whose shrink it fuses
/// into the same pass over memory.
public final class Adam: UpdateRule {
    public let beta1: Double, beta2: Double, epsilon: Double

    public init(spec: OptimizerSpec) {
        beta1 = Double(spec.beta1)
        beta2 = Double(spec.beta2)
        epsilon = Double(spec.epsilon)
    }

    /// First and second moments.
    public var stateBuffersPerParameter: Int { 2 }
    public var fusesShrink: Bool { true }

    public func update(_ p: Parameter, state: UnsafeMutableBufferPointer<Float>, learningRate lr: Float, step: Int, shrink: Float?) {
        p.value.withUnsafeMutableBufferPointer { pv in
            p.gradient.withUnsafeBufferPointer { pg in
                let pm = stateBuffer(0, of: state, count: pv.count), ps = stateBuffer(1, of: state, count: pv.count)
                let threads = Kernels.recommendedThreads(count: pv.count)
                if let shrink {
                    Kernels.adamW(
                        parameters: pv, gradients: pg, firstMoment: pm, secondMoment: ps,
                        learningRate: Double(lr), decayFactor: shrink, beta1: beta1,
                        beta2: beta2, epsilon: epsilon, step: step, threads: threads)
                } else {
                    Kernels.adam(
                        parameters: pv, gradients: pg, firstMoment: pm, secondMoment: ps,
                        learningRate: Double(lr), beta1: beta1, beta2: beta2,
                        epsilon: epsilon, step: step, threads: threads)
                }
            }
        }
    }
}

extension OptimizerFacts {
    /// `torch.optim.Adam`: lr 0.001, betas (0.9, 0.999), eps 1e-8, and a
    /// `weight_decay` (default 0) that is coupled L2.
    public static let adam = OptimizerFacts(
        displayName: "Adam", rule: Adam.self, learningRate: 0.001, decay: .l2, betas: (0.9, 0.999), usesEpsilon: true)
    /// `torch.optim.AdamW`: Adam's defaults with decoupled decay, λ = 0.01.
    public static let adamW = OptimizerFacts(
        displayName: "AdamW", rule: Adam.self, learningRate: 0.001, weightDecay: 0.01, decay: .decoupled,
        betas: (0.9, 0.999), usesEpsilon: true)
}
