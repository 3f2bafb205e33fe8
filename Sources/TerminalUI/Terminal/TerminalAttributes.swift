import CNcursesW

/// The curses constants Swift cannot import.
///
/// `A_BOLD`, `COLOR_PAIR(n)` and `BUTTON4_PRESSED` are function-like macros
/// in <curses.h>, which the Clang importer skips. They are recomputed here
/// from the same definitions, for ncurses' layout:
///
///     #define NCURSES_ATTR_SHIFT 8
///     #define NCURSES_BITS(mask,shift) ((chtype)(mask) << ((shift) + NCURSES_ATTR_SHIFT))
///     #define A_BOLD NCURSES_BITS(1U,13)
///     #define NCURSES_MOUSE_MASK(b,m) ((m) << (((b) - 1) * 5))   /* mouse version 2 */
///
/// The test suite checks a few of these against their documented values.
public enum TerminalAttributes {
    static let attributeShift: attr_t = 8

    /// `NCURSES_BITS(mask, shift)`.
    static func bits(_ mask: attr_t, _ shift: attr_t) -> attr_t {
        mask << (shift + attributeShift)
    }

    public static let normal: attr_t = 0
    public static let colorMask: attr_t = bits((1 << 8) - 1, 0)
    public static let standout: attr_t = bits(1, 8)
    public static let underline: attr_t = bits(1, 9)
    public static let reverse: attr_t = bits(1, 10)
    public static let blink: attr_t = bits(1, 11)
    public static let dim: attr_t = bits(1, 12)
    public static let bold: attr_t = bits(1, 13)
    public static let italic: attr_t = bits(1, 23)

    /// `COLOR_PAIR(n)`: the pair number stored in the attribute word.
    public static func colorPair(_ n: Int) -> attr_t {
        bits(attr_t(truncatingIfNeeded: n), 0) & colorMask
    }

    /// `NCURSES_BUTTON_PRESSED` and `NCURSES_MOUSE_MASK(b, m)` for mouse
    /// protocol version 2 (5 bits per button), which this ncurses uses.
    static let buttonPressed: mmask_t = 0o2
    static func mouseMask(button: mmask_t, _ m: mmask_t) -> mmask_t {
        m << ((button - 1) * 5)
    }

    /// Wheel up and wheel down are reported as presses of buttons 4 and 5.
    public static let button4Pressed: mmask_t = mouseMask(button: 4, buttonPressed)
    public static let button5Pressed: mmask_t = mouseMask(button: 5, buttonPressed)

    /// The attribute word for a `Style`; `pair` is the colour pair already
    /// allocated for its foreground (0 = default colours).
    static func attributes(for style: Style) -> attr_t {
        var a = normal
        if style.bold { a |= bold }
        if style.dim { a |= dim }
        if style.reverse { a |= reverse }
        if style.underline { a |= underline }
        return a
    }
}
