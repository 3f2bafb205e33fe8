import DecayEngine
import DecayLessons
import Foundation

/// A fresh, headless run of a step at the learner's current settings, from
/// the step's start, for the goal's steps — the check a threshold goal must
/// pass. The live run alone is not enough: after a few presses of → it has
/// trained thousands of steps under several λ, and a λ that only works
/// given all that history must not pass.
///
/// The replay trains as a `BackgroundJob`, so keys stay answered; the
/// runtime polls `outcome` once a frame.
final class GoalReplay: Sendable {
    enum Outcome: Sendable, Equatable {
        case running
        /// The replay met the goal: its value after `steps` steps.
        case met(value: Float, steps: Int)
        /// It did not: its value (nil if never measured, e.g. it diverged).
        case notMet(value: Float?, steps: Int)
    }

    let readings: ControlReadings
    private let job: BackgroundJob<Outcome>

    init(spec: ExperimentSpec, controls: [StepControl], readings: ControlReadings, goal: Goal.Threshold) {
        self.readings = readings
        let engineControls = controls.compactMap(\.engineControl)
        let groups = controls.contains(.groups)
        job = BackgroundJob { cancellation in
            Self.replay(spec: spec, controls: engineControls, groups: groups, readings: readings,
                        goal: goal, cancellation: cancellation)
        }
    }

    var outcome: Outcome { job.result ?? .running }

    func cancel() { job.cancel() }

    /// Trains the step from its start at `readings` for the goal's steps
    /// (and on to the next validation measurement, if that step has none),
    /// then checks the goal on that run alone — at every seed it trains at,
    /// judged on their median.
    /// `.running` when `cancellation` is raised first (the job discards it).
    static func replay(spec: ExperimentSpec, controls: [Control], groups: Bool, readings: ControlReadings,
                       goal: Goal.Threshold, cancellation: Cancellation = Cancellation()) -> Outcome {
        let seeded = SeededExperiment(spec: spec)
        for e in seeded.all { readings.apply(to: e, controls: controls, groups: groups) }
        let experiment = seeded.base
        guard let run = experiment.runs.first(where: { $0.name == goal.run }) else { return .notMet(value: nil, steps: 0) }
        let limit = goal.minSteps + experiment.evaluationInterval
        while experiment.step < limit && !run.status.isDiverged {
            if experiment.step % 32 == 0 && cancellation.isCancelled { return .running }
            seeded.advance()
            if experiment.step >= goal.minSteps, let last = run.history.last, last[goal.metric] != nil { break }
        }
        let median = seeded.medianHistory(of: goal.run)
        let value = median.latest(goal.metric)?.value
        let met = seeded.status(of: goal.run)?.isDiverged == false && Goal.threshold(goal).evaluate(seeded) == .met
        return met ? .met(value: value ?? .nan, steps: experiment.step) : .notMet(value: value, steps: experiment.step)
    }
}
