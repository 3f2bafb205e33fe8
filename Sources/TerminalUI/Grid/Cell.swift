/// One terminal cell: a character (as a `Glyph`) and its style.
///
/// A double-width character (CJK, most emoji) occupies two cells: the first
/// holds the character, the second is a *continuation* cell that holds nothing
/// and must not be drawn, because the terminal fills it when it draws the
/// first. Keeping the continuation explicit is what lets the grid's columns
/// line up with the terminal's columns.
///
/// A cell is plain data (no reference-counted storage), so grids copy and
/// compare as memory: a frame writes and diffs thousands of them.
public struct Cell: Hashable, Sendable {
    public var glyph: Glyph
    public var style: Style
    /// True for the right half of a double-width character.
    public var isContinuation: Bool

    public init(_ character: Character = " ", style: Style = .plain) {
        self.init(glyph: Glyph(character), style: style)
    }

    public init(glyph: Glyph, style: Style = .plain) {
        self.glyph = glyph
        self.style = style
        self.isContinuation = false
    }

    /// The glyph as a `Character` (for reading a screen back as text).
    public var character: Character {
        get { glyph.character }
        set { glyph = Glyph(newValue) }
    }

    public static let blank = Cell()

    static func continuation(style: Style) -> Cell {
        var cell = Cell(glyph: .space, style: style)
        cell.isContinuation = true
        return cell
    }
}
