import TerminalUI
import DecayEngine

/// Everything that can happen to the UI. Keys come from the backend; the
/// rest from the runtime, which reports what training and sweeps did.
public enum Msg: Sendable, Equatable {
    case key(Key)
    case resized(TerminalSize)
    /// The step's goal was met (threshold) or its runs finished (no goal).
    case stepFinished
    /// A message for the status line (a save error, a warning).
    case notice(String)
    /// Whether any run of the open step has diverged.
    case diverged(Bool)
}

/// What `update` asks the runtime to do. `update` stays a pure function of
/// the model; training, saving and sweeps happen here, outside it.
public enum Command: Sendable, Equatable {
    /// Build the experiment of a step (and its sweep) and start training it.
    case openStep(lesson: Int, step: Int)
    case closeStep
    case setControl(Control, Float)
    case setGroupDecay(ParameterGroup, Bool)
    case restart
    case singleStep
    case saveProgress
    case quit
}
