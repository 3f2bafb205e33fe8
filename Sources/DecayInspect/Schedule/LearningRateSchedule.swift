import Foundation

/// A learning-rate schedule as the real tools compute it: the lambdas of
/// `transformers.get_scheduler` under `LambdaLR` (lr_t = base_lr × λ(t),
/// where t counts the scheduler's `step()` calls, so the optimizer's t-th
/// update from 0 uses λ(t)), Axolotl's own schedules, and PyTorch's
/// `OneCycleLR`.
///
/// Each formula is written in the order Python evaluates it, so the rates
/// agree with PyTorch's to the last bit (the fixture tests check equality).
public struct LearningRateSchedule: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        // transformers' SchedulerType
        case linear, cosine, cosineWithRestarts = "cosine_with_restarts", polynomial, constant
        case constantWithWarmup = "constant_with_warmup", inverseSqrt = "inverse_sqrt"
        case cosineWithMinLR = "cosine_with_min_lr", cosineWarmupWithMinLR = "cosine_warmup_with_min_lr"
        case warmupStableDecay = "warmup_stable_decay"
        // Axolotl's own (axolotl.utils.schedulers), chosen by its SchedulerMixin
        case axolotlCosineMinLR = "cosine_min_lr_ratio"
        case axolotlCosineDecayConstant = "cosine_constant_lr_ratio"
        case axolotlQuadraticWarmup = "lr_quadratic_warmup"
        case oneCycle = "one_cycle"
        case rex
    }

    /// Schedules transformers offers whose rates depend on the run itself.
    public static let unpredictable: [String: String] = [
        "reduce_lr_on_plateau": "it lowers the rate when the evaluation metric stops improving, which cannot be known before the run",
        "greedy": "it adapts the rate to the loss during the run",
    ]

    public var kind: Kind
    public var peak: Double
    public var warmupSteps: Int
    public var totalSteps: Int
    /// `num_cycles`: 0.5 for the cosines (half a wave), 1 for hard restarts.
    public var numCycles: Double
    /// Polynomial decay's `power` and `lr_end` (defaults 1.0 and 1e-7).
    public var power: Double = 1.0
    public var lrEnd: Double = 1e-7
    /// inverse_sqrt's `timescale` (default: the warm-up, or 10,000).
    public var timescale: Int?
    /// The floor as a fraction of the peak (cosine_with_min_lr,
    /// cosine_warmup_with_min_lr, Axolotl's cosine_min_lr_ratio, WSD's min_lr_ratio).
    public var minLRRate: Double = 0
    /// cosine_warmup_with_min_lr's `warmup_lr_rate` (nil: start at 1/warm-up).
    public var warmupLRRate: Double?
    /// warmup_stable_decay's phases and shapes.
    public var wsd = WSDSettings()
    /// Axolotl's `cosine_constant_lr_ratio`: the cosine ends at this fraction of the run.
    public var constantLRRatio: Double = 1
    /// OneCycleLR's settings (Axolotl sets pct_start from the warm-up).
    public var oneCycle = OneCycleSettings()
    /// Axolotl's ReLoRA-style restarts (`jagged_restart_steps`), wrapped around the schedule.
    public var jagged: JaggedRestarts?

    public init(kind: Kind, peak: Double, warmupSteps: Int, totalSteps: Int) {
        self.kind = kind
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        numCycles = kind == .cosineWithRestarts ? 1 : 0.5
    }

    /// The rate of the t-th optimizer update (from 0).
    ///
    /// `LambdaLR` and `OneCycleLR` start at scheduler step 0. Axolotl's
    /// `RexLR` and `JaggedLRRestartScheduler` are built with last_epoch 0,
    /// and PyTorch's scheduler constructor steps once, so their first
    /// update already uses step 1.
    public func rate(_ t: Int) -> Double {
        if let jagged {
            let k = t + 1
            return closedFormRate(k) * jagged.scale(k)
        }
        return closedFormRate(kind == .rex ? t + 1 : t)
    }

    /// The scheduler's rate after `k` of its steps.
    func closedFormRate(_ k: Int) -> Double {
        switch kind {
        case .oneCycle: return oneCycleRate(k)
        case .rex: return rexRate(k)
        default: return peak * multiplier(k)
        }
    }

    /// The multiplier λ(k) of the peak rate, for the `LambdaLR` schedules.
    public func multiplier(_ k: Int) -> Double {
        let w = warmupSteps, n = totalSteps
        switch kind {
        case .constant: return 1
        case .cosineWarmupWithMinLR: return warmupWithMinLR(k)
        case .warmupStableDecay: return wsdMultiplier(k)
        case .axolotlQuadraticWarmup:
            if k < w { return pow(Double(k) / Double(max(1, w)), 2) }
        case .oneCycle, .rex:
            return closedFormRate(k) / peak
        default:
            if k < w { return Double(k) / Double(max(1, w)) }
        }
        let progress = Double(k - w) / Double(max(1, n - w))
        switch kind {
        case .constantWithWarmup: return 1.0
        case .linear: return max(0.0, Double(n - k) / Double(max(1, n - w)))
        case .cosine, .cosineWithMinLR:
            let factor = 0.5 * (1.0 + cos(Double.pi * numCycles * 2.0 * progress))
            return max(0, factor * (1 - minLRRate) + minLRRate)
        case .axolotlQuadraticWarmup:
            return max(0.0, 0.5 * (1.0 + cos(Double.pi * numCycles * 2.0 * progress)))
        case .axolotlCosineMinLR:
            let scaling = 0.5 * (1.0 + cos(Double.pi * progress))
            return (1 - minLRRate) * scaling + minLRRate
        case .axolotlCosineDecayConstant:
            return decayConstant(k)
        case .cosineWithRestarts:
            if progress >= 1.0 { return 0.0 }
            return max(0.0, 0.5 * (1.0 + cos(Double.pi * (numCycles * progress).pythonRemainder(1.0))))
        case .polynomial:
            if k > n { return lrEnd / peak }
            let range = peak - lrEnd
            let remaining = 1 - Double(k - w) / Double(n - w)
            return (range * pow(remaining, power) + lrEnd) / peak
        case .inverseSqrt:
            let scale = timescale ?? (w != 0 ? w : 10_000)
            return 1.0 / (Double(k + (scale - w)) / Double(scale)).squareRoot()
        case .constant, .cosineWarmupWithMinLR, .warmupStableDecay, .oneCycle, .rex:
            return 1
        }
    }

    /// Axolotl's get_cosine_schedule_with_warmup_decay_constant: the cosine
    /// reaches its floor at ⌊n × constant_lr_ratio⌋ and stays there.
    func decayConstant(_ k: Int) -> Double {
        let w = warmupSteps
        let constantSteps = Int((Double(totalSteps) * constantLRRatio).rounded(.towardZero))
        let step = min(k, constantSteps)
        let progress = Double(step - w) / Double(max(1, constantSteps - w))
        return max(0, (1 - minLRRate) * 0.5 * (1.0 + cos(Double.pi * numCycles * 2.0 * progress))) + minLRRate
    }

    /// transformers' cosine_warmup_with_min_lr: the warm-up reaches the
    /// peak one step early and the cosine starts one step in.
    func warmupWithMinLR(_ k: Int) -> Double {
        let step = Double(k), w = Double(warmupSteps), n = Double(totalSteps)
        if step < w {
            guard let r = warmupLRRate else { return (step + 1.0) / max(1.0, w) }
            return r + (1.0 - r) * step / Double(max(1, warmupSteps - 1))
        }
        let progress = (step - w + 1.0) / max(1.0, n - w)
        let factor = 0.5 * (1.0 + cos(Double.pi * numCycles * 2.0 * progress))
        return max(0, factor * (1 - minLRRate) + minLRRate)
    }

    /// The weight left from decay alone after the whole run, Π(1 − lr_t·λ),
    /// multiplied in the order the optimizer applies it.
    public func remainingFraction(weightDecay: Double) -> Double {
        var w = 1.0
        for t in 0..<max(0, totalSteps) { w *= 1 - rate(t) * weightDecay }
        return w
    }
}

extension Double {
    /// Python's `%` for floats: the result takes the divisor's sign.
    func pythonRemainder(_ divisor: Double) -> Double {
        let r = truncatingRemainder(dividingBy: divisor)
        return r != 0 && (r < 0) != (divisor < 0) ? r + divisor : r
    }
}
