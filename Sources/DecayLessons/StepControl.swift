import DecayEngine

/// A live control a step offers the learner. Four of them are engine
/// `Control`s with a value; `groups` is a set of on/off switches, one per
/// parameter group (`Experiment.setDecay`), so the engine has no value type
/// for it and the lesson keeps it here.
public enum StepControl: String, Sendable, CaseIterable, Codable {
    case lambda
    case learningRate = "lr"
    case dropout
    case loraDropout = "lora_dropout"
    case groups

    /// The engine control this drives, if it is one.
    public var engineControl: Control? {
        switch self {
        case .lambda: .lambda
        case .learningRate: .learningRate
        case .dropout: .dropout
        case .loraDropout: .loraDropout
        case .groups: nil
        }
    }
}
