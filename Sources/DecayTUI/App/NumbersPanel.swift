import TerminalUI
import DecayEngine
import DecayLessons
import Foundation

/// Each run's latest numbers in a small table under the charts: the
/// smoothed training loss, the validation loss and accuracy, the penalty
/// and ‖·‖ per parameter group — the figures the prose quotes, readable
/// without estimating them off a log axis.
struct NumbersPanel {
    let state: TutorState
    let training: TrainingSnapshot
    let theme: Theme

    var view: StepView { StepView(state: state, training: training, theme: theme) }

    /// The column heads, in order; a column is left out when no run has it.
    func columns() -> [(head: String, value: (TrainingSnapshot.RunState, [ChartPoint]) -> String?)] {
        var out: [(String, (TrainingSnapshot.RunState, [ChartPoint]) -> String?)] = []
        let trainHead = training.runs.first.map { view.trainLossCurve($0.entries).label } ?? "train"
        out.append((trainHead, { _, curve in curve.last(where: { $0.y.isFinite }).map { Self.number($0.y) } }))
        out.append(("val loss", { run, _ in run.entries.last(where: { !$0.validationLoss.isNaN }).map { Self.number(Double($0.validationLoss)) } }))
        if training.runs.contains(where: { $0.entries.last(where: \.isEvaluationPoint)?.trainAccuracy != nil }) {
            out.append(("train acc", { run, _ in
                run.entries.last(where: { $0.trainAccuracy != nil }).flatMap { $0.trainAccuracy }.map { String(format: "%.1f%%", Double($0) * 100) }
            }))
        }
        if training.runs.contains(where: { $0.entries.last?.validationAccuracy != nil }) {
            out.append(("val acc", { run, _ in
                run.entries.last(where: { $0.validationAccuracy != nil }).flatMap { $0.validationAccuracy }.map { String(format: "%.1f%%", Double($0) * 100) }
            }))
        }
        out.append((theme.text("penalty (λ/2)‖w‖²"), { run, _ in run.entries.last.map { Self.number(Double($0.penalty)) } }))
        let bars = theme.unicode ? "‖" : "|"
        for g in training.groups {
            out.append(("\(bars)\(g.rawValue)\(bars)", { run, _ in run.entries.last?.norms[g].map { Self.number(Double($0)) } }))
        }
        if training.runs.contains(where: { $0.entries.last?.layerNorms != nil }) {
            out.append((theme.text("‖γ‖ gains"), { run, _ in run.entries.last?.layerNorms.map { Self.number(Double($0.gains)) } }))
            out.append((theme.text("‖β‖ shifts"), { run, _ in run.entries.last?.layerNorms.map { Self.number(Double($0.shifts)) } }))
        }
        if training.runs.contains(where: { $0.entries.last?.embeddingRows != nil }) {
            out.append(("frequent rows", { run, _ in run.entries.last?.embeddingRows.map { Self.number(Double($0.frequent)) } }))
            out.append(("rare rows", { run, _ in run.entries.last?.embeddingRows.map { Self.number(Double($0.rare)) } }))
        }
        return out
    }

    static func number(_ v: Double) -> String {
        let a = abs(v)
        if a == 0 { return "0" }
        if a < 1e-3 || a >= 1e5 { return String(format: "%.2e", v) }
        return String(format: "%.4g", v)
    }

    /// Rows needed: a heading, one per run.
    var height: Int { training.runs.count + 1 }

    func draw(_ grid: inout CellGrid, _ rect: Rect) {
        guard rect.height >= 2, rect.width >= 20 else { return }
        let cols = columns()
        let names = training.runs.map { theme.text($0.name) }
        let nameWidth = min(16, max(3, names.map { CharacterWidth.of($0) }.max() ?? 3))
        let smooth = training.runs.map { view.trainLossCurve($0.entries).points }
        var cells: [[String]] = []
        for (i, run) in training.runs.enumerated() {
            cells.append(cols.map { $0.value(run, smooth[i]) ?? "-" })
        }
        let widths = cols.indices.map { c in max(CharacterWidth.of(cols[c].head), cells.map { CharacterWidth.of($0[c]) }.max() ?? 0) }
        var x = rect.x + nameWidth + 2
        for (c, col) in cols.enumerated() {
            guard x + widths[c] <= rect.maxX else { break }
            grid.putRightAligned(col.head, rightEdge: x + widths[c], y: rect.y, style: Style(bold: true), clip: rect)
            for r in cells.indices where rect.y + 1 + r < rect.maxY {
                grid.putRightAligned(cells[r][c], rightEdge: x + widths[c], y: rect.y + 1 + r, clip: rect)
            }
            x += widths[c] + 2
        }
        for (r, name) in names.enumerated() where rect.y + 1 + r < rect.maxY {
            var nx = grid.put(String(theme.runMarker(r)), x: rect.x, y: rect.y + 1 + r,
                              style: Style(foreground: theme.runColor(r), bold: true), clip: rect)
            nx = grid.put(" ", x: nx, y: rect.y + 1 + r, clip: rect)
            grid.put(name, x: nx, y: rect.y + 1 + r, style: Style(foreground: theme.runColor(r)),
                     clip: Rect(x: rect.x, y: rect.y + 1 + r, width: nameWidth + 2, height: 1))
        }
    }
}
