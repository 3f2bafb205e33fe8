import Testing
import Foundation
import DecayEngine
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

/// Whole frames at 80×24 and 120×40, cell for cell, characters and styles
/// (as ratatui's buffer assertions do), so a layout or style change shows up
/// as a failing test. The
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
        if ProcessInfo.processInfo.environment["DECAY_TUTOR_UPDATE_GOLDEN"] == "1" {
            try GoldenFrame.encode(grid).write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        for difference in GoldenFrame.differences(expected: expected, actual: grid) {
            Issue.record("\(name): \(difference)", sourceLocation: sourceLocation)
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

    /// The comparison sees styles: the golden step frame with one cell's
    /// colour, one cell's bold and one cell's dim changed is three differing
    /// style rows, and the frame itself matches.
    @Test func aChangedStyleFailsTheComparison() throws {
        let a = testApp(try demoLibrary(), width: 80, height: 24)
        a.open(lesson: 0, step: 0)
        finished(a)
        let grid = a.frame()
        let golden = try String(contentsOf: Self.directory.appendingPathComponent("step-80x24.txt"), encoding: .utf8)
        #expect(GoldenFrame.differences(expected: golden, actual: grid).isEmpty)
        #expect(golden.contains(GoldenFrame.styleHeader))

        var restyled = grid
        let inner = grid.width..<(grid.width * (grid.height - 1))     // rows 1 … height − 2
        let colored = try #require(inner.first { grid.cells[$0].style.foreground != nil && !grid.cells[$0].isContinuation })
        var cell = grid.cells[colored]
        cell.style.foreground = cell.style.foreground == PaletteColor.red ? PaletteColor.green : PaletteColor.red
        restyled.set(x: colored % grid.width, y: colored / grid.width, cell)
        var title = grid[1, 0]
        title.style.bold.toggle()
        restyled.set(x: 1, y: 0, title)
        var plain = grid[0, grid.height - 1]
        plain.style.dim.toggle()
        restyled.set(x: 0, y: grid.height - 1, plain)
        #expect(restyled.lines() == grid.lines())
        let differences = GoldenFrame.differences(expected: golden, actual: restyled)
        #expect(differences.count == 3 && differences.allSatisfy { $0.contains("styles differ") }, "\(differences)")
    }
}
