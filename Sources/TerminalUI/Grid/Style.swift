/// How a cell is drawn: a foreground colour and a few attributes.
///
/// Colours are indices into the terminal palette (0–7 the ANSI colours,
/// 8–15 their bright forms, up to 255 on 256-colour terminals) rather than
/// RGB, because that is what curses can address portably. `nil` means the
/// terminal's own default foreground, which is also what `NO_COLOR` and
/// monochrome terminals get for every cell.
public struct Style: Hashable, Sendable {
    /// Palette index of the foreground colour, or `nil` for the default.
    public var foreground: UInt8?
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool

    /// - Parameters:
    ///   - foreground: palette index, or `nil` for the terminal default.
    ///   - bold, dim, reverse, underline: the attributes curses can draw on
    ///     nearly every terminal.
    public init(foreground: UInt8? = nil, bold: Bool = false, dim: Bool = false,
                reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    /// The terminal's default look.
    public static let plain = Style()

    public static func color(_ index: UInt8) -> Style { Style(foreground: index) }

    public var withBold: Style { var s = self; s.bold = true; return s }
    public var withReverse: Style { var s = self; s.reverse = true; return s }
}

/// Names for the ANSI palette entries the tutor draws with, so call sites read
/// `Style.color(PaletteColor.cyan)` instead of a bare 6.
public enum PaletteColor {
    public static let red: UInt8 = 1
    public static let green: UInt8 = 2
    public static let yellow: UInt8 = 3
    public static let blue: UInt8 = 4
    public static let magenta: UInt8 = 5
    public static let cyan: UInt8 = 6
    public static let white: UInt8 = 7

    /// One colour per compared run, chosen to stay distinguishable on both
    /// dark and light backgrounds (no black/white, red kept for last because
    /// it reads as "error").
    public static let runs: [UInt8] = [cyan, yellow, magenta, green, blue, red]

    /// The colour of the `index`-th run, cycling when there are more runs
    /// than colours.
    public static func run(_ index: Int) -> UInt8 { runs[((index % runs.count) + runs.count) % runs.count] }
}
