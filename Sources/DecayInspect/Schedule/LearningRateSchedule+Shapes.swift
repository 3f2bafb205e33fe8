import Foundation

/// warmup_stable_decay's keyword arguments (transformers `get_wsd_schedule`).
public struct WSDSettings: Equatable, Sendable {
    public var numDecaySteps = 0
    /// nil: the rest of the run after warm-up and decay.
    public var numStableSteps: Int?
    public var warmupType = "linear"
    public var decayType = "cosine"
    public var minLRRatio = 0.0
}

/// PyTorch `OneCycleLR`'s settings as Axolotl builds it: max_lr is the
/// learning rate, `pct_start` the warm-up's share unless given.
public struct OneCycleSettings: Equatable, Sendable {
    public var pctStart: Double?
    public var annealCosine = true
    public var divFactor = 25.0
    public var finalDivFactor = 1e4
    public var threePhase = false
}

/// Axolotl's `JaggedLRRestartScheduler`: every `steps` steps the rate
/// drops to `minScale` of the inner schedule's, anneals down over
/// `annealSteps` before the restart and warms back up over `warmupSteps`.
public struct JaggedRestarts: Equatable, Sendable {
    public var steps: Int
    public var warmupSteps = 10
    public var annealSteps = 1
    public var minScale = 0.001

    /// The factor on the inner schedule's rate at scheduler step k.
    func scale(_ k: Int) -> Double {
        if k < steps - annealSteps { return 1 }
        let progress = k % steps
        let cycle: Double
        if progress < warmupSteps {
            cycle = min(1.0, Double(progress) / Double(warmupSteps))
        } else if progress > steps - annealSteps {
            cycle = min(1.0, Double(steps - progress) / Double(annealSteps))
        } else {
            cycle = 1
        }
        return cycle * (1 - minScale) + minScale
    }
}

extension LearningRateSchedule {
    /// transformers' `_get_wsd_scheduler_lambda`.
    func wsdMultiplier(_ k: Int) -> Double {
        let w = warmupSteps, r = wsd.minLRRatio
        let stable = wsd.numStableSteps ?? (totalSteps - w - wsd.numDecaySteps)
        if k < w {
            let progress = Double(k) / Double(max(1, w))
            var factor: Double
            switch wsd.warmupType {
            case "cosine": factor = 0.5 * (1.0 - cos(Double.pi * progress))
            case "1-sqrt": factor = 1.0 - (1.0 - progress).squareRoot()
            default: factor = progress
            }
            factor = factor * (1.0 - r) + r
            return max(0.0, factor)
        }
        if k < w + stable { return 1.0 }
        if k < w + stable + wsd.numDecaySteps {
            let progress = Double(k - w - stable) / Double(max(1, wsd.numDecaySteps))
            var factor: Double
            switch wsd.decayType {
            case "linear": factor = 1.0 - progress
            case "1-sqrt": factor = 1.0 - progress.squareRoot()
            default: factor = 0.5 * (1.0 + cos(Double.pi * numCycles * 2.0 * progress))
            }
            factor = factor * (1.0 - r) + r
            return max(0.0, factor)
        }
        return r
    }

    /// PyTorch `OneCycleLR.get_lr` at scheduler step k: the first phase
    /// whose end is at or after k (the last one otherwise), interpolated
    /// from its start. Two phases, or three with `three_phase`.
    func oneCycleRate(_ k: Int) -> Double {
        let initial = peak / oneCycle.divFactor
        let minimum = initial / oneCycle.finalDivFactor
        let (end1, end2, end3) = oneCycleEnds
        let step = Double(k)
        let start: Double, end: Double, from: Double, to: Double
        if step <= end1 {
            (start, end, from, to) = (0, end1, initial, peak)
        } else if oneCycle.threePhase, step <= end2 {
            (start, end, from, to) = (end1, end2, peak, initial)
        } else if oneCycle.threePhase {
            (start, end, from, to) = (end2, end3, initial, minimum)
        } else {
            (start, end, from, to) = (end1, end3, peak, minimum)
        }
        let pct = (step - start) / (end - start)
        return oneCycle.annealCosine
            ? to + (from - to) / 2.0 * (cos(Double.pi * pct) + 1)
            : (to - from) * pct + from
    }

    /// The phases' end steps as OneCycleLR computes them.
    var oneCycleEnds: (Double, Double, Double) {
        let pct = oneCycle.pctStart ?? Double(warmupSteps) / Double(totalSteps)
        let n = Double(totalSteps)
        return (pct * n - 1, 2 * pct * n - 2, n - 1)
    }

    /// Why PyTorch would refuse this one-cycle schedule, if it would: a
    /// pct_start outside [0, 1], or a phase of length zero that a step
    /// reaches (its interpolation divides by zero).
    var oneCycleProblem: String? {
        let pct = oneCycle.pctStart ?? Double(warmupSteps) / Double(max(1, totalSteps))
        if !(0...1).contains(pct) { return "OneCycleLR needs pct_start in [0, 1], not \(pct)" }
        let (end1, end2, end3) = oneCycleEnds
        let last = Double(totalSteps - 1)
        var phases: [(start: Double, end: Double, reached: Bool)] = [(0, end1, end1 >= 0)]
        if oneCycle.threePhase {
            phases += [(end1, end2, end2 > end1 && end1 < last), (end2, end3, end2 < last)]
        } else {
            phases.append((end1, end3, end1 < last))
        }
        if let zero = phases.first(where: { $0.reached && $0.end == $0.start }) {
            return "OneCycleLR divides by zero in a phase of length 0 ending at step \(zero.end) (pct_start × steps = \(pct * Double(totalSteps)))"
        }
        return nil
    }

    /// Axolotl's `RexLR.get_lr` at scheduler step k (min_lr = peak × minLRRate).
    func rexRate(_ k: Int) -> Double {
        let w = warmupSteps
        let minLR = peak * minLRRate
        if 1 <= k && k <= w { return peak * Double(k) / Double(w) }
        let after = k - w
        let remaining = totalSteps - w
        if after >= remaining || after == -1 || remaining <= 0 { return minLR }
        let z = Double(remaining - after % remaining) / Double(remaining)
        let factor = minLR / peak + (1.0 - minLR / peak) * (z / (0.1 + 0.9 * z))
        return peak * factor
    }
}
