import Testing
@testable import TerminalUI

@Suite struct BrailleCanvasTests {
    /// Dot numbering of 8-dot braille: 1,2,3,7 down the left column and
    /// 4,5,6,8 down the right; dot n is bit n-1 of the offset from U+2800.
    @Test func eachDotSetsItsBrailleBit() {
        let expected: [(x: Int, y: Int, scalar: UInt32)] = [
            (0, 0, 0x2801), (0, 1, 0x2802), (0, 2, 0x2804), (0, 3, 0x2840),
            (1, 0, 0x2808), (1, 1, 0x2810), (1, 2, 0x2820), (1, 3, 0x2880),
        ]
        for (x, y, scalar) in expected {
            var canvas = BrailleCanvas(width: 1, height: 1)
            canvas.plot(x: x, y: y, ink: Ink(color: nil))
            var grid = CellGrid(width: 1, height: 1)
            canvas.render(into: &grid, x: 0, y: 0)
            #expect(grid[0, 0].character.unicodeScalars.first?.value == scalar, "dot (\(x), \(y))")
        }
    }

    @Test func allEightDotsIsTheFullCellAndDotsLandInTheRightCell() {
        var canvas = BrailleCanvas(width: 3, height: 2)
        for x in 2...3 { for y in 4...7 { canvas.plot(x: x, y: y, ink: Ink(color: 5)) } }
        var grid = CellGrid(width: 3, height: 2)
        canvas.render(into: &grid, x: 0, y: 0)
        #expect(grid.lines() == ["", " ⣿"])
        #expect(grid[1, 1].style.foreground == 5)
    }

    /// A 10×5-cell canvas is 20×20 dots; the corner-to-corner diagonal must
    /// be exactly the dots (i, i): one per column, no gaps, nothing else.
    @Test func cornerToCornerDiagonalIsContinuous() {
        var canvas = BrailleCanvas(width: 10, height: 5)
        canvas.line(from: (0, 0), to: (19, 19), ink: Ink(color: nil))
        for x in 0..<20 {
            for y in 0..<20 {
                #expect(canvas.isSet(x: x, y: y) == (x == y), "dot (\(x), \(y))")
            }
        }
    }

    /// A shallow line still has a dot in every column, and successive
    /// columns' dots touch (differ by at most one row).
    @Test func shallowAndSteepLinesHaveNoGaps() {
        var canvas = BrailleCanvas(width: 20, height: 4)
        canvas.line(from: (0, 15), to: (39, 3), ink: Ink(color: nil))
        var last: Int?
        for x in 0..<40 {
            let rows = (0..<16).filter { canvas.isSet(x: x, y: $0) }
            #expect(rows.count == 1, "column \(x)")
            if let last, let row = rows.first { #expect(abs(row - last) <= 1) }
            last = rows.first
        }
        var steep = BrailleCanvas(width: 2, height: 10)
        steep.line(from: (0, 0), to: (3, 39), ink: Ink(color: nil))
        for y in 0..<40 {
            #expect((0..<4).contains { steep.isSet(x: $0, y: y) }, "row \(y)")
        }
    }

    @Test func dashedLineLeavesRegularGaps() {
        var canvas = BrailleCanvas(width: 10, height: 1)
        canvas.line(from: (0, 2), to: (19, 2), ink: Ink(color: nil), pattern: .dashed)
        let set = (0..<20).map { canvas.isSet(x: $0, y: 2) }
        // 2 on, 2 off: on at 0,1,4,5,8,9,…
        #expect(set == (0..<20).map { ($0 / 2) % 2 == 0 })
    }

    @Test func seriesInkWinsOverMarkerInkInASharedCell() {
        var canvas = BrailleCanvas(width: 1, height: 1)
        canvas.plot(x: 0, y: 0, ink: Ink(color: 2))
        canvas.plot(x: 1, y: 0, ink: Ink(color: nil, dim: true, priority: 0))
        #expect(canvas.inks[0] == Ink(color: 2))
        canvas.plot(x: 1, y: 1, ink: Ink(color: 3))
        #expect(canvas.inks[0] == Ink(color: 3))   // among equals, the last writer
    }

    @Test func asciiCanvasPicksCharactersBySlope() {
        #expect(AsciiCanvas.character(slope: (5, 0)) == "-")
        #expect(AsciiCanvas.character(slope: (0, 3)) == "|")
        #expect(AsciiCanvas.character(slope: (3, -3)) == "/")   // up and right (y grows down)
        #expect(AsciiCanvas.character(slope: (3, 3)) == "\\")
        var canvas = AsciiCanvas(width: 5, height: 1)
        canvas.line(from: (0, 0), to: (4, 0), ink: Ink(color: nil), pattern: .dashed)
        #expect((0..<5).map { canvas.character(x: $0, y: 0) } == Array(repeating: ".", count: 5))
    }
}
