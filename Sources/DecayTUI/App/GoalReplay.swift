import DecayEngine
import DecayLessons
import Foundation

/// A fresh, headless run of a step at the learner's current settings, from
/// the step's start, for the goal's steps — the check a threshold goal must
/// pass. The live run alone is not enough: after a few presses of → it has
/// trained thousands of steps under several λ, and a λ that only works
/// given all that history must not pass.
///
/// The replay trains on its own thread, so keys stay answered; the runtime
/// polls `outcome` once a frame.
final class GoalReplay: @unchecked Sendable {
    typealias Outcome = GoalCheck.Outcome

    let readings: ControlReadings
    private let lock = NSLock()
    private var result: Outcome = .running
    private var stopped = false

    init(spec: ExperimentSpec, controls: [StepControl], readings: ControlReadings, goal: Goal.Threshold) {
        self.readings = readings
        let engineControls = controls.compactMap(\.engineControl)
        let groups = controls.contains(.groups)
        Thread.detachNewThread { [self] in
            let outcome = Self.replay(spec: spec, controls: engineControls, groups: groups, readings: readings,
                                      goal: goal, cancelled: { self.isCancelled })
            lock.withLock { if !stopped { result = outcome } }
        }
    }

    var outcome: Outcome { lock.withLock { result } }

    private var isCancelled: Bool { lock.withLock { stopped } }

    func cancel() { lock.withLock { stopped = true } }

    /// The step from its start at `readings`, judged as `GoalCheck` judges it.
    static func replay(spec: ExperimentSpec, controls: [Control], groups: Bool, readings: ControlReadings,
                       goal: Goal.Threshold, cancelled: () -> Bool = { false }) -> Outcome {
        let seeded = SeededExperiment(spec: spec)
        for e in seeded.all { readings.apply(to: e, controls: controls, groups: groups) }
        return GoalCheck.replay(seeded, goal: goal, cancelled: cancelled)
    }
}
