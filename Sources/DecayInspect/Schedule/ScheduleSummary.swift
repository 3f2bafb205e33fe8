import Foundation

/// What a config's schedule does to a decayed weight: the per-step shrink
/// at the peak rate, the fraction left after the run, the timescale
/// τ = 1/(lr_peak·λ) and the λ that would put τ at one epoch or at the
/// whole run. What the optimizer's rule or the schedule makes impossible
/// to compute is left nil and said in a note.
public struct ScheduleSummary: Sendable {
    public var config: TrainingConfig
    public var plan: StepPlan
    /// nil when the rates cannot be known before the run, or the steps cannot.
    public var schedule: LearningRateSchedule?
    /// nil when the optimizer's decay is not a known fraction per step.
    public var profile: DecayProfile?
    public var optimizer: OptimizerInfo
    /// λ as the optimizer receives it (`optim_args` may change it).
    public var weightDecay: Double
    /// The largest fraction one step removes (at the peak rate), when known.
    public var peakShrink: Double?
    /// Π(1 − shrink_t) over the run, in double precision.
    public var remainingFraction: Double?
    /// When the schedule only ever lowers the rate (reduce_lr_on_plateau): at least this is left.
    public var remainingAtLeast: Double?
    /// τ in steps at the peak rate; nil when λ, the rate or the rule gives none.
    public var timescaleSteps: Double?
    public var timescaleEpochs: Double?
    /// λ that puts τ at one epoch (strongest the guideline allows), if the epoch is known.
    public var lambdaForOneEpoch: Double?
    /// λ that puts τ at the whole run (weakest the guideline allows).
    public var lambdaForWholeRun: Double?
    public var notes: [InspectNote] = []

    public init(config: TrainingConfig, examples: Int?, tokens: Int? = nil) throws {
        self.config = config
        plan = try StepPlan.make(config, examples: examples, tokens: tokens)
        optimizer = config.optimizerInfo
        weightDecay = config.weightDecay
        notes = plan.notes
        if let override = config.optimizerArguments["weight_decay"], let v = Double(override), optimizerReadsWeightDecayArgument {
            weightDecay = v
            notes.append(InspectNote(.decayRule, "optim_args sets weight_decay=\(override), which \(config.optimizer) takes over weight_decay's \(config.weightDecay)", line: config.lines["optim_args"]))
        }
        if let reason = plan.unknownReason {
            notes.append(InspectNote(.notPredictable, "the step count cannot be predicted: \(reason)"))
        } else if let kind = config.scheduler.kind {
            schedule = try ScheduleBuilder.schedule(config, kind: kind, plan: plan)
        } else {
            notes.append(InspectNote(.notPredictable, "the \(config.scheduler.name) schedule cannot be predicted: \(LearningRateSchedule.unpredictable[config.scheduler.name] ?? "it depends on the run"). It only ever lowers the rate from the peak, so the numbers below are bounds",
                                     line: config.lines["lr_scheduler_type"] ?? config.lines["lr_scheduler"]))
        }
        computeShrink()
        computeTimescale()
    }

    /// SGD, Adagrad and RMSprop read `weight_decay` from optim_args too.
    var optimizerReadsWeightDecayArgument: Bool { ["sgd", "adagrad", "rmsprop"].contains(config.optimizer) }

    mutating func computeShrink() {
        let lr = config.learningRate, lambda = weightDecay
        let shrinkKind: DecayProfile.Shrink?
        switch optimizer.rule {
        case .decoupled: shrinkKind = .rateTimesLambda
        case .lrSquaredOverMax: shrinkKind = .rateSquaredOverMax(lr)
        case .none: shrinkKind = .zero
        case .coupledL2:
            let momentum = Double(config.optimizerArguments["momentum"] ?? "0") ?? 0
            if ["sgd", "flash_sgd"].contains(config.optimizer) && momentum == 0 {
                shrinkKind = .rateTimesLambda
                notes.append(InspectNote(.decayRule, "\(config.optimizer) adds λ·w to the gradient (L2); with no momentum that is exactly the shrink lr_t·λ below"))
            } else {
                shrinkKind = nil
                notes.append(InspectNote(.decayRule, "\(config.optimizer) adds λ·w to the gradient (coupled L2), which then passes through \(momentum != 0 ? "momentum" : "its adaptive step"): the fraction a weight loses per step is not lr_t·λ and cannot be computed from the config"))
            }
        case .other(let text):
            shrinkKind = nil
            notes.append(InspectNote(.decayRule, "\(config.optimizer): \(text); the shrink is not computed"))
        case .unknown:
            shrinkKind = nil
            notes.append(InspectNote(.decayRule, "\(config.optimizer): decay rule unknown (\(optimizer.source)); the shrink is not computed"))
        }
        if let note = optimizer.note { notes.append(InspectNote(.decayRule, "\(config.optimizer): \(note)")) }
        guard let shrinkKind else { return }
        peakShrink = shrinkKind == .zero ? 0 : lr * lambda
        if let schedule {
            let profile = DecayProfile(schedule: schedule, weightDecay: lambda, shrink: shrinkKind)
            self.profile = profile
            remainingFraction = profile.remainingFraction()
        } else if config.scheduler.kind == nil, plan.unknownReason == nil {
            // reduce_lr_on_plateau starts at the peak and only lowers it.
            remainingAtLeast = pow(1 - (peakShrink ?? 0), Double(plan.steps))
        }
    }

    mutating func computeTimescale() {
        let lr = config.learningRate
        if let shrink = peakShrink, shrink > 0 {
            timescaleSteps = 1 / shrink
            timescaleEpochs = plan.updatesPerEpoch.map { 1 / shrink / Double($0) }
        }
        guard lr > 0, peakShrink != nil, optimizer.rule != .none else { return }
        lambdaForWholeRun = plan.steps > 0 ? 1 / (lr * Double(plan.steps)) : nil
        lambdaForOneEpoch = plan.updatesPerEpoch.map { 1 / (lr * Double($0)) }
    }

    /// The fraction lost, 1 − remaining, when known.
    public var fractionLost: Double? { remainingFraction.map { 1 - $0 } }
}
