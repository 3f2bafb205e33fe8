import TerminalUI
import DecayEngine
import DecayLessons
import Foundation
import TextSupport

/// Each run's latest numbers in a small table under the charts: the
/// smoothed training loss, the validation loss and accuracy, the penalty
/// and ‖·‖ per parameter group — the figures the prose quotes, readable
/// without estimating them off a log axis.
struct NumbersPanel {
    let state: TutorState
    let training: TrainingSnapshot
    let theme: Theme

    var view: StepView { StepView(state: state, training: training, theme: theme) }

    /// The columns, in metric order: every metric with a column that some
    /// run records (or derives).
    func columns() -> [NumbersColumn] {
        var metrics: [Metric] = []
        for run in training.runs {
            for m in run.entries.layout.scope?.metrics ?? run.entries.layout.metrics where !metrics.contains(m) {
                metrics.append(m)
            }
        }
        metrics.sort { ($0.kind.order, $0.index) < ($1.kind.order, $1.index) }
        return metrics.compactMap { m in
            guard var column = NumbersColumn.of(m, theme: theme) else { return nil }
            // Until the first run has measured it, a stand-in column says it shows the stand-in.
            if column.standIn != nil, let first = training.runs.first, first.entries.latest(m) == nil {
                column.head = view.trainLossCurve(first.entries).label
            }
            return column
        }
    }

    static func number(_ v: Double) -> String {
        let a = abs(v)
        if a == 0 { return "0" }
        if a < 1e-3 || a >= 1e5 { return PrintfNumber.format("%.2e", v) }
        return PrintfNumber.format("%.4g", v)
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

        /// The row with only the cells of the columns `kept`.
        func keeping(_ kept: [Int]) -> Row {
            Row(name: name, run: run, cells: kept.map { cells[$0] }, spread: spread)
        }
    }

    func rows(_ cols: [NumbersColumn]) -> [Row] {
        var out: [Row] = []
        let view = self.view
        for (i, run) in training.runs.enumerated() {
            func cells(_ entries: History) -> [String] {
                cols.map { $0.value(entries, smoothed: view.smoothed) ?? "-" }
            }
            let name = theme.text(run.isBanded ? "\(run.name), median" : run.name)
            out.append(Row(name: name, run: i, cells: cells(run.entries), spread: false))
            guard run.isBanded else { continue }
            let spread = zip(cells(run.low), cells(run.high)).map { $0 == "-" || $1 == "-" ? "-" : "\($0)\(dash)\($1)" }
            out.append(Row(name: "min\(dash)max, \(run.seedCount) seeds", run: i, cells: spread, spread: true))
        }
        return out
    }

    private var dash: String { theme.unicode ? "–" : "-" }
    private var ellipsis: String { theme.unicode ? "…" : ".." }

    /// The names as drawn in a column `width` wide: run names fitted by
    /// `RunNameFit` (so a number is never cut and two runs never read the
    /// same), and a spread row's label in the longest form that fits.
    func names(_ table: [Row], width: Int) -> [String] {
        var fitted = RunNameFit.fit(table.filter { !$0.spread }.map(\.name), width: width, ellipsis: ellipsis).makeIterator()
        return table.map { row in
            guard row.spread else { return fitted.next() ?? row.name }
            let seeds = row.name.filter(\.isNumber)
            return ["min\(dash)max, \(seeds) seeds", "min\(dash)max of \(seeds)", "min\(dash)max"]
                .first { CharacterWidth.of($0) <= width } ?? "min\(dash)max"
        }
    }

    /// The narrowest name column the columns leave before they give way:
    /// wide enough that no run name hides a number that tells it from
    /// another, nor reads as another's, and wide enough for names (and the
    /// spread label) of up to 14 columns whole; but never more than 14, so
    /// long names shorten rather than push out a column.
    func nameRoom(_ table: [Row]) -> Int {
        let runNames = table.filter { !$0.spread }.map(\.name)
        let whole = max(runNames.map { CharacterWidth.of(RunNameFit.compacted($0)) }.max() ?? 3,
                        table.filter(\.spread).map { CharacterWidth.of($0.name) }.max() ?? 0)
        let least = max(min(whole, 14), table.contains(where: \.spread) ? CharacterWidth.of("min\(dash)max") : 3)
        for w in least...max(least, min(whole, 14)) where !RunNameFit.measured(runNames, width: w, ellipsis: ellipsis).hidesDifference {
            return w
        }
        return max(least, min(whole, 14))
    }

