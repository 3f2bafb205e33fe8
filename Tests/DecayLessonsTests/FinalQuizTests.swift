import Testing
import BuildMode
import Foundation
import DecayEngine
@testable import DecayLessons

/// `Lessons/11-final-quiz.md`: at least eight questions, one per step, each
/// with one right answer (written first; the tutor shuffles them), and the
/// facts its explanations state.
@Suite struct FinalQuizTests {
    let lesson: Lesson

    init() throws {
        lesson = try LessonParser.parse(fileAt: (lessonsDirectory as NSString).appendingPathComponent("11-final-quiz.md")).get()
    }

    @Test func everyStepIsAQuestionWithOneRightAnswer() {
        #expect(lesson.steps.count >= 8)
        for step in lesson.steps {
            guard case let .question(q) = step.goal else { Issue.record("\(step.title): a question"); continue }
            #expect(q.choices.count == 3 && q.choices.map(\.correct) == [true, false, false], "\(step.title)")
            #expect(q.choices.allSatisfy { !$0.explain.isEmpty }, "\(step.title)")
        }
    }

    /// Every question names the step that teaches its answer, and that step
    /// exists and is about it (its title): the score's "where each answer is
    /// taught".
    @Test func everyQuestionNamesWhereItIsTaught() {
        let shipped = LessonLibrary.load(directory: lessonsDirectory).lessons
        let expected = [
            "More weights than examples": "Watch a model memorize noise", "A factor from the paper": "The factor of 2",
            "Momentum and the penalty": "Momentum pulls them apart", "Adam's weight_decay": "AdamW needs its own λ",
            "Rare rows": "Where the penalty lands", "Dropout at evaluation": "Four runs",
            "What the Trainer decays": "The rules used in practice", "How to tune λ": "The validation U-curve",
            "Decay under a cosine": "Cosine anneals the decay too", "Your own λ": "Set the timescale",
            "Decay after pretraining": "Decay toward the pretrained weights",
            "An adapter's weight_decay": "The usual settings do almost nothing", "Where an adapter's decay pulls": "Where the pull goes",
        ]
        for step in lesson.steps {
            guard case let .question(q) = step.goal, let target = q.revisit else { Issue.record("\(step.title): no revisit"); continue }
            let parts = target.split(separator: ":")
            let taught = shipped.first { $0.id == parts[0] }.flatMap { l in Int(parts[1]).flatMap { l.steps.indices.contains($0 - 1) ? l.steps[$0 - 1] : nil } }
            #expect(taught != nil, "\(step.title): \(target) is no step")
            if let want = expected[step.title] { #expect(taught?.title == want, "\(step.title): \(target) is \(taught?.title ?? "-")") }
        }
        // The tuning question is about a model trained from scratch; a pretrained one is lesson 9's case.
        let tuning = lesson.steps.first { $0.title == "How to tune λ" }
        #expect(tuning?.goal?.prompt.contains("from scratch") == true)
    }

    /// The quiz step titled `title`, its question and its right answer.
    func question(_ title: String) throws -> (step: Step, question: Goal.Question, right: String) {
        let step = try #require(lesson.steps.first { $0.title == title }, "no step \(title)")
        guard case let .question(q)? = step.goal else { throw QuizShape(step: title) }
        let right = try #require(q.choices.first { $0.correct })
        return (step, q, right.text)
    }

    struct QuizShape: Error { var step: String }

    /// The number written after `label` in `text` ("λ = 0.0025" → 0.0025).
    func number(after label: String, in text: String) throws -> Double {
        let start = try #require(text.range(of: label), "no \(label) in \(text)").upperBound
        var digits = String(text[start...].prefix { $0.isNumber || $0 == "." || $0 == "e" || $0 == "-" || $0 == "," })
        while let last = digits.last, !last.isNumber { digits.removeLast() }     // a sentence's full stop or comma
        return try #require(Double(digits.replacingOccurrences(of: ",", with: "")), "\(label)\(digits)")
    }

    /// 10000 → "10,000", as the lessons write step counts.
    func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        return digits.enumerated().map { i, d in (i > 0 && (digits.count - i) % 3 == 0 ? "," : "") + String(d) }.joined()
    }

