import Testing
@testable import TerminalUI

/// A screen that counts what it is sent.
private struct CountingSink: CellSink {
    var writes: [(x: Int, y: Int, character: Character)] = []
    var clears = 0
    mutating func write(_ cell: Cell, x: Int, y: Int) { writes.append((x, y, cell.character)) }
    mutating func clearAll() { clears += 1 }
}

@Suite struct FrameDifferTests {
    @Test func firstFrameClearsAndSendsOnlyNonBlankCells() {
        var differ = FrameDiffer()
        var sink = CountingSink()
        var grid = CellGrid(width: 10, height: 3)
        grid.put("hello", x: 2, y: 1)
        #expect(differ.render(grid, to: &sink) == 5)
        #expect(sink.clears == 1)
        #expect(sink.writes.map(\.x) == [2, 3, 4, 5, 6])
    }

    @Test func unchangedFrameSendsNothingAndOneChangeSendsOneCell() {
        var differ = FrameDiffer()
        var sink = CountingSink()
        var grid = CellGrid(width: 10, height: 3)
        grid.put("hello", x: 2, y: 1)
        differ.render(grid, to: &sink)
        sink = CountingSink()
        #expect(differ.render(grid, to: &sink) == 0)
        #expect(sink.clears == 0)
        grid.put("j", x: 2, y: 1)                       // "jello"
        grid.set(x: 9, y: 2, Cell("x", style: .plain))
        grid.restyle(Rect(x: 0, y: 0, width: 1, height: 1)) { $0.withBold }   // style-only change counts
        #expect(differ.render(grid, to: &sink) == 3)
        #expect(sink.writes.map { "\($0.x),\($0.y),\($0.character)" } == ["0,0, ", "2,1,j", "9,2,x"])
    }

    @Test func invalidateAndResizeForceAFullRedraw() {
        var differ = FrameDiffer()
        var sink = CountingSink()
        var grid = CellGrid(width: 4, height: 1)
        grid.put("abcd", x: 0, y: 0)
        differ.render(grid, to: &sink)
        differ.invalidate()
        sink = CountingSink()
        #expect(differ.render(grid, to: &sink) == 4)
        #expect(sink.clears == 1)
        var bigger = CellGrid(width: 5, height: 1)
        bigger.put("abcd", x: 0, y: 0)
        sink = CountingSink()
        #expect(differ.render(bigger, to: &sink) == 4)
        #expect(sink.clears == 1)
    }

    @Test func wideCharacterIsSentOnceNotForItsContinuation() {
        var differ = FrameDiffer()
        var sink = CountingSink()
        var grid = CellGrid(width: 4, height: 1)
        differ.render(grid, to: &sink)
        sink = CountingSink()
        grid.put("漢", x: 1, y: 0)
        #expect(differ.render(grid, to: &sink) == 1)
        #expect(sink.writes.first?.character == "漢")
    }

    @Test func memoryBackendScreenFollowsTheFramesThroughTheDiff() {
        let backend = MemoryBackend(width: 8, height: 2, keys: [.char("q")])
        var grid = CellGrid(width: 8, height: 2)
        grid.put("λ = 0", x: 0, y: 0)
        backend.draw(grid)
        #expect(backend.screen.lines() == ["λ = 0", ""])
        grid.put("1", x: 4, y: 0)
        backend.draw(grid)
        #expect(backend.lastDrawCellCount == 1)
        #expect(backend.screen == grid)
        #expect(backend.readKey(timeoutMs: 0) == .char("q"))
        #expect(backend.readKey(timeoutMs: 0) == nil)
        backend.resize(width: 6, height: 2)
        #expect(backend.readKey(timeoutMs: 0) == .resize)
        var small = CellGrid(width: 6, height: 2)
        small.put("ok", x: 0, y: 1)
        backend.draw(small)
        #expect(backend.screen.lines() == ["", "ok"])
    }
}
