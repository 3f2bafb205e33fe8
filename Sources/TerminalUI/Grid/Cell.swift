/// One terminal cell: a character and its style.
///
/// A double-width character (CJK, most emoji) occupies two cells: the first
/// holds the character, the second is a *continuation* cell that holds nothing
/// and must not be drawn, because the terminal fills it when it draws the
/// first. Keeping the continuation explicit is what lets the grid's columns
/// line up with the terminal's columns.
public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: Style
    /// True for the right half of a double-width character.
    public var isContinuation: Bool

    public init(_ character: Character = " ", style: Style = .plain) {
        self.character = character
        self.style = style
        self.isContinuation = false
    }

    public static let blank = Cell()

    static func continuation(style: Style) -> Cell {
        var cell = Cell(" ", style: style)
        cell.isContinuation = true
        return cell
    }
}
