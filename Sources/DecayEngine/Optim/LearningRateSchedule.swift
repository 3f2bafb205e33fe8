import Foundation

/// The multiplier on the base learning rate at each step (steps count from
/// 1; step t uses the factor for t − 1 completed steps, as PyTorch's
/// schedulers do when stepped after each optimizer step).
public enum LearningRateSchedule: Sendable, Equatable {
    case constant
    /// Linear ramp from 1/w to 1 over the first w steps, then constant.
    case warmup(steps: Int)
    /// Optional linear warm-up, then a half cosine from 1 down to `floor`
    /// at step `total`.
    case cosine(warmup: Int, total: Int, floor: Float)

    public func factor(step t: Int) -> Double {
        let s = t - 1
        switch self {
        case .constant:
            return 1
        case let .warmup(w):
            return w > 0 && s < w ? Double(s + 1) / Double(w) : 1
        case let .cosine(w, total, floor):
            if w > 0 && s < w { return Double(s + 1) / Double(w) }
            let span = max(total - w, 1)
            let progress = min(max(Double(s - w) / Double(span), 0), 1)
            return Double(floor) + (1 - Double(floor)) * 0.5 * (1 + cos(.pi * progress))
        }
    }
}
