import Testing
import DecayEngine
@testable import DecayLessons

@Suite struct GoalTests {
    let runs = "\n[run \"base\"]\nlambda = 0\n[run \"yours\"]"

    func goalStep(_ goal: String) -> String {
        // Experiment lines 8–14 and its fence on 15; the goal fence on 16, its first line 17.
        step(minimalExperiment + "\nsteps = 200" + runs, extra: "```goal\n" + goal + "\n```\n")
    }

    @Test func thresholdParses() throws {
        let l = try parsed(goalStep("kind = threshold\nrun = \"yours\"\nmetric = val_loss\nbelow = 0.3\nprompt = \"Do it\"\nhint = \"λ\""))
        #expect(l.steps[0].goal == .threshold(Goal.Threshold(run: "yours", metric: .validationLoss, comparison: .below,
                                                               value: 0.3, minSteps: 100, prompt: "Do it", hint: "λ")))
    }

    @Test func goalErrorsAreLocated() {
        func first(_ goal: String) -> LessonError? { errors(goalStep(goal)).first }
        let unknownRun = first("kind = threshold\nrun = \"mine\"\nmetric = val_loss\nbelow = 0.3\nprompt = \"p\"")
        #expect(unknownRun?.line == 18 && unknownRun?.message.contains("no run named \"mine\"") == true)
        #expect(unknownRun?.suggestion?.contains("\"base\", \"yours\"") == true)
        let unknownMetric = first("kind = threshold\nrun = yours\nmetric = val_los\nbelow = 0.3\nprompt = \"p\"")
        #expect(unknownMetric?.line == 19 && unknownMetric?.suggestion == "did you mean `val_loss`?")
        let accuracy = first("kind = threshold\nrun = yours\nmetric = val_accuracy\nabove = 0.9\nprompt = \"p\"")
        #expect(accuracy?.line == 19 && accuracy?.message.contains("classification") == true)
        let norms = first("kind = threshold\nrun = yours\nmetric = norm.norms\nbelow = 1\nprompt = \"p\"")
        #expect(norms?.line == 19 && norms?.message.contains("no norms parameters") == true)
        let empty = first("kind = threshold\nrun = yours\nmetric = gap\nbelow = 1\nabove = 2\nprompt = \"p\"")
        #expect(empty?.line == 21 && empty?.message.contains("leave no value") == true)
        let relative = first("kind = threshold\nrun = yours\nmetric = gap\nbelow = 1\nrelative_to = \"mine\"\nprompt = \"p\"")
        #expect(relative?.line == 21 && relative?.message.contains("no run named \"mine\"") == true)
        let itself = first("kind = threshold\nrun = yours\nmetric = gap\nbelow = 1\nrelative_to = \"yours\"\nprompt = \"p\"")
        #expect(itself?.line == 21 && itself?.message.contains("relative to itself") == true)
        let tooLong = first("kind = threshold\nrun = yours\nmetric = gap\nbelow = 1\nmin_steps = 300\nprompt = \"p\"")
        #expect(tooLong?.line == 21 && tooLong?.message.contains("more than the experiment's 200 steps") == true)
        let kind = first("kind = treshold")
        #expect(kind?.line == 17 && kind?.suggestion == "did you mean `threshold`?")
    }

    /// `above` and `below` together are a band; `relative_to` divides by
    /// another run's metric at the same step.
    @Test func bandsAndRelativeGoals() throws {
        let l = try parsed(goalStep("kind = threshold\nrun = yours\nmetric = norm.weights\nrelative_to = \"base\"\nabove = 0.95\nbelow = 1.05\nmin_steps = 5\nprompt = \"p\""))
        guard case let .threshold(t)? = l.steps[0].goal else { Issue.record("threshold"); return }
        #expect(t.above == 0.95 && t.below == 1.05 && t.relativeTo == "base")
        #expect(t.holds(1) && !t.holds(0.95) && !t.holds(1.05) && !t.holds(.nan) && !t.holds(.infinity))
        #expect(t.targetText == "between 0.95 and 1.05" && t.quantityText() == "norm.weights of \"yours\" ÷ that of \"base\"")
        #expect(t.quantityText(unicode: false).contains(" / that of "))
        let e = Experiment(spec: l.steps[0].spec)
        e.advance(steps: 5)
        let yours = e.runs.first { $0.name == "yours" }!.history.last!, baseRun = e.runs.first { $0.name == "base" }!
        let ratio = yours[.norm(.weights)]! / baseRun.history.last![.norm(.weights)]!
        #expect(t.value(in: yours, reference: baseRun.history) == ratio)
        #expect(t.value(in: yours, reference: History()) == nil, "no reference entry at that step: not measured")
        let verdict = l.steps[0].goal!.evaluate(e)
        #expect((verdict == .met) == t.holds(ratio))
        if case let .pending(text) = verdict { #expect(text.contains("goal between 0.95 and 1.05")) }
    }

    @Test func revisitNamesAStep() throws {
        let l = try parsed(goalStep("kind = question\nprompt = \"Why?\"\nrevisit = \"overfitting:2\"\n[choice \"a\"]\ncorrect = true\nexplain = \"y\"\n[choice \"b\"]\nexplain = \"n\""))
        guard case let .question(q)? = l.steps[0].goal else { Issue.record("question"); return }
        #expect(q.revisit == "overfitting:2")
        let bad = errors(goalStep("kind = question\nprompt = \"Why?\"\nrevisit = \"overfitting\"\n[choice \"a\"]\ncorrect = true\nexplain = \"y\"\n[choice \"b\"]\nexplain = \"n\""))
        #expect(bad.first?.line == 19 && bad.first?.message.contains("lesson-id:N") == true)
    }

    @Test func questionWithoutCorrectChoice() {
        let e = errors(goalStep("kind = question\nprompt = \"Why?\"\n[choice \"a\"]\nexplain = \"no\"\n[choice \"b\"]\nexplain = \"no\""))
        #expect(e.count == 1 && e.first?.line == 16 && e.first?.message.contains("no choice is marked `correct = true`") == true)
        let missingExplain = errors(goalStep("kind = question\nprompt = \"Why?\"\n[choice \"a\"]\ncorrect = true\n[choice \"b\"]"))
        #expect(missingExplain.map(\.line) == [19, 21] && missingExplain.allSatisfy { $0.message.contains("has no `explain`") })
        let choiceKey = errors(goalStep("kind = question\nprompt = \"Why?\"\n[choice \"a\"]\ncorect = true\nexplain = \"x\"\n[choice \"b\"]\nexplain = \"y\""))
        #expect(choiceKey.contains { $0.line == 20 && $0.suggestion == "did you mean `correct`?" })
    }

    @Test func answer() throws {
        let l = try parsed(goalStep("kind = question\nprompt = \"Why?\"\n[choice \"a\"]\ncorrect = true\nexplain = \"yes\"\n[choice \"b\"]\nexplain = \"no\""))
        let goal = try #require(l.steps[0].goal)
        #expect(goal.answer(0)! == (true, "yes"))
        #expect(goal.answer(1)! == (false, "no"))
        #expect(goal.answer(2) == nil && goal.answer(-1) == nil)
    }

    @Test func evaluateReadsTheLatestEntryAfterMinSteps() throws {
        let l = try parsed(goalStep("kind = threshold\nrun = base\nmetric = train_loss\nbelow = 1e9\nmin_steps = 20\nprompt = \"p\""))
        let goal = try #require(l.steps[0].goal)
        let e = Experiment(spec: l.steps[0].spec)
        guard case .pending = goal.evaluate(e) else { Issue.record("pending before any step"); return }
        e.advance(steps: 19)
        guard case let .pending(text) = goal.evaluate(e) else { Issue.record("pending before min_steps"); return }
        #expect(text.contains("step 19 of at least 20"))
        e.advance()
        #expect(goal.evaluate(e) == .met)

        let above = Goal.threshold(.init(run: "base", metric: .trainLoss, comparison: .above, value: 1e9, minSteps: 1, prompt: ""))
        guard case let .pending(reading) = above.evaluate(e) else { Issue.record("not met"); return }
        #expect(reading.contains("train_loss = ") && reading.contains("> 1.00e+09"))
        let missing = Goal.threshold(.init(run: "nope", metric: .trainLoss, comparison: .above, value: 0, prompt: ""))
        #expect(missing.evaluate(e) == .pending("no run named \"nope\""))
    }

    @Test func validationMetricsSkipUnmeasuredSteps() throws {
        let l = try parsed(step(minimalExperiment + "\neval_every = 7\nsteps = 50", extra: "```goal\nkind = threshold\nmetric = val_loss\nbelow = 1e9\nmin_steps = 10\nprompt = \"p\"\n```\n"))
        let goal = try #require(l.steps[0].goal)
        let e = Experiment(spec: l.steps[0].spec)
        e.advance(steps: 15)
        // Step 15 has no validation; step 14 did, and it is past min_steps.
        #expect(e.runs[0].history.last![.validationLoss] == nil)
        #expect(goal.evaluate(e) == .met)
    }

    @Test func metricNames() {
        for name in Metric.allNames { #expect(Metric(name: name)?.name == name) }
        #expect(Metric(name: "norm.foo") == nil && Metric(name: "loss") == nil)
    }
}
