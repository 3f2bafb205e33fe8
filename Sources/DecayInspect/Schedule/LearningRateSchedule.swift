import Foundation

/// The learning-rate schedules of `transformers.get_scheduler`, computed as
/// its `LambdaLR` computes them: lr_t = base_lr × λ(t), where t counts the
/// scheduler's `step()` calls so far. The optimizer's t-th update (from 0)
/// uses λ(t), so a warm-up's first update has lr 0.
///
/// Each formula is written in the order Python evaluates it, so the rates
/// agree with PyTorch's to the last bit (the fixture tests check equality).
public struct LearningRateSchedule: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case linear, cosine, cosineWithRestarts = "cosine_with_restarts", polynomial, constant
        case constantWithWarmup = "constant_with_warmup", inverseSqrt = "inverse_sqrt"
        case cosineWithMinLR = "cosine_with_min_lr"
    }

    /// Schedules `get_scheduler` knows but whose rates cannot be known in
    /// advance or are not modelled here.
    public static let notModelled: [String: String] = [
        "reduce_lr_on_plateau": "it lowers the rate when the validation loss stalls, which cannot be known before the run",
        "greedy": "it adapts the rate to the loss during the run",
        "cosine_warmup_with_min_lr": "not modelled by inspect yet",
        "warmup_stable_decay": "not modelled by inspect yet",
    ]

    public var kind: Kind
    public var peak: Double
    public var warmupSteps: Int
    public var totalSteps: Int
    /// `num_cycles`: 0.5 for cosine (half a wave), 1 for hard restarts.
    public var numCycles: Double
    /// Polynomial decay's `power` and `lr_end` (defaults 1.0 and 1e-7).
    public var power: Double = 1.0
    public var lrEnd: Double = 1e-7
    /// inverse_sqrt's `timescale` (default: the warm-up, or 10,000).
    public var timescale: Int?
    /// cosine_with_min_lr's floor as a fraction of the peak.
    public var minLRRate: Double = 0

    public init(kind: Kind, peak: Double, warmupSteps: Int, totalSteps: Int) {
        self.kind = kind
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        numCycles = kind == .cosineWithRestarts ? 1 : 0.5
    }

    /// The multiplier λ(t) of the peak rate.
    public func multiplier(_ t: Int) -> Double {
        let w = warmupSteps, n = totalSteps
        if kind == .constant { return 1 }
        if t < w {
            return Double(t) / Double(max(1, w))
        }
        let progress = Double(t - w) / Double(max(1, n - w))
        switch kind {
        case .constant, .constantWithWarmup:
            return 1.0
        case .linear:
            return max(0.0, Double(n - t) / Double(max(1, n - w)))
        case .cosine:
            return max(0.0, 0.5 * (1.0 + cos(Double.pi * numCycles * 2.0 * progress)))
        case .cosineWithMinLR:
            let factor = 0.5 * (1.0 + cos(Double.pi * numCycles * 2.0 * progress))
            return max(0.0, factor * (1 - minLRRate) + minLRRate)
        case .cosineWithRestarts:
            if progress >= 1.0 { return 0.0 }
            return max(0.0, 0.5 * (1.0 + cos(Double.pi * (numCycles * progress).truncatingRemainder(dividingBy: 1.0))))
        case .polynomial:
            if t > n { return lrEnd / peak }
            let range = peak - lrEnd
            let remaining = 1 - Double(t - w) / Double(n - w)
            return (range * pow(remaining, power) + lrEnd) / peak
        case .inverseSqrt:
            let scale = timescale ?? (w != 0 ? w : 10_000)
            return 1.0 / (Double(t + scale - w) / Double(scale)).squareRoot()
        }
    }

    /// The rate of the t-th update (from 0): peak × λ(t).
    public func rate(_ t: Int) -> Double { peak * multiplier(t) }

    /// The weight left from decay alone after the whole run, Π(1 − lr_t·λ),
    /// multiplied in the order the optimizer applies it.
    public func remainingFraction(weightDecay: Double) -> Double {
        var w = 1.0
        for t in 0..<max(0, totalSteps) { w *= 1 - rate(t) * weightDecay }
        return w
    }
}
