import Testing
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

@Suite struct MenuViewTests {
    /// The lesson menu: every title starts in one column, lesson 10's and
    /// 11's where 1–9's do (their numbers are right-aligned).
    @Test(arguments: [true, false])
    func theMenuTitlesLineUp(unicode: Bool) throws {
        #expect(shippedLibrary.lessons.count >= 10)
        var state = TutorState(lessons: shippedLibrary.lessons, size: TerminalSize(width: 80, height: 24))
        state.unicode = unicode
        let lines = View.render(state, training: nil).lines()
        var starts: [Int: Int] = [:]
        for (i, lesson) in shippedLibrary.lessons.enumerated() {
            let title = String(Theme(state).text(lesson.title).prefix(10))
            let line = try #require(lines.first { $0.contains("\(i + 1). \(title)") }, "lesson \(i + 1) is not in the menu")
            let at = try #require(line.range(of: "\(i + 1). \(title)"))
            starts[i + 1] = line.distance(from: line.startIndex, to: at.upperBound) - title.count
        }
        #expect(Set(starts.values).count == 1, "titles start in different columns: \(starts.sorted { $0.key < $1.key })")
    }
}
