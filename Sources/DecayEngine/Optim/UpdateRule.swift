import DecayKernels

/// One optimizer's update rule, in the shape of mlx-swift's `OptimizerBase`:
/// the state it keeps per parameter tensor, and one step of one tensor
/// through its SIMD kernel. Weight decay is not here — `WeightDecay` owns it —
/// except that a rule may say it can fold the decay's multiplicative shrink
/// p ← p·f into its own pass over memory (`fusesShrink`), which must give
/// exactly `Kernels.scale(p, by: f)` followed by the update.
///
/// Adding an optimizer: a type conforming to this protocol with its
/// `OptimizerFacts` beside it (one file), its kernel in the `DecayKernels`
/// target, and a case in `OptimizerSpec.Kind` mapping its name to the facts.
public protocol UpdateRule: AnyObject {
    /// The rule with the spec's hyperparameters (the learning rate comes
    /// with each step, as a schedule sets it).
    init(spec: OptimizerSpec)

    /// State buffers per parameter tensor, each as long as the tensor and
    /// zero at the start (momentum, moments, …).
    var stateBuffersPerParameter: Int { get }

    /// Whether `update` applies a shrink factor in the same pass.
    var fusesShrink: Bool { get }

    /// One step of one parameter whose gradient is computed.
    ///
    /// - Parameters:
    ///   - state: this parameter's `stateBuffersPerParameter` buffers, one
    ///     after another (buffer k is `state[k·n ..< (k+1)·n]` for n
    ///     elements); `stateBuffer(k, of:)` slices one out.
    ///   - learningRate: this step's rate (base rate times the schedule).
    ///   - step: the optimizer's step count, from 1.
    ///   - shrink: p ← p·shrink before the update; only when `fusesShrink`.
    func update(_ p: Parameter, state: UnsafeMutableBufferPointer<Float>, learningRate: Float, step: Int, shrink: Float?)
}

extension UpdateRule {
    /// State buffer `k` of a parameter of `count` elements.
    @inline(__always)
    public func stateBuffer(_ k: Int, of state: UnsafeMutableBufferPointer<Float>, count: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(rebasing: state[(k * count)..<((k + 1) * count)])
    }
}
