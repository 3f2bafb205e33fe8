import TerminalUI
import DecayEngine

/// Everything that can happen to the UI. Keys come from the backend; the
/// rest from the runtime, which reports what training and sweeps did.
public enum Msg: Sendable, Equatable {
    case key(Key)
    case resized(TerminalSize)
    /// The step's goal was met (threshold, confirmed by a replay) or its
    /// planned steps were watched (no goal).
    case stepFinished
    /// A message for the status line (a save error, a warning, an export).
    case notice(String)
    /// Whether any run of the open step has diverged.
    case diverged(Bool)
    /// The engine's control values after a change (the only source of them).
    case readings(ControlReadings)
    /// A replay showed the learner's settings do not meet the goal: the
    /// hint comes up.
    case goalMissed
}

/// What `update` asks the runtime to do. `update` stays a pure function of
/// the state; training, saving, sweeps and files happen here, outside it.
public enum Command: Sendable, Equatable {
    /// Build the experiment of a step (and its sweep) and start training it.
    case openStep(lesson: Int, step: Int)
    case closeStep
    case setControl(Control, Float)
    case setGroupDecay(ParameterGroup, Bool)
    case restart
    case singleStep
    /// Pace: twice as fast, half as fast, or the planned steps at once.
    case faster
    case slower
    case finishNow
    /// Write `experiment.json` and `reproduce.py` for the open step with the
    /// learner's settings.
    case export
    case saveProgress
    case quit
}
