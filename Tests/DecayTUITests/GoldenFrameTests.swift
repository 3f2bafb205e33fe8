import Testing
import Foundation
import DecayEngine
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

/// Whole frames at 80×24 and 120×40, cell for cell (as ratatui's buffer
/// assertions do), so a layout change shows up as a failing test. The
/// frames are drawn from the demo lessons with the test clock, after the
/// runs have trained their planned steps, so every number is fixed.
/// `DECAY_TUTOR_UPDATE_GOLDEN=1` rewrites them after a deliberate change
/// (read the new files before committing them).
@Suite struct GoldenFrameTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func finished(_ a: App) {
        a.send(.key(.char("f")))
        for _ in 0..<400 where a.session?.canTrain == true { a.tick() }
    }

    func check(_ name: String, _ grid: CellGrid, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = Self.directory.appendingPathComponent(name + ".txt")
        // Every row padded to the full width: trailing blanks are part of the frame.
        let text = (0..<grid.height).map { y in
            (0..<grid.width).map { x in grid[x, y].isContinuation ? "" : String(grid[x, y].character) }.joined()
        }.joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["DECAY_TUTOR_UPDATE_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(a.count == b.count, "\(name): \(b.count) rows, expected \(a.count)", sourceLocation: sourceLocation)
        for (i, (x, y)) in zip(a, b).enumerated() where x != y {
            Issue.record("\(name) row \(i) differs:\n  expected: \(x)\n  actual:   \(y)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func stepAfterItsPlannedSteps(size: (Int, Int)) throws {
        let a = testApp(try demoLibrary(), width: size.0, height: size.1)
        a.open(lesson: 0, step: 0)
        finished(a)
        try check("step-\(size.0)x\(size.1)", a.frame())
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func questionAfterAWrongAnswer(size: (Int, Int)) throws {
        let a = testApp(try demoLibrary(), width: size.0, height: size.1)
        a.open(lesson: 0, step: 1)
        finished(a)
        let wrong = a.state.choiceOrder.firstIndex { !(a.state.step!.goal!.answer($0)!.correct) }!
        a.send(.key(.char(Character("\(wrong + 1)"))))
        try check("question-\(size.0)x\(size.1)", a.frame())
    }

    @Test func menuAndSummaryAt80x24() throws {
        let a = testApp(try demoLibrary(), width: 80, height: 24)
        try check("menu-80x24", a.frame())
        a.open(lesson: 0, step: 1)
        a.send(.key(.char("n")))
        try check("summary-80x24", a.frame())
    }
}
