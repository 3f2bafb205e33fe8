import TerminalUI
import DecayLessons

/// The lesson menu: titles, step counts, progress marks, the selected
/// lesson's summary, and any lesson files that failed to load.
enum MenuView {

    static func draw(_ grid: inout CellGrid, _ state: TutorState, _ theme: Theme) {
        let w = grid.width, h = grid.height
        grid.bar(y: 0, left: "decay-tutor \(theme.unicode ? "—" : "-") weight decay, hands on",
                 right: "\(state.lessons.count) lessons", style: theme.header)
        var y = 2
        if state.lessons.isEmpty {
            grid.put("No lessons could be loaded.", x: 2, y: y, style: theme.bad)
            y += 2
        }
        let listRows = max(0, h - 6 - min(state.loadErrors.count, 4) - 4)
        let first = max(0, min(state.menuSelection - listRows + 1, state.lessons.count - listRows))
        for (i, lesson) in state.lessons.enumerated().dropFirst(first).prefix(listRows) {
            let selected = i == state.menuSelection
            let done = state.finishedCount(lesson: i)
            let mark = state.isFinished(lesson: i) ? theme.check : done > 0 ? (theme.unicode ? "…" : "~") : " "
            let count = done > 0 && done < lesson.steps.count
                ? "\(done)/\(lesson.steps.count) steps" : "\(lesson.steps.count) step\(lesson.steps.count == 1 ? "" : "s")"
            let style = selected ? theme.focus : Style.plain
            grid.put(selected ? (theme.unicode ? "▸" : ">") : " ", x: 1, y: y, style: style)
            grid.put(mark, x: 3, y: y, style: state.isFinished(lesson: i) ? theme.good : theme.dim)
            // Numbers right-aligned, so the titles of 10 and on start where those of 1–9 do.
            let number = String(i + 1), digits = String(state.lessons.count).count
            let entry = String(repeating: " ", count: max(0, digits - number.count)) + "\(number). \(lesson.title)"
            grid.put(entry, x: 5, y: y, style: style, clip: Rect(x: 5, y: y, width: w - 30, height: 1))
            grid.putRightAligned(count, rightEdge: w - 2, y: y, style: theme.dim)
            let total = max(lesson.steps.count, 1)
            let bar = String(repeating: theme.glyphs.barFull, count: done * 8 / total)
                + String(repeating: theme.glyphs.barEmpty, count: 8 - done * 8 / total)
            grid.putRightAligned(bar, rightEdge: w - 2 - 12, y: y, style: done >= total ? theme.good : theme.dim)
            y += 1
        }
        y += 1
        if state.lessons.indices.contains(state.menuSelection) {
            let lesson = state.lessons[state.menuSelection]
            if let summary = lesson.summary, y < h - 3 {
                var prose = ProseView(markdown: theme.markdown(summary), theme: theme.prose, glyphs: theme.glyphs)
                let rows = min(3, h - 3 - y)
                prose.render(into: &grid, in: Rect(x: 3, y: y, width: w - 6, height: rows))
                y += rows + 1
            }
        }
        if !state.loadErrors.isEmpty, y < h - 2 {
            grid.put("Lesson files with errors (the others work):", x: 2, y: y, style: theme.bad)
            y += 1
            for e in state.loadErrors.prefix(max(0, min(4, h - 2 - y))) {
                grid.put(e, x: 3, y: y, style: theme.dim, clip: Rect(x: 3, y: y, width: w - 4, height: 1))
                y += 1
            }
        }
        let keys = theme.unicode ? "↑/↓ choose · Enter open · ? help · q quit" : "up/down choose - Enter open - ? help - q quit"
        grid.bar(y: h - 1, left: state.notice ?? "Pick a lesson", right: keys, style: theme.status)
    }
}
