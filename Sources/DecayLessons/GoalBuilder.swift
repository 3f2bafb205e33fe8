import DecayEngine

/// Turns a `goal` block into a `Goal`, checked against the step's experiment
/// (its run names, data and model) when that experiment is valid.
struct GoalBuilder {
    static let thresholdKeys = ["kind", "run", "metric", "below", "above", "relative_to", "min_steps", "prompt", "hint"]
    static let questionKeys = ["kind", "prompt", "hint", "revisit"]
    static let choiceKeys = ["correct", "explain"]

    var r: EntryReader

    init(diagnostics: LessonDiagnostics) { r = EntryReader(diagnostics: diagnostics) }
    var diagnostics: LessonDiagnostics { r.diagnostics }

    mutating func build(_ block: Block, context: ExperimentBuilder.Context?) -> Goal? {
        let before = r.diagnostics.errors.count
        guard let kindEntry = block.entry("kind") else {
            r.diagnostics.error(block.line, "missing required key `kind` in a goal block", suggestion: "add `kind = threshold` or `kind = question`")
            return nil
        }
        guard let kind = r.word(kindEntry, ["threshold", "question"]) else { return nil }
        let prompt = block.entry("prompt").flatMap { r.text($0) }
        if block.entry("prompt") == nil {
            r.diagnostics.error(block.line, "missing required key `prompt` in a goal block", suggestion: "say what the learner should do")
        }
        let hint = block.entry("hint").flatMap { r.text($0) }

        if kind == "question" {
            return question(block, prompt: prompt, hint: hint, errorsBefore: before)
        }
        return threshold(block, context: context, prompt: prompt, hint: hint, errorsBefore: before)
    }

