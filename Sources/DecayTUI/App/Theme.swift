import TerminalUI

/// Styles and glyphs for this terminal (colour or not, Unicode or not).
struct Theme {
    let glyphs: Glyphs
    let colors: Bool
    let unicode: Bool
    let header: Style
    let status: Style
    let focus: Style
    let dim: Style
    let good: Style
    let bad: Style
    let accent: Style
    let prose: ProseTheme

    init(_ state: TutorState) {
        unicode = state.unicode
        glyphs = state.unicode ? .unicode : .ascii
        colors = state.colors > 0
        header = Style(reverse: true)
        status = Style(reverse: true)
        focus = colors ? Style(foreground: PaletteColor.yellow, bold: true) : Style(bold: true, reverse: true)
        dim = Style(dim: true)
        good = colors ? Style(foreground: PaletteColor.green, bold: true) : Style(bold: true)
        bad = colors ? Style(foreground: PaletteColor.red, bold: true) : Style(bold: true, underline: true)
        accent = colors ? Style(foreground: PaletteColor.cyan) : Style(bold: true)
        prose = colors ? .standard : .monochrome
    }

    func runColor(_ i: Int) -> UInt8? { colors ? PaletteColor.run(i) : nil }

    /// Each run's own glyph, along its lines and in the legend.
    func runMarker(_ i: Int) -> Character {
        let set = unicode ? Self.unicodeMarkers : Self.asciiMarkers
        return set[((i % set.count) + set.count) % set.count]
    }

    static let unicodeMarkers: [Character] = ["●", "■", "▲", "◆", "○", "□", "△", "◇"]
    static let asciiMarkers: [Character] = ["o", "#", "@", "%", "&", "$", "=", "+"]

    /// A series' look when a chart has more series than glyphs: the glyph
    /// cycles and the line turns dashed for the second round, so up to 16
    /// series on one chart stay distinct without colour.
    func seriesLook(_ id: Int) -> (marker: Character, role: SeriesRole) {
        (runMarker(id), (id / Self.unicodeMarkers.count) % 2 == 0 ? .training : .validation)
    }

    /// Text in this terminal's spelling (`λ` or `lambda`), for strings whose
    /// width matters before they reach the grid.
    func text(_ s: String) -> String { unicode ? s : AsciiSpelling.spell(s) }
    /// Markdown spelled for this terminal, its emphasis left as the author wrote it.
    func markdown(_ s: String) -> String { unicode ? s : AsciiSpelling.spellMarkdown(s) }

    var check: String { unicode ? "✓" : "*" }
    var cross: String { unicode ? "✗" : "x" }
    var bar: String { unicode ? " │ " : " | " }
    var arrows: String { unicode ? "←/→" : "left/right" }
    var lambda: String { unicode ? "λ" : "lambda" }
}

extension CellGrid {
    /// A full-width bar with left and right text, the right side kept whole.
    mutating func bar(y: Int, left: String, right: String, style: Style) {
        fill(Rect(x: 0, y: y, width: width, height: 1), with: " ", style: style)
        let rightWidth = CharacterWidth.of(right)
        let room = max(0, width - rightWidth - 2)
        put(" " + left, x: 0, y: y, style: style, clip: Rect(x: 0, y: y, width: room, height: 1))
        if rightWidth + 1 < width { putRightAligned(right + " ", rightEdge: width, y: y, style: style) }
    }
}
