import Testing
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

/// A lesson's summary screen shows its snippets below the key points, and
/// scrolls to them on a small terminal.
@Suite struct SummarySnippetsTests {
    func summary(of lessonID: String, width: Int, height: Int) throws -> (App, Lesson) {
        let l = try #require(shippedLibrary.lessons.firstIndex { $0.id == lessonID })
        let a = testApp(shippedLibrary, width: width, height: height)
        a.open(lesson: l, step: shippedLibrary.lessons[l].steps.count - 1)
        a.send(.key(.char("n")))
        #expect(a.state.screen == .summary)
        return (a, shippedLibrary.lessons[l])
    }

    @Test func at80x24TheSnippetsAreBelowAndEveryCodeLineCanBeScrolledToWhole() throws {
        let (a, lesson) = try summary(of: "what-to-decay", width: 80, height: 24)
        var seen = Set<String>()
        var frame = a.frame().lines()
        #expect(frame.contains { $0.contains("What this lesson showed") })
        #expect(frame.contains { $0.contains("more: j/k") })
        for _ in 0..<120 {
            seen.formUnion(frame.map { $0.trimmingCharacters(in: .whitespaces) })
            a.send(.key(.char("j")))
            frame = a.frame().lines()
        }
        #expect(frame.contains { $0.contains("k to scroll back") })
        for snippet in lesson.snippets {
            for line in snippet.code.split(separator: "\n") {
                #expect(seen.contains(line.trimmingCharacters(in: .whitespaces)), "\(snippet.library): \(line)")
            }
        }
        // Scrolling back up reaches the key points again.
        for _ in 0..<200 { a.send(.key(.up)) }
        #expect(a.frame().lines().contains { $0.contains("What this lesson showed") })
    }

    @Test func at120x40TheFirstSnippetIsOnTheFirstScreen() throws {
        let (a, lesson) = try summary(of: "timescale", width: 120, height: 40)
        let frame = a.frame().lines().joined(separator: "\n")
        #expect(frame.contains("In code"))
        let first = try #require(lesson.snippets.first)
        #expect(frame.contains(first.code.split(separator: "\n").last.map(String.init) ?? "?"))
    }

    @Test func comingBackFromTheCourseEndTheSummaryStartsAtTheTop() throws {
        let (a, _) = try summary(of: "final-quiz", width: 80, height: 24)
        for _ in 0..<10 { a.send(.key(.char("j"))) }
        #expect(!a.frame().lines().contains { $0.contains("What this lesson showed") })
        a.send(.key(.char("n")))
        #expect(a.state.screen == .courseEnd)
        a.send(.key(.char("p")))
        #expect(a.state.screen == .summary && a.frame().lines().contains { $0.contains("What this lesson showed") })
    }
}