    /// The arithmetic in the questions, from the numbers they state: the
    /// paper's λ doubled is the right weight_decay; momentum m amplifies by
    /// 1/(1 − m); τ = 1/(lr·λ) in steps and epochs; the named τ of the last
    /// step's run is its own 1/(lr·λ).
    @Test func arithmetic() throws {
        let factor = try question("A factor from the paper")
        let paper = try number(after: "λ = ", in: factor.question.prompt)
        #expect(abs(try #require(Double(factor.right)) - 2 * paper) < 1e-12, "\(factor.right) for λ = \(paper)")
        #expect(factor.step.spec.runs.map(\.weightDecay) == [Float(2 * paper), Float(paper)])

        let momentum = try question("Momentum and the penalty")
        let m = try number(after: "momentum ", in: momentum.question.prompt)
        #expect(Float(m) == momentum.step.spec.optimizer.momentum)
        let amplified = Int((1 / (1 - m)).rounded())
        #expect(momentum.right.contains("1/(1 − \(m)) = \(amplified) times"), "\(momentum.right)")

        let timescale = try question("Your own λ")
        let lr = try number(after: "lr ", in: timescale.question.prompt)
        let lambda = try number(after: "weight_decay ", in: timescale.question.prompt)
        let epoch = try number(after: "an epoch is ", in: timescale.question.prompt)
        let tau = Int((1 / (lr * lambda)).rounded())
        let words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
        let epochs = try #require(words.indices.contains(tau / Int(epoch) - 1) ? words[tau / Int(epoch) - 1] : nil)
        #expect(timescale.right == "\(grouped(tau)) steps: \(epochs) epochs.",
                "\(timescale.right)")
        let spec = timescale.step.spec
        let own = Int((1 / (spec.optimizer.learningRate * spec.weightDecay)).rounded())
        #expect(spec.runs.map(\.name) == ["τ = \(own) steps"])
    }

    /// "0.0025 … half the paper's decay. Its run ends with the larger norm."
    @Test(.optimizedOnly, arguments: claimSeeds) func halfTheDecayEndsLarger(seed: UInt64) {
        var spec = lesson.steps[1].spec
        spec.seed = seed
        spec.evaluationInterval = spec.steps
        let e = Experiment(spec: spec)
        e.advance(steps: spec.steps)
        #expect(e.runs.map(\.settings.weightDecay) == [0.005, 0.0025])
        #expect(e.runs[1].norms[.weights]! > e.runs[0].norms[.weights]!, "seed \(seed)")
    }

    /// The two adapter questions stand on the adapters lesson: each quiz
    /// step is that lesson's step (the first as shipped, the second at
    /// λ = 1), whose five-seed claims (`AdaptersLessonTests`) are what the
    /// right answers and explanations state; and the first answer's
    /// 0.999699 and 0.999398 are Π(1 − lr_t·λ) and its square on the quiz
    /// step's own schedule.
    @Test func adapterQuestionsStandOnTheAdaptersLesson() throws {
        let adapters = try load("10-adapters.md")
        let usual = try question("An adapter's weight_decay")
        #expect(usual.step.spec == adapters.steps[0].spec)
        let pull = try question("Where an adapter's decay pulls")
        #expect(pull.step.spec == adapters.steps[1].spec(applying: StepSettings(lambda: 1)))
        #expect(pull.step.spec.resolvedRuns.map(\.name) == ["full fine-tune", "LoRA r 8"])
        #expect(pull.right.contains("toward the base model") && pull.right.contains("away from the pretrained"))

        let spec = usual.step.spec
        let lambda = try #require(spec.runs.first { $0.name == "λ = 0.01" }?.weightDecay)
        var kept = 1.0
        for t in 0..<spec.steps {
            kept *= 1 - Double(spec.optimizer.learningRate) * (1 - Double(t) / Double(spec.steps)) * Double(lambda)
        }
        #expect(usual.right.contains(String(format: "%.6f", kept)) && usual.right.contains(String(format: "%.6f", kept * kept)),
                "\(kept): \(usual.right)")
        #expect(usual.question.prompt.contains("\(spec.steps) steps") && usual.question.prompt.contains("weight_decay \(decimal(lambda))"))
    }
}
