import DecayEngine

/// A chart a step shows beside its prose. The engine records everything
/// every chart needs; the lesson picks which ones are worth the space.
///
/// A chart is metrics plus a title and a scale (`plot`); the view draws
/// every metric chart the same way. Adding one is a case here and its row
/// in `plot`.
public enum Chart: String, Sendable, CaseIterable, Codable {
    /// Training (solid) and validation (dashed) loss per run, log-y.
    case loss
    /// ‖p‖ per parameter group per run.
    case norms
    /// The fitted curve over the training points and the true curve
    /// (polynomial data only: the only data set with one input to plot).
    case fit
    /// ‖Δp‖ per step, and the part of it the decay rule did.
    case updates
    /// The L2 penalty (λ/2)·‖w‖² over the decayed groups, per run.
    case penalty
    /// Accuracy on the training set (solid) and the validation set (dashed).
    case accuracy
    /// Mean ‖row‖ of the frequent and of the rare embedding rows per run
    /// (embedding models only).
    case rows
    /// ‖γ‖ of the LayerNorm gains per run (LayerNorm models only).
    case gains
    /// ‖β‖ of the LayerNorm shifts per run (LayerNorm models only).
    case shifts
    /// The embedding table when a LayerNorm follows it (model = embedding,
    /// layernorm = true): ‖E‖ and the effective SGD step lr/‖E‖² per run.
    /// The LayerNorm makes the model's output independent of ‖E‖, so decay
    /// on the table changes its step size, not what it can represent.
    case prenorm
    /// ‖θ − θ₀‖ per run: the distance from the initial (e.g. pretrained)
    /// parameters; makes every run of the step record it.
    case distance
    /// The singular values of each adapted layer's update ΔW = s·B·A at
    /// the latest evaluation: σᵢ/σ₁ against i on a log axis, one line per
    /// run (and layer), σ₁ itself in the legend, and a dashed line at a
    /// tenth of σ₁ (LoRA adapters only).
    case spectrum
    /// The stable rank (solid) and the effective rank (dashed) of each
    /// adapted layer's ΔW (LoRA adapters only).
    case rank
    /// How far the model's validation outputs are from those of the model
    /// it started as (RMS): the function-space distance from the base model.
    case outputs

    /// What the chart draws. Titles are written with Unicode symbols; the
    /// view spells them for the terminal.
    public var plot: ChartPlot {
        switch self {
        case .loss:
            .metrics(MetricChart(
                title: "loss (log scale)", scale: .log,
                solid: ChartLine(.fullTrainLoss, legend: "train (full set)",
                                 standIn: ChartLine.StandIn(kind: .trainLoss, legend: "train (smoothed)")),
                dashed: ChartLine(.validationLoss, legend: "validation"), band: .dashed))
        case .norms:
            .metrics(MetricChart(
                title: "‖p‖ per group  (g: group)", focusedTitle: "‖{}‖  (g: group)", scale: .linear,
                solid: ChartLine(.norm), band: .solid))
        case .fit:
            .fit
        case .updates:
            // The dashed line is the shrink the decay rule asks for, lr·λ·‖w‖;
            // under Adam + L2 the optimizer then divides it by √v̂.
            .metrics(MetricChart(
                title: "‖Δw‖ per step (log scale)", scale: .log,
                solid: ChartLine(.updateNorm, members: [.group(.weights)], legend: "whole step"),
                dashed: ChartLine(.decayShare, members: [.group(.weights)], legend: "lr·λ·‖w‖"), band: .solid))
        case .penalty:
            .metrics(MetricChart(title: "penalty (λ/2)·‖w‖² (log scale; not in the loss above)", scale: .log,
                                 solid: ChartLine(.penalty), band: .solid))
        case .accuracy:
            .metrics(MetricChart(
                title: "accuracy", scale: .linear,
                solid: ChartLine(.trainAccuracy, legend: "train (full set)"),
                dashed: ChartLine(.validationAccuracy, legend: "validation"), band: .dashed))
        case .rows:
            // The rare rows get almost no gradient, so what happens to them
            // is the decay rule alone.
            .metrics(MetricChart(
                title: "mean ‖row‖ of embedding rows", scale: .linear,
                solid: ChartLine(.frequentRowNorm, legend: "frequent rows"),
                dashed: ChartLine(.rareRowNorm, legend: "rare rows"), band: .dashed))
        case .gains:
            .metrics(MetricChart(title: "‖γ‖ LayerNorm gains (start at 1 per unit)", scale: .linear,
                                 solid: ChartLine(.gainNorm), band: .solid))
        case .shifts:
            .metrics(MetricChart(title: "‖β‖ LayerNorm shifts (start at 0)", scale: .linear,
                                 solid: ChartLine(.shiftNorm), band: .solid))
        case .prenorm:
            // Under SGD a step turns the table by about lr/‖E‖² per unit of
            // gradient at unit scale: solid ‖E‖, dashed that effective step.
            .metrics(MetricChart(
                title: "embedding table before a LayerNorm (log scale)", scale: .log,
                solid: ChartLine(.norm, members: [.group(.embeddings)], legend: "‖E‖"),
                dashed: ChartLine(.effectiveStep, members: [.group(.embeddings)], legend: "effective step lr/‖E‖²"),
                band: .solid))
        case .distance:
            .metrics(MetricChart(title: "weights' distance ‖θ − θ₀‖", scale: .linear,
                                 solid: ChartLine(.distanceFromInit), band: .solid))
        case .spectrum:
            .spectrum
        case .rank:
            .metrics(MetricChart(
                title: "rank of ΔW (1 to r)", scale: .linear,
                solid: ChartLine(.stableRank, legend: "stable rank Σσ²/σ₁²"),
                dashed: ChartLine(.effectiveRank, legend: "effective rank (entropy)"), band: .solid))
        case .outputs:
            .metrics(MetricChart(title: "outputs' distance ‖f − f₀‖ (RMS)", scale: .linear,
                                 solid: ChartLine(.functionDistance), band: .solid))
        }
    }

