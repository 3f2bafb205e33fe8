import TerminalUI
import DecayEngine

/// The step screen's bottom line. The focused control's reading comes
/// first and `q quit` last, at any width; between them, in order of what
/// matters, the run state, a notice, the step, the rate, the pace and the
/// sweep — each dropped from the end when the line is full.
struct StatusBar {
    let state: TutorState
    let training: TrainingSnapshot
    let theme: Theme

    func draw(_ grid: inout CellGrid, morePanels: Bool) {
        let keys = (morePanels ? "c more  " : "") + (grid.width >= 100 ? "? help  q quit" : "? q quit")
        let room = grid.width - CharacterWidth.of(keys) - 3
        let message = longMessage(room: room)
        if let message { drawMessage(&grid, message) }
        grid.bar(y: grid.height - 1, left: line(room: room, messageAbove: message != nil), right: keys, style: theme.status)
    }

    /// The notice (or why a run diverged), when the status line has no room
    /// for it whole: it is drawn above the status line instead, wrapped.
    func longMessage(room: Int) -> String? {
        guard let text = divergence() ?? state.notice.map(theme.text) else { return nil }
        let reading = state.focusedControlText.map { CharacterWidth.of($0) + CharacterWidth.of(theme.bar) } ?? 0
        return CharacterWidth.of(text) + reading > room ? text : nil
    }

    /// A message of a few lines over the bottom of the screen, just above the
    /// status line, so a long notice (an export's path, why a control does
    /// nothing now) is read whole.
    func drawMessage(_ grid: inout CellGrid, _ text: String) {
        let width = grid.width - 2
        let rows = WrappedText.wrap(text, width: width, style: theme.status)
        let shown = Array(rows.prefix(max(1, min(4, grid.height / 4))))
        let top = grid.height - 1 - shown.count
        for (i, row) in shown.enumerated() {
            let rect = Rect(x: 0, y: top + i, width: grid.width, height: 1)
            grid.fill(rect, style: theme.status)
            row.render(into: &grid, x: 1, y: top + i, clip: Rect(x: 1, y: top + i, width: width, height: 1))
        }
    }

    /// The left part, fitted to `room` columns.
    func line(room: Int, messageAbove: Bool = false) -> String {
        var parts: [String] = []
        if let c = state.focusedControlText { parts.append(c) }
        let fixed = parts.count
        if messageAbove {
            // Said whole just above.
        } else if let d = divergence() {
            parts.append(d)
        } else if let notice = state.notice {
            parts.append(theme.text(notice))
        }
        parts.append(runState())
        parts.append("step \(training.step)")
        // A rate only while the runs train: a finished or paused step has none.
        if training.canTrain && !state.paused && !training.pacer.finishing {
            parts.append("\(Int(training.stepsPerSecond.rounded())) steps/s")
            parts.append("pace \(training.pacer.label(unicode: theme.unicode))")
        }
        if let sweep = training.sweep, !sweep.complete { parts.append("sweep \(sweep.cells.count)/\(sweep.cellCount)") }
        // Drop optional parts from the end until the line fits; then cut the
        // longest remaining text (a notice) rather than the reading.
        while parts.count > fixed + 1, CharacterWidth.of(parts.joined(separator: theme.bar)) > room { parts.removeLast() }
        var text = parts.joined(separator: theme.bar)
        if CharacterWidth.of(text) > room, room > 3 {
            text = String(text.prefix(room - 1)) + (theme.unicode ? "…" : "~")
        }
        return text
    }

    func runState() -> String {
        let diverged = training.diverged
        if !diverged.isEmpty && diverged.count == training.runs.count { return "diverged" }
        if state.paused { return "paused" }
        if !training.canTrain { return "finished (move a control, or r)" }
        if training.pacer.finishing { return "finishing" }
        return diverged.isEmpty ? "running" : "running (\(diverged.count) diverged)"
    }

    /// Why the curves stopped, when a run diverged: it outranks a notice.
    func divergence() -> String? {
        guard let run = training.diverged.first, case let .diverged(step, reason) = run.status else { return nil }
        return "\(run.name) diverged at step \(step) (\(reason)): lr too high for this \(theme.lambda)? r restarts"
    }
}
