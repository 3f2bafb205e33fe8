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
    typealias Outcome = GoalCheck.Outcome

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

    /// The step from its start at `readings`, judged as `GoalCheck` judges
    /// it; `.running` when `cancellation` is raised first (the job discards it).
    static func replay(spec: ExperimentSpec, controls: [Control], groups: Bool, readings: ControlReadings,
                       goal: Goal.Threshold, cancellation: Cancellation = Cancellation()) -> Outcome {
        let seeded = SeededExperiment(spec: spec)
        for e in seeded.all { readings.apply(to: e, controls: controls, groups: groups) }
        return GoalCheck.replay(seeded, goal: goal, cancelled: { cancellation.isCancelled })
    }
}
