import Testing
@testable import TerminalUI

/// A cell holds its character as packed scalars (`Glyph`): what the tutor
/// draws must survive the packing, including the combining marks of its
/// formulas, and the diff must see a change in a mark alone.
@Suite struct GlyphTests {
    @Test func charactersTheTutorDrawsRoundTrip() {
        let drawn: [Character] = ["a", " ", "~", "λ", "⣿", "─", "✓", "‖", "漢", "v̂", "x̄", "θ̂", "✔️"]
        for c in drawn {
            #expect(Glyph(c).character == c, "\(c)")
            #expect(Cell(c).character == c, "\(c)")
        }
        #expect(Glyph(Character("v̂")) != Glyph(Character("v")))
        #expect(Glyph("v̂").scalars.map(\.value) == [0x76, 0x302])
    }

    @Test func aClusterLongerThanThreeScalarsKeepsItsFirstThree() {
        let family: Character = "👨\u{200D}👩\u{200D}👧"   // five scalars
        #expect(Glyph(family).scalars.map(\.value) == [0x1F468, 0x200D, 0x1F469])
    }

    @Test func widthsReadOffTheGlyphMatchTheCharacterRule() {
        for c: Character in ["a", "λ", "⠤", "漢", "v̂", "✔️", "\u{7}", "😀"] {
            #expect(CharacterWidth.of(Glyph(c)) == CharacterWidth.of(c), "\(c)")
        }
    }

    @Test func putKeepsACombiningMarkInItsBaseCell() {
        var grid = CellGrid(width: 6, height: 1)
        let end = grid.put("v̂ = 1", x: 0, y: 0)
        #expect(end == 5)
        #expect(grid[0, 0].character == "v̂")
        #expect(grid[1, 0].character == " ")
        #expect(grid.lines() == ["v̂ = 1"])
    }

    @Test func theDiffSendsACellWhoseOnlyChangeIsAMark() {
        var differ = FrameDiffer()
        var sink = MarkSink()
        var grid = CellGrid(width: 3, height: 1)
        grid.put("v", x: 1, y: 0)
        differ.render(grid, to: &sink)
        sink.writes = []
        grid.put("v̂", x: 1, y: 0)
        #expect(differ.render(grid, to: &sink) == 1)
        #expect(sink.writes == ["v̂"])
    }
}

private struct MarkSink: CellSink {
    var writes: [Character] = []
    mutating func write(_ cell: Cell, x: Int, y: Int) { writes.append(cell.character) }
    mutating func clearAll() {}
}
