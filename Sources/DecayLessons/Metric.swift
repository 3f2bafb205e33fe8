import DecayEngine

/// A number a goal or a sweep reads from a run's history.
public enum Metric: Sendable, Equatable, Hashable {
    case trainLoss
    case validationLoss
    case validationAccuracy
    /// Validation minus training loss: how much the model memorized.
    case gap
    /// ‖p‖ of one parameter group.
    case norm(ParameterGroup)

    /// Parses the lesson-file spelling (`val_loss`, `norm.weights`, …).
    public init?(name: String) {
        switch name {
        case "train_loss": self = .trainLoss
        case "val_loss": self = .validationLoss
        case "val_accuracy": self = .validationAccuracy
        case "gap": self = .gap
        default:
            guard name.hasPrefix("norm."), let g = ParameterGroup(rawValue: String(name.dropFirst(5))) else { return nil }
            self = .norm(g)
        }
    }

    /// The lesson-file spelling.
    public var name: String {
        switch self {
        case .trainLoss: "train_loss"
        case .validationLoss: "val_loss"
        case .validationAccuracy: "val_accuracy"
        case .gap: "gap"
        case let .norm(g): "norm.\(g.rawValue)"
        }
    }

    public static var allNames: [String] {
        ["train_loss", "val_loss", "val_accuracy", "gap"] + ParameterGroup.allCases.map { "norm.\($0.rawValue)" }
    }

    /// Whether the value is only measured on validation steps (and NaN in
    /// between, when `eval_every` > 1).
    public var needsValidation: Bool {
        switch self {
        case .validationLoss, .validationAccuracy, .gap: true
        case .trainLoss, .norm: false
        }
    }

    /// The metric in one history entry; nil where it was not measured.
    public func value(in entry: HistoryEntry) -> Float? {
        let v: Float? = switch self {
        case .trainLoss: entry.trainLoss
        case .validationLoss: entry.validationLoss
        case .validationAccuracy: entry.validationAccuracy
        case .gap: entry.validationLoss - entry.trainLoss
        case let .norm(g): entry.norms[g]
        }
        guard let v, v.isFinite else { return nil }
        return v
    }
}
