import Foundation

/// The multiplier on the base learning rate at each step (steps count from
/// 1; step t uses the factor for t − 1 completed steps, as PyTorch's
/// schedulers do when stepped after each optimizer step).
public enum ScheduleShape: Sendable, Equatable {
    case constant
    /// Linear ramp from 1/w to 1 over the first w steps, then constant.
    case warmup(steps: Int)
    /// Optional linear warm-up, then a half cosine from 1 down to `floor`
    /// at step `total`.
    case cosine(warmup: Int, total: Int, floor: Float)
    /// Hugging Face's default (`get_linear_schedule_with_warmup`): a warm-up
    /// from 0 (the first step's factor is 0 when w > 0), then a straight line
    /// from 1 down to 0 at step `total`: factor (T − s)/(T − w) after s steps.
    case linear(warmup: Int, total: Int)

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
        case let .linear(w, total):
            if s < w { return Double(s) / Double(max(w, 1)) }
            return max(0, Double(total - s) / Double(max(total - w, 1)))
        }
    }

    /// The lesson-file name of the schedule.
    public var name: String {
        switch self {
        case .constant: "constant"
        case .warmup: "warmup"
        case .cosine: "cosine"
        case .linear: "linear"
        }
    }

    /// Where a schedule that runs out stops changing: from step `step` on,
    /// the factor stays `factor` (cosine: its floor; linear: 0). Nil for the
    /// schedules that never end.
    public var end: (step: Int, factor: Float)? {
        switch self {
        case .constant, .warmup: nil
        case let .cosine(_, total, floor): (total, floor)
        case let .linear(_, total): (total, 0)
        }
    }
}
