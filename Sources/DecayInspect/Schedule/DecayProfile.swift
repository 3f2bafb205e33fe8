import Foundation

/// What one optimizer step's decay removes from a decayed weight, step by
/// step over a schedule, for the rules whose shrink is a known fraction.
public struct DecayProfile: Sendable {
    public enum Shrink: Equatable, Sendable {
        /// lr_t·λ: decoupled decay, and SGD's L2 without momentum.
        case rateTimesLambda
        /// λ·lr_t²/lr_max (AdamC).
        case rateSquaredOverMax(Double)
        /// The optimizer ignores λ.
        case zero
    }

    public var schedule: LearningRateSchedule
    public var weightDecay: Double
    public var shrink: Shrink

    /// The fraction removed by the t-th update, evaluated as the optimizer does.
    public func shrink(at t: Int) -> Double {
        switch shrink {
        case .rateTimesLambda: return schedule.rate(t) * weightDecay
        case .rateSquaredOverMax(let maxLR):
            let lr = schedule.rate(t)
            return maxLR > 0 ? weightDecay * lr * lr / maxLR : 0
        case .zero: return 0
        }
    }

    /// Π(1 − shrink_t) over the run, multiplied in the optimizer's order.
    public func remainingFraction() -> Double {
        var w = 1.0
        for t in 0..<max(0, schedule.totalSteps) { w *= 1 - shrink(at: t) }
        return w
    }

    /// Σ lr_t over the run (the shrink's exponent per unit λ for decoupled decay).
    public func rateSum() -> Double {
        var s = 0.0
        for t in 0..<max(0, schedule.totalSteps) { s += schedule.rate(t) }
        return s
    }
}