    /// The metric kinds the chart draws (none for `fit`).
    public var kinds: [Metric.Kind] {
        switch plot {
        case let .metrics(m): m.lines.flatMap { [$0.kind] + ($0.standIn.map { [$0.kind] } ?? []) }
        case .fit: []
        case .spectrum: [.singularValue]
        }
    }
}

/// What a chart draws.
public enum ChartPlot: Sendable {
    case metrics(MetricChart)
    /// The fitted curve over the training points and the true curve.
    case fit
    /// Each adapted layer's spectrum now, σᵢ/σ₁ against i: one curve of r
    /// points per run instead of r curves over the steps, which at r = 8
    /// and two runs are sixteen lines no one can count.
    case spectrum
}

/// A chart of metrics over training steps: per run a solid line, and
/// optionally a dashed one in the same colour; a run trained at several
/// seeds draws its median with the min–max band around one of them.
public struct MetricChart: Sendable {
    public enum Role: Sendable { case solid, dashed }

    public var title: String
    /// The title when the learner focuses the chart on one parameter group
    /// (`g`); `{}` stands for the group's name. Nil: the chart has no focus.
    public var focusedTitle: String?
    public var scale: Metric.Scale
    public var solid: ChartLine
    public var dashed: ChartLine?
    /// The line a banded run's min–max band follows.
    public var band: Role?

    public init(title: String, focusedTitle: String? = nil, scale: Metric.Scale, solid: ChartLine,
                dashed: ChartLine? = nil, band: Role?) {
        self.title = title
        self.focusedTitle = focusedTitle
        self.scale = scale
        self.solid = solid
        self.dashed = dashed
        self.band = band
    }

    public var lines: [ChartLine] { [solid] + (dashed.map { [$0] } ?? []) }

    public func line(_ role: Role) -> ChartLine? {
        switch role {
        case .solid: solid
        case .dashed: dashed
        }
    }
}

/// One line pattern of a chart: a metric kind, drawn once for each member
/// a run records (each parameter group, each layer, …) unless `members`
/// picks some.
public struct ChartLine: Sendable {
    /// A metric drawn, smoothed, where `kind` is not measured yet (the
    /// full-set training loss before the first evaluation).
    public struct StandIn: Sendable {
        public var kind: Metric.Kind
        public var legend: String
    }

    public var kind: Metric.Kind
    public var members: [Metric.Index]?
    /// The legend entry of the pattern, on charts with two.
    public var legend: String
    public var standIn: StandIn?

    public init(_ kind: Metric.Kind, members: [Metric.Index]? = nil, legend: String = "", standIn: StandIn? = nil) {
        self.kind = kind
        self.members = members
        self.legend = legend
        self.standIn = standIn
    }

    /// The metrics the line draws for a run that records `layout`.
    public func metrics(in layout: MetricLayout) -> [Metric] {
        guard let members else { return layout.members(of: kind) }
        return members.compactMap { Metric(kind, $0) }
    }
}
