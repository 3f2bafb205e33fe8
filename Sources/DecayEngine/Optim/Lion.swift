import DecayKernels

/// Lion (Chen et al., 2023, "Symbolic Discovery of Optimization
/// Algorithms"): c = β₁·m + (1 − β₁)·g; p ← p − lr·sign(c);
/// m ← β₂·m + (1 − β₂)·g. Every coordinate moves by exactly lr (or 0 where
/// c = 0), so its lr is usually 3–10× smaller than AdamW's — and its λ
/// 3–10× larger for the same lr·λ. Decoupled decay p ← p·(1 − lr·λ) comes
/// first, as in the paper and `lion-pytorch`; the kernel fuses it.
public final class Lion: UpdateRule {
    public let beta1: Float, beta2: Float

    public init(spec: OptimizerSpec) {
        beta1 = spec.beta1
        beta2 = spec.beta2
    }

    /// The momentum m.
    public var stateBuffersPerParameter: Int { 1 }
    public var fusesShrink: Bool { true }

    public func update(_ p: Parameter, state: UnsafeMutableBufferPointer<Float>, learningRate lr: Float, step: Int, shrink: Float?) {
        p.value.withUnsafeMutableBufferPointer { pv in
            p.gradient.withUnsafeBufferPointer { pg in
                Kernels.lion(
                    parameters: pv, gradients: pg, momentum: stateBuffer(0, of: state, count: pv.count),
                    learningRate: lr, beta1: Double(beta1), beta2: Double(beta2), decayFactor: shrink,
                    threads: Kernels.recommendedThreads(count: pv.count))
            }
        }
    }
}

extension OptimizerFacts {
    /// `lion-pytorch`: lr 1e-4, betas (0.9, 0.99), and a `weight_decay`
    /// (default 0) that is decoupled.
    public static let lion = OptimizerFacts(displayName: "Lion", rule: Lion.self, learningRate: 1e-4, decay: .decoupled, betas: (0.9, 0.99))
}
