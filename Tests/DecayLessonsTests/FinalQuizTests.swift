import Testing
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

    /// The arithmetic in the questions: 2 · 0.0025 = 0.005; momentum 0.9
    /// amplifies by 1/(1 − 0.9) = 10; 1/(1e-3 · 0.1) = 10,000 steps = 5
    /// epochs of 2,000; 1 − lr·λ at lr 0.003, λ = 3.
    @Test func arithmetic() {
        #expect(2 * 0.0025 == 0.005 && abs(1 / (1 - 0.9) - 10) < 1e-9)
        #expect(abs(1 / (1e-3 * 0.1) - 10_000) < 1e-6 && 10_000 / 2_000 == 5)
        #expect(abs(1 / (0.01 * 0.5) - 200) < 1e-9)
    }

    /// "0.0025 … half the paper's decay. Its run ends with the larger norm."
    @Test(arguments: claimSeeds) func halfTheDecayEndsLarger(seed: UInt64) {
        var spec = lesson.steps[1].spec
        spec.seed = seed
        spec.evaluationInterval = spec.steps
        let e = Experiment(spec: spec)
        e.advance(steps: spec.steps)
        #expect(e.runs.map(\.settings.weightDecay) == [0.005, 0.0025])
        #expect(e.runs[1].norms[.weights]! > e.runs[0].norms[.weights]!, "seed \(seed)")
    }
}
