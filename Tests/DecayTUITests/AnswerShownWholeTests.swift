import Testing
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

/// A question's verdict is the last thing in the goal pane, after the
/// prompt and the choices, and the pane has a height limit: an explanation
/// long enough to reach it lost its end. For every shipped question and
/// every choice, at 120×40 and at 80×24, the verdict is on screen to its
/// last words: "Try another answer." after a wrong choice, "n for the next
/// step." after the right one.
@Suite struct AnswerShownWholeTests {
    static let questions: [(Int, Int)] = shippedSteps.filter { l, s in
        if case .question = shippedLibrary.lessons[l].steps[s].goal { return true }
        return false
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func everyVerdictIsShownToItsLastWord(width: Int, height: Int) {
        #expect(Self.questions.count >= 10)
        for (l, s) in Self.questions {
            guard case let .question(q)? = shippedLibrary.lessons[l].steps[s].goal else { continue }
            for shown in q.choices.indices {
                var screen = ShippedScreen(lesson: l, step: s, width: width, height: height)
                screen.answer(shown)
                guard let answer = screen.state.answer else { Issue.record("\(l + 1):\(s + 1) no answer to \(shown + 1)"); continue }
                let text = screen.frame().lines().joined(separator: "\n")
                let words = answer.explanation.split(separator: " ").suffix(1).map(String.init)
                let end = answer.correct ? "step." : "answer."
                for word in words + [end] {
                    #expect(text.contains(word), "\(l + 1):\(s + 1) at \(width)×\(height), choice \(shown + 1): no \"\(word)\"\n\(text)")
                }
            }
        }
    }
}
