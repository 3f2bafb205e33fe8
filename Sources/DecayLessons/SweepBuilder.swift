import DecayEngine

/// Turns a `sweep` block into a `SweepSpec`.
struct SweepBuilder {
    static let keys = ["lr", "lambda", "steps", "metric"]
    /// Cells per run: each is a full training job on the worker pool.
    static let maximumCells = 100

    var r: EntryReader

    init(diagnostics: LessonDiagnostics) { r = EntryReader(diagnostics: diagnostics) }
    var diagnostics: LessonDiagnostics { r.diagnostics }

    mutating func build(_ block: Block, spec: ExperimentSpecSummary?, context: ExperimentBuilder.Context?) -> SweepSpec? {
        let before = r.diagnostics.errors.count
        r.checkKeys(block.entries, valid: Self.keys, context: "in a sweep block")
        let lrs = block.entry("lr").flatMap { r.numbers($0, SettingBounds.learningRate.contains, SettingBounds.learningRateText) }
        let lambdas = block.entry("lambda").flatMap { r.numbers($0, SettingBounds.lambda.contains, SettingBounds.lambdaText) }
        for key in ["lr", "lambda"] {
            if let e = block.entry(key), case let .list(items) = e.value, items.isEmpty { r.fail(e, "`\(key)` lists no values") }
        }
        if block.entry("lr") == nil && block.entry("lambda") == nil {
            r.diagnostics.error(block.line, "a sweep needs `lr = [...]`, `lambda = [...]`, or both")
        }
        let steps = block.entry("steps").flatMap { r.integer($0, SettingBounds.steps) } ?? context?.steps ?? 500
        let metric = block.entry("metric").flatMap { GoalBuilder.metric($0, context: context, reader: &r) } ?? .validationLoss
        let cells = (lrs?.count ?? 1) * (lambdas?.count ?? 1)
        if cells > Self.maximumCells {
            r.diagnostics.error(block.line, "the sweep has \(cells) cells; at most \(Self.maximumCells)")
        }
        guard r.diagnostics.errors.count == before, let spec else { return nil }
        return SweepSpec(learningRates: lrs?.map { Float($0) } ?? [spec.learningRate],
                         lambdas: lambdas?.map { Float($0) } ?? [spec.weightDecay],
                         steps: steps, metric: metric, line: block.line)
    }
}

/// The experiment values a sweep falls back to for an axis it does not list.
struct ExperimentSpecSummary {
    var learningRate: Float
    var weightDecay: Float
}
