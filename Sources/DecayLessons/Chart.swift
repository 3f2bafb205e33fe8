/// A chart a step shows beside its prose. The engine records everything
/// every chart needs; the lesson picks which ones are worth the space.
public enum Chart: String, Sendable, CaseIterable, Codable {
    /// Training (smoothed, solid) and validation (dashed) loss per run, log-y.
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
    /// Validation accuracy per run (classification data only).
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
}
