/// The styles prose is drawn in. `standard` uses colour for code; the
/// `monochrome` theme (no colour, `NO_COLOR`) uses reverse video instead,
/// so that code stays distinct from prose either way.
public struct ProseTheme: Hashable, Sendable {
    public var body: Style
    public var strong: Style
    /// `*italic*`: terminals' italics are unreliable, underline is not.
    public var emphasis: Style
    public var code: Style
    public var codeBlock: Style
    public var headings: [Style]          // level 1, 2, 3+
    public var quote: Style
    public var listMarker: Style

    public static let standard = ProseTheme(
        body: .plain,
        strong: Style(bold: true),
        emphasis: Style(underline: true),
        code: Style(foreground: PaletteColor.cyan),
        codeBlock: Style(foreground: PaletteColor.cyan),
        headings: [Style(bold: true, underline: true), Style(bold: true), Style(bold: true, dim: true)],
        quote: Style(dim: true),
        listMarker: Style(foreground: PaletteColor.yellow))

    public static let monochrome = ProseTheme(
        body: .plain,
        strong: Style(bold: true),
        emphasis: Style(underline: true),
        code: Style(reverse: true),
        codeBlock: Style(dim: true),
        headings: [Style(bold: true, underline: true), Style(bold: true), Style(bold: true, dim: true)],
        quote: Style(dim: true),
        listMarker: Style(bold: true))

    /// The theme for a terminal with `colors` palette entries.
    public static func forColors(_ colors: Int) -> ProseTheme { colors > 0 ? .standard : .monochrome }

    func heading(_ level: Int) -> Style { headings[min(max(level, 1), headings.count) - 1] }
}
