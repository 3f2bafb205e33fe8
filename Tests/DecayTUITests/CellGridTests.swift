import Testing
@testable import TerminalUI
import SeededRandom

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

/// `put` and `CharacterWidth.of` take a byte-per-cell path for ASCII text;
/// the cells and widths must be those the character-by-character rule gives.
@Suite struct CellGridASCIIPathTests {
    /// The character-by-character rule, written out: a glyph per character,
    /// control characters skipped, a cell drawn where it fits the clip.
    static func reference(_ text: String, width: Int, x: Int, clip: Rect, style: Style) -> (lines: [String], end: Int) {
        var grid = CellGrid(width: width, height: 1)
        var column = x
        for character in text {
            let w = CharacterWidth.of(character)
            if w == 0 { continue }
            if column >= clip.x, column + w <= clip.maxX, column >= 0, column < width {
                grid.set(x: column, y: 0, Cell(character, style: style))
            }
            column += w
        }
        return (grid.lines(), column)
    }

    @Test func asciiTextDrawsTheCellsTheCharacterRuleDraws() {
        var random = SplitMix64(seed: 11)
        let bytes: [UInt8] = Array(0x20...0x7E) + [0x09, 0x0A, 0x0D, 0x1B, 0x00, 0x7F]
        let style = Style(bold: true)
        for _ in 0..<2_000 {
            var text = String(decoding: (0..<random.below(30)).map { _ in bytes[random.below(bytes.count)] }, as: UTF8.self)
            if random.below(8) == 0 { text += "\r\n" }
            let width = 1 + random.below(24)
            let x = random.below(30) - 6
            let clip = Rect(x: random.below(width), y: 0, width: random.below(width + 1), height: 1)
            var grid = CellGrid(width: width, height: 1)
            let end = grid.put(text, x: x, y: 0, style: style, clip: clip)
            let want = Self.reference(text, width: width, x: x, clip: clip, style: style)
            #expect(grid.lines() == want.lines, "\(text.debugDescription) at \(x) in \(clip)")
            #expect(end == want.end)
            #expect(CharacterWidth.of(text) == text.reduce(0) { $0 + CharacterWidth.of($1) }, "\(text.debugDescription)")
        }
    }

    @Test func asciiCellsCarryTheStyleAndSkipControlCharacters() {
        var grid = CellGrid(width: 8, height: 1)
        let end = grid.put("a\tb\u{7F}c", x: 1, y: 0, style: Style(bold: true))
        #expect(end == 4)
        #expect(grid.lines() == [" abc"])
        #expect(grid[2, 0].style == Style(bold: true))
        #expect(CharacterWidth.of("a\tb\u{7F}c") == 3)
    }
}
