import DecayEngine

/// A step as scanned, before its blocks are given meaning.
struct RawStep {
    var title: String
    var line: Int
    var prose: [Substring] = []
    var experiment: Block?
    var goal: Block?
    var sweep: Block?

    mutating func add(_ block: Block, diagnostics d: inout LessonDiagnostics) {
        let existing: Block? = switch block.kind {
        case .experiment: experiment
        case .goal: goal
        case .sweep: sweep
        }
        if let existing {
            d.error(block.line, "a step has at most one `\(block.kind.rawValue)` block (another starts on line \(existing.line))",
                    suggestion: block.kind == .experiment ? "compare settings with `[run \"NAME\"]` sections in one block" : "start a new step with `## `")
            return
        }
        switch block.kind {
        case .experiment: experiment = block
        case .goal: goal = block
        case .sweep: sweep = block
        }
    }

    func build(diagnostics d: inout LessonDiagnostics) -> Step? {
        guard let experiment else {
            d.error(line, "step \"\(excerpt(title))\" has no ```experiment block",
                    suggestion: "every step runs an experiment; add one below the heading")
            return nil
        }
        // A line that could not be read has been reported; what the blocks
        // mean is checked once they can be read, so one typo is one error.
        guard !experiment.hasSyntaxErrors else { return nil }
        var builder = ExperimentBuilder(diagnostics: d)
        let output = builder.build(experiment)
        d = builder.diagnostics
        var goalValue: Goal?
        if let goal, !goal.hasSyntaxErrors {
            var g = GoalBuilder(diagnostics: d)
            goalValue = g.build(goal, context: output?.context)
            d = g.diagnostics
        }
        var sweepValue: SweepSpec?
        if let sweep, !sweep.hasSyntaxErrors {
            var s = SweepBuilder(diagnostics: d)
            let summary = output.map { ExperimentSpecSummary(learningRate: $0.spec.optimizer.learningRate, weightDecay: $0.spec.weightDecay) }
            sweepValue = s.build(sweep, spec: summary, context: output?.context)
            d = s.diagnostics
        }
        guard var output else { return nil }
        var named = sweepValue.map { [$0.metric] } ?? []
        if case let .threshold(t)? = goalValue { named.append(t.metric) }
        if named.contains(where: { $0.kind.requirement == .initialParameters }) {
            output.spec.measuresDistanceFromInit = true  // the metric needs θ₀ kept in every run
        }
        var replays = false
        if case .threshold? = goalValue { replays = true }
        let sweepCells = sweepValue.map { (cells: output.spec.resolvedRuns.count * $0.learningRates.count * $0.lambdas.count, steps: $0.steps) }
        if let problem = ResourceEstimate(spec: output.spec, goalReplay: replays, sweep: sweepCells).problem {
            d.error(experiment.line, problem, suggestion: ResourceEstimate.advice)
            return nil
        }
        return Step(title: title, prose: LessonParser.prose(prose), spec: output.spec, controls: output.controls,
                    charts: output.charts, goal: goalValue, sweep: sweepValue, line: line)
    }
}
