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

    /// The training-loss column's head: the label of the curve it reads.
    var trainHead: String { training.runs.first.map { view.trainLossCurve($0.entries).label } ?? "train" }

    /// The column heads, in order; a column is left out when no run has it.
    func columns() -> [(head: String, value: (TrainingSnapshot.RunState, [ChartPoint]) -> String?)] {
        var out: [(String, (TrainingSnapshot.RunState, [ChartPoint]) -> String?)] = []
        out.append((trainHead, { _, curve in curve.last(where: { $0.y.isFinite }).map { Self.number($0.y) } }))
        out.append(("val loss", { run, _ in run.entries.last(where: { !$0.validationLoss.isNaN }).map { Self.number(Double($0.validationLoss)) } }))
        if training.runs.contains(where: { $0.entries.last(where: \.isEvaluationPoint)?.trainAccuracy != nil }) {
            out.append(("train acc", { run, _ in
                run.entries.last(where: { $0.trainAccuracy != nil }).flatMap { $0.trainAccuracy }.map { String(format: "%.1f%%", Double($0) * 100) }
            }))
        }
        if training.runs.contains(where: { $0.entries.last(where: \.isEvaluationPoint)?.validationAccuracy != nil }) {
            out.append(("val acc", { run, _ in
                run.entries.last(where: { $0.validationAccuracy != nil }).flatMap { $0.validationAccuracy }.map { String(format: "%.1f%%", Double($0) * 100) }
            }))
        }
        out.append((theme.text("penalty (λ/2)‖w‖²"), { run, _ in run.entries.last.map { Self.number(Double($0.penalty)) } }))
        if training.runs.contains(where: { $0.entries.last?.layerNorms != nil }) {
            out.append((theme.text("‖γ‖ gains"), { run, _ in run.entries.last?.layerNorms.map { Self.number(Double($0.gains)) } }))
            out.append((theme.text("‖β‖ shifts"), { run, _ in run.entries.last?.layerNorms.map { Self.number(Double($0.shifts)) } }))
        }
        if training.runs.contains(where: { $0.entries.last?.embeddingRows != nil }) {
            out.append(("frequent rows", { run, _ in run.entries.last?.embeddingRows.map { Self.number(Double($0.frequent)) } }))
            out.append(("rare rows", { run, _ in run.entries.last?.embeddingRows.map { Self.number(Double($0.rare)) } }))
        }
        // The groups' norms last: where the table is too narrow, the probes
        // (gains, rows) a lesson argues from stay and the widest groups go.
        let bars = theme.unicode ? "‖" : "|"
        for g in training.groups {
            out.append(("\(bars)\(g.rawValue)\(bars)", { run, _ in run.entries.last?.norms[g].map { Self.number(Double($0)) } }))
        }
        return out
    }

    static func number(_ v: Double) -> String {
        let a = abs(v)
        if a == 0 { return "0" }
        if a < 1e-3 || a >= 1e5 { return String(format: "%.2e", v) }
        return String(format: "%.4g", v)
    }

    /// Rows needed: a heading, one per run, and one more under each run at
    /// several seeds (its min–max).
    var height: Int { training.runs.count + training.runs.filter(\.isBanded).count + 1 }

    /// One table row: a run (its median, when banded) or a banded run's spread.
    struct Row {
        var name: String
        var run: Int
        var cells: [String]
        var spread: Bool
    }

    func rows(_ cols: [(head: String, value: (TrainingSnapshot.RunState, [ChartPoint]) -> String?)]) -> [Row] {
        var out: [Row] = []
        for (i, run) in training.runs.enumerated() {
            func cells(_ r: TrainingSnapshot.RunState) -> [String] {
                let smooth = view.trainLossCurve(r.entries).points
                return cols.map { $0.value(r, smooth) ?? "-" }
            }
            let name = theme.text(run.isBanded ? "\(run.name), median" : run.name)
            out.append(Row(name: name, run: i, cells: cells(run), spread: false))
            guard run.isBanded else { continue }
            var low = run, high = run
            low.entries = run.low
            high.entries = run.high
            let dash = theme.unicode ? "–" : "-"
            let spread = zip(cells(low), cells(high)).map { $0 == "-" || $1 == "-" ? "-" : "\($0)\(dash)\($1)" }
            out.append(Row(name: "  min\(dash)max, \(run.seedCount) seeds", run: i, cells: spread, spread: true))
        }
        return out
    }

    /// The column heads to leave out first when the table is wider than
    /// its room, least telling first: the penalty and shifts unless the step
    /// charts them, ‖norms‖ (gains and shifts mixed) where gains have their
    /// own column, ‖biases‖, accuracy and the embedding rows unless charted;
    /// then, where the norms chart draws another group, the gains and weights;
    /// last, the losses of a step that charts accuracy and not them.
    func dropOrder() -> [String] {
        let charts = state.step?.charts ?? []
        let bars = theme.unicode ? "‖" : "|"
        var out: [String] = []
        if !charts.contains(.penalty) { out.append(theme.text("penalty (λ/2)‖w‖²")) }
        if !charts.contains(.shifts) { out.append(theme.text("‖β‖ shifts")) }
        out += ["\(bars)norms\(bars)", "\(bars)biases\(bars)"]
        if !charts.contains(.accuracy) { out += ["train acc", "val acc"] }
        if !charts.contains(.rows) { out += ["frequent rows", "rare rows"] }
        // A norms chart that draws one group other than the weights (the one
        // decayed group of the step) keeps that group's column: the weights'
        // and the uncharted gains' go before it is cut.
        if let g = state.normGroup, g != .weights, charts.contains(.norms) {
            if !charts.contains(.gains) { out.append(theme.text("‖γ‖ gains")) }
            out.append("\(bars)weights\(bars)")
        }
        // A step that charts accuracy and not the losses argues in accuracy:
        // last of all, its loss columns go before its accuracy ones would be cut.
        if charts.contains(.accuracy), !charts.contains(.loss) {
            out += [trainHead, "val loss"]
        }
        return out
    }

    /// The columns that fit `width` after the name column, dropping by `dropOrder`.
    func fitting(_ cols: [(head: String, value: (TrainingSnapshot.RunState, [ChartPoint]) -> String?)],
                 width: Int) -> [(head: String, value: (TrainingSnapshot.RunState, [ChartPoint]) -> String?)] {
        var cols = cols
        func needed() -> Int {
            let table = rows(cols)
            let nameWidth = min(16, max(3, table.map { CharacterWidth.of($0.name) }.max() ?? 3))
            return nameWidth + 2 + cols.indices.map { c in
                max(CharacterWidth.of(cols[c].head), table.map { CharacterWidth.of($0.cells[c]) }.max() ?? 0) + 2
            }.reduce(0, +) - 2
        }
        for head in dropOrder() where needed() > width {
            cols.removeAll { $0.head == head }
        }
        return cols
    }

    func draw(_ grid: inout CellGrid, _ rect: Rect) {
        guard rect.height >= 2, rect.width >= 20 else { return }
        let cols = fitting(columns(), width: rect.width)
        let table = rows(cols)
        let nameWidth = min(16, max(3, table.map { CharacterWidth.of($0.name) }.max() ?? 3))
        let widths = cols.indices.map { c in max(CharacterWidth.of(cols[c].head), table.map { CharacterWidth.of($0.cells[c]) }.max() ?? 0) }
        var x = rect.x + nameWidth + 2
        for (c, col) in cols.enumerated() {
            guard x + widths[c] <= rect.maxX else { break }
            grid.putRightAligned(col.head, rightEdge: x + widths[c], y: rect.y, style: Style(bold: true), clip: rect)
            for (r, row) in table.enumerated() where rect.y + 1 + r < rect.maxY {
                grid.putRightAligned(row.cells[c], rightEdge: x + widths[c], y: rect.y + 1 + r,
                                     style: row.spread ? theme.dim : .plain, clip: rect)
            }
            x += widths[c] + 2
        }
        for (r, row) in table.enumerated() where rect.y + 1 + r < rect.maxY {
            let y = rect.y + 1 + r
            var nx = rect.x
            if !row.spread {
                nx = grid.put(String(theme.runMarker(row.run)), x: rect.x, y: y,
                              style: Style(foreground: theme.runColor(row.run), bold: true), clip: rect)
                nx = grid.put(" ", x: nx, y: y, clip: rect)
            }
            grid.put(row.name, x: nx, y: y, style: row.spread ? theme.dim : Style(foreground: theme.runColor(row.run)),
                     clip: Rect(x: rect.x, y: y, width: nameWidth + 2, height: 1))
        }
    }
}
