import TerminalUI
import DecayEngine
import DecayLessons
import Foundation

/// Draws a state into a grid. Reads the open step's training state from the
/// session but changes nothing the learner can see (the only mutation is
/// the session's layout caches).
public enum View {
    public static func render(_ state: TutorState, session: StepSession?) -> CellGrid {
        let w = state.size.width, h = state.size.height
        var grid = CellGrid(width: max(w, 0), height: max(h, 0))
        guard w >= StepLayout.minimumWidth, h >= StepLayout.minimumHeight else {
            tooSmall(&grid, state)
            return grid
        }
        let theme = Theme(state)
        switch state.screen {
        case .menu: MenuView.draw(&grid, state, theme)
        case .step:
            if let session { StepView.draw(&grid, state, session, theme) } else { MenuView.draw(&grid, state, theme) }
        }
        if state.showHelp { HelpOverlay.draw(&grid, state, theme) }
        return grid
    }

    static func tooSmall(_ grid: inout CellGrid, _ state: TutorState) {
        let lines = [
            "decay-tutor needs at least \(StepLayout.minimumWidth)×\(StepLayout.minimumHeight);",
            "this terminal is \(state.size.width)×\(state.size.height).",
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
