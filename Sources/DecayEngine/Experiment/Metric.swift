/// A number read from a run's history: what a goal watches and what colours
/// a sweep's heatmap. One type for both, so a sweep computes and labels the
/// quantity its lesson names.
public enum Metric: Sendable, Equatable, Hashable {
    /// The step's minibatch data loss (training mode, before the update).
    case trainLoss
    /// The data loss on the whole training set in evaluation mode, measured
    /// at evaluation points.
    case fullTrainLoss
    case validationLoss
    case validationAccuracy
    /// Accuracy on the whole training set (evaluation mode), measured where
    /// validation is.
    case trainAccuracy
    /// Training minus validation accuracy: the generalization gap in the
    /// units a fine-tuning report uses.
    case accuracyGap
    /// Validation minus training loss: how much the model memorized.
    case gap
    /// (λ/2)·Σ‖p‖² over the decayed groups.
    case penalty
    /// ‖p‖ of one parameter group.
    case norm(ParameterGroup)
    /// Mean ‖row‖ of the frequent (top quartile) embedding rows.
    case frequentRowNorm
    /// Mean ‖row‖ of the rare (bottom quartile) embedding rows.
    case rareRowNorm
    /// ‖γ‖ of the LayerNorm gains.
    case gainNorm
    /// ‖β‖ of the LayerNorm shifts.
    case shiftNorm
    /// ‖θ − θ₀‖ over every parameter: the distance from the run's initial
    /// (e.g. pretrained) parameters.
    case distanceFromInit

    /// Every metric, in the order lesson files list them.
    public static let all: [Metric] =
        [.trainLoss, .fullTrainLoss, .validationLoss, .validationAccuracy, .trainAccuracy, .accuracyGap, .gap, .penalty]
        + ParameterGroup.allCases.map { .norm($0) }
        + [.frequentRowNorm, .rareRowNorm, .gainNorm, .shiftNorm, .distanceFromInit]

    /// Parses the lesson-file spelling (`val_loss`, `norm.weights`, …).
    public init?(name: String) {
        guard let m = Self.all.first(where: { $0.name == name }) else { return nil }
        self = m
    }

    /// The lesson-file spelling.
    public var name: String {
        switch self {
        case .trainLoss: "train_loss"
        case .fullTrainLoss: "full_train_loss"
        case .validationLoss: "val_loss"
        case .validationAccuracy: "val_accuracy"
        case .trainAccuracy: "train_accuracy"
        case .accuracyGap: "acc_gap"
        case .gap: "gap"
        case .penalty: "penalty"
        case let .norm(g): "norm.\(g.rawValue)"
        case .frequentRowNorm: "norm.frequent_rows"
        case .rareRowNorm: "norm.rare_rows"
        case .gainNorm: "norm.gains"
        case .shiftNorm: "norm.shifts"
        case .distanceFromInit: "dist_init"
        }
    }

    public static var allNames: [String] { all.map(\.name) }

    /// Words for a chart title or a heatmap's caption (plain ASCII, so any
    /// terminal shows them).
    public var label: String {
        switch self {
        case .trainLoss: "train loss"
        case .fullTrainLoss: "train loss (full set, eval mode)"
        case .validationLoss: "val loss"
        case .validationAccuracy: "val accuracy"
        case .trainAccuracy: "train accuracy (full set, eval mode)"
        case .accuracyGap: "accuracy gap (train - val)"
        case .gap: "gap (val - train loss)"
        case .penalty: "penalty"
        case let .norm(g): "norm of \(g.rawValue)"
        case .frequentRowNorm: "mean row norm, frequent tokens"
        case .rareRowNorm: "mean row norm, rare tokens"
        case .gainNorm: "norm of LayerNorm gains"
        case .shiftNorm: "norm of LayerNorm shifts"
        case .distanceFromInit: "distance from initial weights"
        }
    }

    /// Whether a smaller value is the better outcome (for a heatmap's colours).
    public var lowerIsBetter: Bool { self != .validationAccuracy && self != .trainAccuracy }

    /// Whether values are positive and span decades, so a log scale reads
    /// them best; accuracy and the gap (which can be negative) are linear.
    public var isLogScaled: Bool {
        switch self {
        case .validationAccuracy, .trainAccuracy, .accuracyGap, .gap: false
        default: true
        }
    }

    /// What the model must have for the metric to exist.
    public enum Requirement: Sendable, Equatable {
        case none, classification, group(ParameterGroup), embeddingTokens, layerNorm
    }

    public var requirement: Requirement {
        switch self {
        case .validationAccuracy, .trainAccuracy, .accuracyGap: .classification
        case let .norm(g): .group(g)
        case .frequentRowNorm, .rareRowNorm: .embeddingTokens
        case .gainNorm, .shiftNorm: .layerNorm
        default: .none
        }
    }

    /// The metric in one history entry; nil where it was not measured.
    public func value(in entry: HistoryEntry) -> Float? {
        let v: Float? = switch self {
        case .trainLoss: entry.trainLoss
        case .fullTrainLoss: entry.fullTrainLoss
        case .validationLoss: entry.validationLoss
        case .validationAccuracy: entry.validationAccuracy
        case .trainAccuracy: entry.trainAccuracy
        case .accuracyGap: entry.trainAccuracy.flatMap { t in entry.validationAccuracy.map { t - $0 } }
        case .gap: entry.validationLoss - entry.trainLoss
        case .penalty: entry.penalty
        case let .norm(g): entry.norms[g]
        case .frequentRowNorm: entry.embeddingRows?.frequent
        case .rareRowNorm: entry.embeddingRows?.rare
        case .gainNorm: entry.layerNorms?.gains
        case .shiftNorm: entry.layerNorms?.shifts
        case .distanceFromInit: entry.distanceFromInit
        }
        guard let v, v.isFinite else { return nil }
        return v
    }
}
