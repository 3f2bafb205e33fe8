import DecayEngine

/// The check that confirms a threshold goal: a fresh run of the step at the
/// learner's settings, from the step's start, judged at the goal's
/// `min_steps` — on the run's median when it trains at several seeds. The
/// tutor runs it on a thread of its own when the live run meets the goal;
/// `decay-tutor run --goal` runs it headless.
///
/// The live run alone is not enough: after a few presses of → it has
/// trained thousands of steps under several λ, and a λ that only works
/// given all that history must not pass.
public enum GoalCheck {
    public enum Outcome: Sendable, Equatable {
        case running
        /// The replay met the goal: its value at step `steps`.
        case met(value: Float, steps: Int)
        /// It did not: its value (nil if never measured, e.g. it diverged).
        case notMet(value: Float?, steps: Int)

        public var isMet: Bool { if case .met = self { true } else { false } }

        /// The replay's value (nil while running, or never measured).
        public var value: Float? {
            switch self {
            case let .met(v, _): v
            case let .notMet(v, _): v
            case .running: nil
            }
        }

        /// The step the replay was judged at (0 while running).
        public var steps: Int {
            switch self {
            case let .met(_, s), let .notMet(_, s): s
            case .running: 0
            }
        }
    }

    /// Trains `seeded` (fresh, its controls already set) for the goal's
    /// steps, and on to the next validation measurement if that step has
    /// none, then judges the goal on it.
    public static func replay(_ seeded: SeededExperiment, goal: Goal.Threshold,
                              cancelled: () -> Bool = { false }) -> Outcome {
        let experiment = seeded.base
        guard let run = experiment.runs.first(where: { $0.name == goal.run }) else { return .notMet(value: nil, steps: 0) }
        let reference = goal.relativeTo.flatMap { name in experiment.runs.first { $0.name == name } }
        let limit = goal.minSteps + experiment.evaluationInterval
        while experiment.step < limit && !run.status.isDiverged && !(reference?.status.isDiverged ?? false) {
            if experiment.step % 32 == 0 && cancelled() { return .running }
            seeded.advance()
            if experiment.step >= goal.minSteps, let last = run.history.last,
               goal.value(in: last, reference: reference?.history) != nil { break }
        }
        let refMedian = goal.relativeTo.map { seeded.medianHistory(of: $0) }
        let value = Goal.latest(goal, entries: seeded.medianHistory(of: goal.run), reference: refMedian)?.1
        let met = Goal.threshold(goal).evaluate(seeded) == .met
        return met ? .met(value: value ?? .nan, steps: experiment.step) : .notMet(value: value, steps: experiment.step)
    }

    /// The replay of `step`'s threshold goal at `settings` (the command
    /// line's λ, lr, dropout and seed); nil for a step without one.
    public static func replay(step: Step, settings: StepSettings) -> Outcome? {
        guard case let .threshold(goal)? = step.goal else { return nil }
        return replay(SeededExperiment(spec: step.spec(applying: settings)), goal: goal)
    }
}
