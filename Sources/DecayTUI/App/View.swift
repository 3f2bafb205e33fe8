import DecayEngine
import DecayLessons
import Foundation

/// Draws a model into a grid. Reads the open step's training state from the
/// session but changes nothing the learner can see (the only mutation is
/// the session's layout caches).
public enum View {
    public static func render(_ model: Model, session: StepSession?) -> CellGrid {
        let w = model.size.width, h = model.size.height
        var grid = CellGrid(width: max(w, 0), height: max(h, 0))
        guard w >= StepLayout.minimumWidth, h >= StepLayout.minimumHeight else {
            tooSmall(&grid, model)
            return grid
        }
        let theme = Theme(model)
        switch model.screen {
        case .menu: MenuView.draw(&grid, model, theme)
        case .step:
            if let session { StepView.draw(&grid, model, session, theme) } else { MenuView.draw(&grid, model, theme) }
        }
        if model.showHelp { HelpOverlay.draw(&grid, model, theme) }
        return grid
    }

    static func tooSmall(_ grid: inout CellGrid, _ model: Model) {
        let lines = [
            "decay-tutor needs at least \(StepLayout.minimumWidth)×\(StepLayout.minimumHeight);",
            "this terminal is \(model.size.width)×\(model.size.height).",
            "Enlarge it, or press q to quit.",
        ]
        for (i, line) in lines.enumerated() where i < grid.height {
            grid.put(line, x: 0, y: i, style: i == 0 ? Style(bold: true) : .plain)
        }
    }
}

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

    init(_ model: Model) {
        unicode = model.unicode
        glyphs = model.unicode ? .unicode : .ascii
        colors = model.colors > 0
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
    var check: String { unicode ? "✓" : "*" }
    var cross: String { unicode ? "✗" : "x" }
    var bar: String { unicode ? " │ " : " | " }
    var arrows: String { unicode ? "←/→" : "left/right" }
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
