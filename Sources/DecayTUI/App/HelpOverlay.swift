import TerminalUI
/// The `?` overlay: every key, in a box over the current screen.
enum HelpOverlay {
    static func lines(unicode: Bool) -> [(String, String)] {
        let lr = unicode ? "← → / h l" : "left right / h l"
        let ud = unicode ? "↑ ↓ / Tab" : "up down / Tab"
        return [
            (lr, unicode ? "change the focused control (λ, lr, p…)" : "change the focused control (lambda, lr, p...)"),
            ("[ ]", "the focused control a decade down / up"),
            (ud, "pick the control"),
            ("Enter t, W B N E", "toggle decay of the focused / a named group"),
            ("space  .", "pause or resume; one training step"),
            ("+ -  f", "train twice / half as fast; finish the planned steps now"),
            ("r", "restart the runs (after a divergence: the step's own settings)"),
            ("n p / PgDn PgUp", "next / previous step"),
            ("1 2 3 ...", "answer a question (try again after a wrong answer)"),
            ("i", "show or hide the goal's hint"),
            ("x", "export the step with your settings (PyTorch script)"),
            ("j k / wheel", "scroll the prose"),
            ("g  c", "cycle the norm chart's group; show the next charts"),
            ("Esc m", "back to the lesson menu"),
            ("?", "this help (any key closes it)"),
            ("q / Ctrl-C", "quit (progress is saved)"),
        ]
    }

    static func draw(_ grid: inout CellGrid, _ state: TutorState, _ theme: Theme) {
        let entries = lines(unicode: theme.unicode)
        let keyWidth = entries.map { CharacterWidth.of($0.0) }.max() ?? 0
        let textWidth = entries.map { CharacterWidth.of($0.1) }.max() ?? 0
        let width = min(grid.width - 2, keyWidth + textWidth + 7)
        let height = min(grid.height - 2, entries.count + 4)
        // Too short for every line: two columns of keys would not fit either,
        // so the overlay says how many it could not show.
        let rect = Rect(x: (grid.width - width) / 2, y: (grid.height - height) / 2, width: width, height: height)
        grid.fill(rect, with: " ")
        grid.box(rect, glyphs: theme.glyphs, style: theme.accent, title: " Keys ")
        if entries.count > height - 4 {
            grid.put(" \(entries.count - (height - 4)) more: enlarge the window ", x: rect.x + 2, y: rect.maxY - 1, style: theme.dim)
        }
        for (i, (key, text)) in entries.prefix(height - 4).enumerated() {
            let y = rect.y + 2 + i
            grid.put(key, x: rect.x + 2, y: y, style: theme.focus)
            grid.put(text, x: rect.x + 4 + keyWidth, y: y, clip: Rect(x: rect.x + 1, y: y, width: width - 2, height: 1))
        }
    }
}