    /// A `kind = question` goal: a prompt and its `[choice "…"]` sections.
    private mutating func question(_ block: Block, prompt: String?, hint: String?, errorsBefore before: Int) -> Goal? {
        r.checkKeys(block.entries, valid: Self.questionKeys, elsewhere: Self.thresholdKeys,
                    context: "in a question goal", elsewhereNote: "a question has `prompt` and `[choice \"…\"]` sections")
        var choices: [Goal.Choice] = []
        for section in block.sections {
            r.checkKeys(section.entries, valid: Self.choiceKeys, context: "in a choice")
            let correct = section.entry("correct").flatMap { r.bool($0) } ?? false
            guard let e = section.entry("explain") else {
                r.diagnostics.error(section.line, "choice \"\(excerpt(section.name))\" has no `explain`",
                                    suggestion: "add `explain = \"…\"`: why this answer is right or wrong")
                continue
            }
            guard let explain = r.text(e) else { continue }
            choices.append(Goal.Choice(text: section.name, correct: correct, explain: explain))
        }
        if block.sections.count < 2 {
            r.diagnostics.error(block.line, "a question needs at least two `[choice \"…\"]` sections")
        } else if !block.sections.contains(where: { s in
            if case .bool(true) = s.entry("correct")?.value { return true } else { return false }
        }) {
            r.diagnostics.error(block.line, "no choice is marked `correct = true`",
                                suggestion: "mark the right answer(s) with `correct = true`")
        }
        var revisit: String?
        if let e = block.entry("revisit"), let text = r.text(e) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 2, !parts[0].isEmpty, let n = Int(parts[1]), n >= 1 {
                revisit = text
            } else {
                r.fail(e, "`revisit` names a step as \"lesson-id:N\" (got \"\(excerpt(text))\")",
                       suggestion: "for example `revisit = \"overfitting:2\"`")
            }
        }
        guard r.diagnostics.errors.count == before, let prompt else { return nil }
        return .question(Goal.Question(prompt: prompt, choices: choices, hint: hint, revisit: revisit))
    }

    /// A `kind = threshold` goal: a run's metric below or above a value.
    private mutating func threshold(
        _ block: Block, context: ExperimentBuilder.Context?, prompt: String?, hint: String?, errorsBefore before: Int
    ) -> Goal? {
        r.checkKeys(block.entries, valid: Self.thresholdKeys, context: "in a threshold goal")
        if let s = block.sections.first {
            r.diagnostics.error(s.line, "`[choice …]` sections belong to `kind = question` goals")
        }
        var runName: String?
        if let e = block.entry("run") {
            if let name = r.text(e), let context {
                if context.runNames.contains(name) {
                    runName = name
                } else {
                    r.fail(e, "no run named \"\(excerpt(name))\" in this step's experiment",
                           suggestion: "runs are: " + context.runNames.map { "\"\($0)\"" }.joined(separator: ", "))
                }
            }
        } else if let only = context?.runNames, only.count == 1 {
            runName = only[0]
        } else {
            r.diagnostics.error(block.line, "missing `run`: which run the goal watches")
        }
        var metric: Metric?
        if let e = block.entry("metric") {
            metric = Self.metric(e, context: context, reader: &r)
        } else {
            r.diagnostics.error(block.line, "missing required key `metric`",
                                suggestion: "one of \(Metric.allNames.joined(separator: ", "))")
        }
        let below = block.entry("below").flatMap { r.real($0, { $0.isFinite }, "a finite number") }
        let above = block.entry("above").flatMap { r.real($0, { $0.isFinite }, "a finite number") }
        if let lower = above, let upper = below, lower >= upper, let e = block.entry("below"), let a = block.entry("above") {
            r.diagnostics.error(max(e.line, a.line), "`above = \(lower)` and `below = \(upper)` leave no value that meets the goal",
                                suggestion: "with both, the goal is a band: `above` must be less than `below`")
        } else if block.entry("below") == nil && block.entry("above") == nil {
            r.diagnostics.error(block.line, "missing `below` or `above`: the value to reach (both for a band)")
        }
        let relativeTo = relative(block, context: context, run: runName)
        let minSteps = block.entry("min_steps").flatMap { r.integer($0, SettingBounds.steps) } ?? 100
        if let context, let e = block.entry("min_steps"), minSteps > context.steps {
            r.fail(e, "min_steps \(minSteps) is more than the experiment's \(context.steps) steps")
        }
        guard r.diagnostics.errors.count == before, let runName, let metric, let prompt, below != nil || above != nil else {
            return nil
        }
        return .threshold(Goal.Threshold(run: runName, metric: metric, below: below, above: above, relativeTo: relativeTo,
                                         minSteps: minSteps, prompt: prompt, hint: hint))
    }

    /// `relative_to = "RUN"`: another run of the step, whose metric divides
    /// the goal run's.
    private mutating func relative(_ block: Block, context: ExperimentBuilder.Context?, run: String?) -> String? {
        guard let e = block.entry("relative_to"), let name = r.text(e), let context else { return nil }
        guard context.runNames.contains(name) else {
            r.fail(e, "no run named \"\(excerpt(name))\" in this step's experiment",
                   suggestion: "runs are: " + context.runNames.map { "\"\($0)\"" }.joined(separator: ", "))
            return nil
        }
        if name == run {
            r.fail(e, "a goal's run cannot be relative to itself", suggestion: "name another run of the step")
            return nil
        }
        return name
    }

    /// A metric name, checked against what the experiment measures.
    static func metric(_ e: BlockEntry, context: ExperimentBuilder.Context?, reader r: inout EntryReader) -> Metric? {
        let parsed: Metric? = switch e.value {
        case let .word(w), let .string(w): Metric(name: w)
        default: nil
        }
        // Anything that does not parse gets the word check's message and suggestion.
        guard let metric = parsed ?? r.word(e, Metric.allNames).flatMap(Metric.init(name:)) else { return nil }
        guard let scope = context?.scope else { return metric }
        if !scope.meets(metric.kind.requirement) {
            r.fail(e, "\(metric.name) needs \(metric.kind.requirement.lessonNeed)")
            return nil
        }
        guard scope.has(metric) else {
            r.fail(e, metric.group.map { "this model has no \($0.rawValue) parameters" } ?? "this model has no \(metric.name)")
            return nil
        }
        return metric
    }
}

extension Metric.Requirement {
    /// What a lesson must add to its experiment to meet the requirement.
    var lessonNeed: String {
        switch self {
        case .none: "nothing"
        case .classification: "a classification data set (moons, spirals, tokens)"
        case .embeddingRows: "an embedding model (`model = embedding`)"
        case .layerNorm: "LayerNorm in the model (`layernorm = true`)"
        case .initialParameters: "the run's initial weights kept"
        case .adapters: "a LoRA adapter (`adapter = lora`)"
        }
    }
}
