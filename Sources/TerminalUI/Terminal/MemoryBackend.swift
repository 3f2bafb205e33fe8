/// A backend with no terminal: frames land in `screen`, keys come from a
/// queue. `view` and `update` tests run against it and read the screen back
/// with `screen.lines()`.
///
/// It goes through the same `FrameDiffer` as the curses backend and applies
/// the diff to its own screen, so a diff that forgot a cell would show up as
/// a wrong screen here too.
public final class MemoryBackend: Backend {
    public private(set) var size: TerminalSize
    public let capabilities: TerminalCapabilities
    /// What the "terminal" shows now.
    public private(set) var screen: CellGrid
    /// Keys still to be read, first first.
    public var pendingKeys: [Key]
    /// Number of frames drawn.
    public private(set) var frameCount = 0
    /// Cells sent by the last `draw` and by all of them.
    public private(set) var lastDrawCellCount = 0
    public private(set) var totalCellsWritten = 0

    private var differ = FrameDiffer()

    public init(width: Int, height: Int, keys: [Key] = [],
                capabilities: TerminalCapabilities = TerminalCapabilities(colors: 256, unicode: true)) {
        self.size = TerminalSize(width: width, height: height)
        self.capabilities = capabilities
        self.screen = CellGrid(width: width, height: height)
        self.pendingKeys = keys
    }

    public func draw(_ grid: CellGrid) {
        if screen.width != grid.width || screen.height != grid.height {
            screen = CellGrid(width: grid.width, height: grid.height)
        }
        var sink = ScreenSink(screen: screen)
        lastDrawCellCount = differ.render(grid, to: &sink)
        screen = sink.screen
        totalCellsWritten += lastDrawCellCount
        frameCount += 1
    }

    public func readKey(timeoutMs: Int) -> Key? {
        pendingKeys.isEmpty ? nil : pendingKeys.removeFirst()
    }

    /// Simulates the user resizing the window: the size changes and a
    /// `.resize` key is queued, as curses does with `KEY_RESIZE`.
    public func resize(width: Int, height: Int) {
        size = TerminalSize(width: width, height: height)
        pendingKeys.append(.resize)
    }

    private struct ScreenSink: CellSink {
        var screen: CellGrid
        mutating func write(_ cell: Cell, x: Int, y: Int) {
            screen.set(x: x, y: y, cell)
        }
        mutating func clearAll() {
            screen = CellGrid(width: screen.width, height: screen.height)
        }
    }
}
