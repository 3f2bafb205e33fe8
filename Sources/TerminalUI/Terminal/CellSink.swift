/// The receiving end of a frame diff: something that can put one cell on a
/// screen. Curses implements it with `mvwadd_wch`; tests implement it with
/// a counter, which is how we check that only changed cells are sent.
public protocol CellSink {
    /// Draws `cell` at column `x`, row `y`.
    mutating func write(_ cell: Cell, x: Int, y: Int)
    /// Blanks the whole screen (before a full redraw).
    mutating func clearAll()
}