    /// Blanks between the names and the first column's values: two, less
    /// what the first column already leaves by being wider (its head) than
    /// its values, which it right-aligns.
    func gap(_ widths: [Int], _ table: [Row]) -> Int {
        guard let first = widths.first else { return 0 }
        let widest = table.map { CharacterWidth.of($0.cells[0]) }.max() ?? 0
        return max(0, 2 - (first - widest))
    }

    /// Columns wide: the marker and a space, the names, the gap, then the columns two apart.
    func tableWidth(names: Int, _ widths: [Int], _ table: [Row]) -> Int {
        2 + names + gap(widths, table) + widths.reduce(0, +) + 2 * max(0, widths.count - 1)
    }

    /// The longest name as it would be drawn whole: the most room the names want.
    func nameWant(_ table: [Row]) -> Int {
        max(3, table.filter { !$0.spread }.map { CharacterWidth.of($0.name) }.max() ?? 3,
            table.filter(\.spread).map { CharacterWidth.of($0.name) }.max() ?? 0)
    }

    /// Each column's width: its head's or its widest value's.
    func widths(_ cols: [NumbersColumn], _ table: [Row]) -> [Int] {
        cols.indices.map { c in max(CharacterWidth.of(cols[c].head), table.map { CharacterWidth.of($0.cells[c]) }.max() ?? 0) }
    }

    /// The columns that fit `width` beside names `room` wide (`nameRoom`,
    /// `tableWidth`), giving way by `dropTier` (lower tiers first, and within a
    /// tier in column order): the indices of those kept. `table` and `widths`
    /// are for all of `cols`; a column's cells and width do not depend on
    /// the others, so the table is formatted once, not once per column tried.
    func fitting(_ cols: [NumbersColumn], _ table: [Row], _ widths: [Int], room: Int, width: Int) -> [Int] {
        var keep = Array(cols.indices)
        func needed() -> Int {
            tableWidth(names: room, keep.map { widths[$0] }, table.map { $0.keeping(keep) })
        }
        let order = cols.enumerated().compactMap { c, col in dropTier(col).map { (tier: $0, column: c) } }
            .sorted { ($0.tier, $0.column) < ($1.tier, $1.column) }
        for drop in order where needed() > width {
            keep.removeAll { $0 == drop.column }
        }
        return keep
    }

    func draw(_ grid: inout CellGrid, _ rect: Rect) {
        guard rect.height >= 2, rect.width >= 20 else { return }
        let all = columns()
        let full = rows(all)
        let allWidths = widths(all, full)
        // The names' room depends on the names alone, not on the columns kept.
        let room = nameRoom(full)
        let keep = fitting(all, full, allWidths, room: room, width: rect.width)
        let cols = keep.map { all[$0] }
        let table = full.map { $0.keeping(keep) }
        let widths = keep.map { allWidths[$0] }
        // The names take what the columns leave, up to their full length.
        let left = rect.width - tableWidth(names: 0, widths, table)
        let nameWidth = min(nameWant(table), max(left, min(room, rect.width - 4)))
        let names = names(table, width: nameWidth)
        var x = rect.x + 2 + nameWidth + gap(widths, table)
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
            if !row.spread {
                grid.put(String(theme.runMarker(row.run)), x: rect.x, y: y,
                         style: Style(foreground: theme.runColor(row.run), bold: true), clip: rect)
            }
            grid.put(names[r], x: rect.x + 2, y: y, style: row.spread ? theme.dim : Style(foreground: theme.runColor(row.run)),
                     clip: Rect(x: rect.x + 2, y: y, width: nameWidth, height: 1))
        }
    }
}
