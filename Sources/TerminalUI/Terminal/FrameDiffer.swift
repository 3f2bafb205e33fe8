/// Remembers the last frame sent to a screen and sends only what changed.
///
/// Sending a full 200×60 frame of braille at 30 fps is ~360 kB/s of escape
/// sequences and flickers over ssh; a live chart changes a few dozen cells
/// per frame. After `invalidate()` (resize, resume from Ctrl-Z, first frame)
/// the next frame clears the screen and is sent in full, because then we no
/// longer know what the terminal shows.
public struct FrameDiffer: Sendable {
    private var previous: CellGrid?

    public init() {}

    /// Forgets the last frame so the next `render` redraws everything.
    public mutating func invalidate() { previous = nil }

    /// Sends the cells of `grid` that differ from the previous frame.
    /// - Returns: how many cells were sent.
    @discardableResult
    public mutating func render<Sink: CellSink>(_ grid: CellGrid, to sink: inout Sink) -> Int {
        var written = 0
        if let previous, previous.width == grid.width, previous.height == grid.height {
            for y in 0..<grid.height {
                for x in 0..<grid.width {
                    let cell = grid[x, y]
                    if cell != previous[x, y], !cell.isContinuation {
                        sink.write(cell, x: x, y: y)
                        written += 1
                    }
                }
            }
        } else {
            sink.clearAll()
            for y in 0..<grid.height {
                for x in 0..<grid.width {
                    let cell = grid[x, y]
                    // After a clear, blank cells are already right.
                    if cell != .blank, !cell.isContinuation {
                        sink.write(cell, x: x, y: y)
                        written += 1
                    }
                }
            }
        }
        previous = grid
        return written
    }
}
