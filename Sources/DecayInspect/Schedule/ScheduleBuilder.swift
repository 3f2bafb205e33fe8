/// The schedule a config gets once its step count is known, with the
/// checks the schedule's own constructor makes (what `get_scheduler`,
/// `OneCycleLR` or Axolotl's schedulers would refuse).
enum ScheduleBuilder {
    static func schedule(_ c: TrainingConfig, kind: LearningRateSchedule.Kind, plan: StepPlan) throws -> LearningRateSchedule {
        let choice = c.scheduler
        var s = LearningRateSchedule(kind: kind, peak: c.learningRate, warmupSteps: plan.warmupSteps, totalSteps: plan.steps)
        if let n = choice.numCycles { s.numCycles = n }
        if let p = choice.power { s.power = p }
        if let e = choice.lrEnd { s.lrEnd = e }
        s.timescale = choice.timescale
        s.warmupLRRate = choice.warmupLRRate
        s.wsd = choice.wsd
        s.oneCycle = choice.oneCycle
        s.constantLRRatio = choice.constantLRRatio
        s.jagged = choice.jagged
        let line = c.lines["lr_scheduler_type"] ?? c.lines["lr_scheduler"]
        func refuse(_ message: String) -> InspectError { InspectError(path: c.path, line: line, message: message) }
        switch kind {
        case .polynomial:
            if !(c.learningRate > s.lrEnd) {
                throw InspectError(path: c.path, line: c.lines["learning_rate"],
                                   message: "the polynomial schedule needs lr_end (\(s.lrEnd)) below the learning rate (\(c.learningRate)); get_scheduler refuses it")
            }
        case .cosineWithMinLR, .cosineWarmupWithMinLR:
            s.minLRRate = try minLRRate(c, line: line)
        case .axolotlCosineMinLR, .axolotlCosineDecayConstant, .rex:
            s.minLRRate = choice.minLRRate ?? 0
        case .oneCycle:
            if let problem = s.oneCycleProblem { throw refuse(problem + "; PyTorch refuses it") }
        case .warmupStableDecay:
            let stable = s.wsd.numStableSteps ?? (plan.steps - plan.warmupSteps - s.wsd.numDecaySteps)
            if stable < 0 {
                throw refuse("warmup_stable_decay: warm-up (\(plan.warmupSteps)) + decay (\(s.wsd.numDecaySteps)) steps exceed the run (\(plan.steps)); the stable phase would be negative")
            }
            s.minLRRate = s.wsd.minLRRatio
        default:
            break
        }
        if kind == .rex, plan.warmupSteps > plan.steps {
            throw refuse("RexLR needs the warm-up (\(plan.warmupSteps)) no longer than the run (\(plan.steps)); Axolotl's RexLR refuses it")
        }
        return s
    }

    /// cosine_with_min_lr's floor: min_lr or min_lr_rate, one of them, as get_scheduler demands.
    static func minLRRate(_ c: TrainingConfig, line: Int?) throws -> Double {
        switch (c.scheduler.minLR, c.scheduler.minLRRate) {
        case (_?, _?):
            throw InspectError(path: c.path, line: line, message: "\(c.scheduler.name) takes min_lr or min_lr_rate, not both (\"Only one of min_lr or min_lr_rate should be set\")")
        case (let m?, nil):
            guard c.learningRate > 0 else { throw InspectError(path: c.path, line: line, message: "min_lr needs a positive learning rate") }
            return m / c.learningRate
        case (nil, let r?):
            return r
        case (nil, nil):
            throw InspectError(path: c.path, line: line, message: "\(c.scheduler.name) needs min_lr or min_lr_rate in its keyword arguments; get_scheduler refuses it without",
                               hint: "or use Axolotl's cosine_min_lr_ratio with lr_scheduler: cosine")
        }
    }
}
