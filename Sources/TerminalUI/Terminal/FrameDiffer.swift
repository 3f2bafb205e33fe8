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
        let width = grid.width
        // Cells are plain data: the scan compares them in place, row-major,
        // without the bounds checks and copies of `grid[x, y]`.
        grid.cells.withUnsafeBufferPointer { now in
            if let previous, previous.width == grid.width, previous.height == grid.height {
                previous.cells.withUnsafeBufferPointer { before in
                    for i in 0..<now.count where now[i] != before[i] && !now[i].isContinuation {
                        sink.write(now[i], x: i % width, y: i / width)
                        written += 1
                    }
                }
            } else {
                sink.clearAll()
                // After a clear, blank cells are already right.
                for i in 0..<now.count where now[i] != .blank && !now[i].isContinuation {
                    sink.write(now[i], x: i % width, y: i / width)
                    written += 1
                }
            }
        }
        previous = grid
        return written
    }
}
