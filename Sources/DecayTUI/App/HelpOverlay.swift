import TerminalUI
/// The `?` overlay: every key, in a box over the current screen.
enum HelpOverlay {
    static func lines(unicode: Bool) -> [(String, String)] {
        let lr = unicode ? "← → / h l" : "left right / h l"
        let ud = unicode ? "↑ ↓ / Tab" : "up down / Tab"
        return [
            (lr, "change the focused control (λ, lr, p…)"),
            (ud, "pick the control"),
            ("Enter / t", "toggle the focused group's decay"),
            ("W B N E", "toggle decay of weights, biases, norms, embeddings"),
            ("space", "pause / resume training"),
            (".", "one training step (pauses)"),
            ("r", "restart the runs (keeps your settings)"),
            ("n / PgDn", "next step"),
            ("p / PgUp", "previous step"),
            ("j k / wheel", "scroll the prose"),
            ("g", "cycle the norm chart's parameter group"),
            ("c", "show the next charts (when not all fit)"),
            ("1 2 3 …", "answer a question"),
            ("Esc / m", "back to the lesson menu"),
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
        let rect = Rect(x: (grid.width - width) / 2, y: (grid.height - height) / 2, width: width, height: height)
        grid.fill(rect, with: " ")
        grid.box(rect, glyphs: theme.glyphs, style: theme.accent, title: " Keys ")
        for (i, (key, text)) in entries.prefix(height - 4).enumerated() {
            let y = rect.y + 2 + i
            grid.put(key, x: rect.x + 2, y: y, style: theme.focus)
            grid.put(text, x: rect.x + 4 + keyWidth, y: y, clip: Rect(x: rect.x + 1, y: y, width: width - 2, height: 1))
        }
    }
}
