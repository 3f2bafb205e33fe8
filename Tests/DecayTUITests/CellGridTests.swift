import Testing
@testable import TerminalUI

@Suite struct CellGridTests {
    @Test func putClipsAtTheEdgeAndLinesTrimTrailingSpaces() {
        var grid = CellGrid(width: 6, height: 2)
        let end = grid.put("abcdefgh", x: 2, y: 0)
        #expect(end == 10)
        #expect(grid.lines() == ["  abcd", ""])
        grid.put("xy  ", x: 0, y: 1)
        #expect(grid.lines()[1] == "xy")
    }

    @Test func putRespectsAClipRectangle() {
        var grid = CellGrid(width: 10, height: 1)
        grid.put("0123456789", x: 0, y: 0, clip: Rect(x: 2, y: 0, width: 3, height: 1))
        #expect(grid.lines() == ["  234"])
    }

    @Test func unicodeSymbolsUsedByTheTutorAreOneColumn() {
        for c: Character in ["⠤", "⣿", "─", "┤", "λ", "✓", "→", "←", "░", "█", "‖", "²", "·", "−"] {
            #expect(CharacterWidth.of(c) == 1, "\(c)")
        }
        #expect(CharacterWidth.of("漢") == 2)
        #expect(CharacterWidth.of("x̄") == 1)   // combining macron travels with x
    }

    @Test func wideCharacterTakesTwoCellsAndOverwritingHalfBlanksTheOther() {
        var grid = CellGrid(width: 5, height: 1)
        grid.put("a漢b", x: 0, y: 0)
        #expect(grid[1, 0].character == "漢")
        #expect(grid[2, 0].isContinuation)
        #expect(grid.lines() == ["a漢b"])
        grid.put("z", x: 2, y: 0)          // into the right half
        #expect(grid.lines() == ["a zb"])
        #expect(!grid[1, 0].isContinuation && grid[1, 0].character == " ")
    }

    @Test func wideCharacterCutByTheRightEdgeBecomesASpace() {
        var grid = CellGrid(width: 3, height: 1)
        grid.put("ab漢", x: 0, y: 0)
        #expect(grid.lines() == ["ab"])
    }

    @Test func boxDrawsCornersEdgesAndTitle() {
        var grid = CellGrid(width: 12, height: 3)
        grid.box(grid.bounds, title: "λ")
        #expect(grid.lines() == ["┌ λ ───────┐", "│          │", "└──────────┘"])
        var ascii = CellGrid(width: 4, height: 3)
        ascii.box(ascii.bounds, glyphs: .ascii)
        #expect(ascii.lines() == ["+--+", "|  |", "+--+"])
    }

    @Test func fillAndRestyle() {
        var grid = CellGrid(width: 4, height: 2)
        grid.fill(Rect(x: 1, y: 0, width: 2, height: 2), with: "#", style: Style(bold: true))
        #expect(grid.lines() == [" ##", " ##"])
        #expect(grid[1, 1].style.bold && !grid[0, 1].style.bold)
        grid.restyle(grid.bounds) { $0.withReverse }
        #expect(grid[0, 0].style.reverse && grid[2, 1].style.reverse && grid[2, 1].style.bold)
    }
}
