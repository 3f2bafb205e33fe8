import Testing
import Foundation
import DecayEngine
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

/// The final quiz ends with a score, right at the first try, and names the
/// step that teaches each answer missed; the summary's key for a step not
/// done yet is one that opens it.
@Suite struct QuizScoreTests {
    func answer(_ a: App, right: Bool) {
        let order = a.state.choiceOrder
        let wanted = right ? 0 : 1                          // the quiz writes its right answer first
        let shown = order.firstIndex(of: wanted)! + 1
        a.send(.key(.char(Character("\(shown)"))))
    }

    @Test func theQuizEndsWithAScoreAndWhereToGoBack() throws {
        let quiz = try #require(shippedLibrary.lessons.firstIndex { $0.id == "final-quiz" })
        let steps = shippedLibrary.lessons[quiz].steps.count
        let a = testApp(shippedLibrary, width: 120, height: 40)
        a.open(lesson: quiz, step: 0)
        answer(a, right: false)
        #expect(!a.state.stepDone)
        answer(a, right: true)
        #expect(a.state.stepDone)
        for s in 1..<steps {
            a.send(.key(.char("n")))
            #expect(a.state.stepIndex == s)
            if s == 2 { answer(a, right: false) }
            answer(a, right: true)
        }
        a.send(.key(.char("n")))
        #expect(a.state.screen == .summary)
        let text = a.frame().lines().joined(separator: "\n")
        #expect(text.contains("\(steps - 2) of \(steps) questions right at the first try"), "\(text)")
        #expect(text.contains("Question 1, More weights than examples"), "\(text)")
        #expect(text.contains("lesson 1, step 1: Watch a model memorize noise"), "\(text)")
        #expect(text.contains("Question 3, Momentum and the penalty"), "\(text)")
        #expect(!text.contains("Not done yet"))
        // A mistake made after the right answer is not a first-try one.
        a.send(.key(.char("p")))
        answer(a, right: false)
        a.send(.key(.char("n")))
        #expect(a.frame().lines().joined().contains("\(steps - 2) of \(steps) questions right"))
    }

    /// "Not done yet: steps …" names the key that opens the first of them.
    @Test func oOpensTheFirstStepNotDone() throws {
        let a = testApp(try demoLibrary(), width: 80, height: 24)
        a.open(lesson: 0, step: 1)
        a.send(.key(.char("n")))
        #expect(a.state.screen == .summary)
        let text = a.frame().lines().joined(separator: " ")
        #expect(text.contains("Not done yet: steps 1, 2 (o opens step 1)."), "\(text)")
        a.send(.key(.char("o")))
        #expect(a.state.screen == .step && a.state.stepIndex == 0)
    }
}
