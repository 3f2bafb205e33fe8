import DecayEngine

/// A λ × lr grid a step trains in the background, one heatmap per run: what
/// the lesson file's `sweep` block asks for. The engine's `Sweep` trains it,
/// one single-run experiment per cell built from the step's spec.
public struct SweepSpec: Sendable, Equatable {
    public var learningRates: [Float]
    public var lambdas: [Float]
    /// Steps each cell trains.
    public var steps: Int
    /// What colours a cell (its value at the last step).
    public var metric: Metric
    /// The `sweep` block's line.
    public var line: Int

    public init(learningRates: [Float], lambdas: [Float], steps: Int, metric: Metric = .validationLoss, line: Int = 0) {
        self.learningRates = learningRates
        self.lambdas = lambdas
        self.steps = steps
        self.metric = metric
        self.line = line
    }

    /// The number of experiments the grid needs.
    public var cellCount: Int { learningRates.count * lambdas.count }
}
