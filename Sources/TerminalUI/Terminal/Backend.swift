/// The size of a terminal in cells.
public struct TerminalSize: Hashable, Sendable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// What the terminal can show, decided once at start-up.
public struct TerminalCapabilities: Hashable, Sendable {
    /// Number of palette colours the widgets may use; 0 when the terminal has
    /// none or `NO_COLOR` is set.
    public var colors: Int
    /// Whether the locale is UTF-8 (and `--ascii` was not given), i.e.
    /// whether braille and box drawing can be used.
    public var unicode: Bool

    public init(colors: Int, unicode: Bool) {
        self.colors = colors
        self.unicode = unicode
    }

    /// The glyph set widgets should draw with.
    public var glyphs: Glyphs { unicode ? .unicode : .ascii }
}

/// Where frames go and keys come from. The UI talks only to this protocol,
/// so the same `view` code draws to curses in production and to memory in
/// tests.
public protocol Backend: AnyObject {
    var size: TerminalSize { get }
    var capabilities: TerminalCapabilities { get }
    /// Shows `grid`, sending only the cells that differ from the last frame.
    func draw(_ grid: CellGrid)
    /// Waits up to `timeoutMs` milliseconds for a key (0: just poll,
    /// negative: wait forever). `nil` means the time ran out.
    func readKey(timeoutMs: Int) -> Key?
}
