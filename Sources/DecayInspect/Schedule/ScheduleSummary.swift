/// What a config's schedule does to a decayed weight: the per-step shrink at
/// the peak rate, the fraction left after the run, the timescale
/// τ = 1/(lr_peak·λ), and how τ compares with the guideline of the timescale
/// lesson — between about one epoch and the whole run.
public struct ScheduleSummary: Sendable {
    public var config: TrainingConfig
    public var plan: StepPlan
    public var schedule: LearningRateSchedule
    /// lr_peak·λ, the largest fraction one step removes.
    public var peakShrink: Double
    /// Π(1 − lr_t·λ) over the run, in double precision.
    public var remainingFraction: Double
    /// τ in steps; nil when λ or the rate is 0 (no decay, no timescale).
    public var timescaleSteps: Double?
    public var timescaleEpochs: Double?

    public enum Verdict: Equatable, Sendable {
        case noDecay
        /// lr·λ ≥ 1: one step at the peak would zero or flip every decayed weight.
        case overshoots
        /// τ shorter than one epoch: a weight forgets faster than it sees the data once.
        case tooStrong
        /// τ longer than the run: decay barely acts.
        case tooWeak
        case withinGuideline
        /// τ inside the run, but the epoch is unknown (no --examples).
        case withinRun
    }

    public var verdict: Verdict
    /// λ that puts τ at one epoch (strongest the guideline allows), if the epoch is known.
    public var lambdaForOneEpoch: Double?
    /// λ that puts τ at the whole run (weakest the guideline allows).
    public var lambdaForWholeRun: Double?

    public init(config: TrainingConfig, examples: Int?) throws {
        self.config = config
        plan = try StepPlan.make(config, examples: examples)
        schedule = try SchedulerSettings.schedule(config, plan: plan)
        let lr = config.learningRate, lambda = config.weightDecay
        peakShrink = lr * lambda
        remainingFraction = schedule.remainingFraction(weightDecay: lambda)
        if peakShrink > 0 {
            let tau = 1 / peakShrink
            timescaleSteps = tau
            timescaleEpochs = plan.updatesPerEpoch.map { tau / Double($0) }
        }
        if lr > 0 {
            lambdaForWholeRun = plan.steps > 0 ? 1 / (lr * Double(plan.steps)) : nil
            lambdaForOneEpoch = plan.updatesPerEpoch.map { 1 / (lr * Double($0)) }
        }
        verdict = peakShrink >= 1 ? .overshoots
            : Self.judge(tau: timescaleSteps, steps: plan.steps, epochSteps: plan.updatesPerEpoch)
    }

    static func judge(tau: Double?, steps: Int, epochSteps: Int?) -> Verdict {
        guard let tau else { return .noDecay }
        if tau > Double(steps) { return .tooWeak }
        guard let epochSteps else { return .withinRun }
        return tau < Double(epochSteps) ? .tooStrong : .withinGuideline
    }

    /// The fraction lost, 1 − remaining.
    public var fractionLost: Double { 1 - remainingFraction }
}
