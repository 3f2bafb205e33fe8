/// A legend item: a sample of the line's look and what it stands for.
public struct LegendEntry: Hashable, Sendable {
    public var sample: String
    public var label: String
    public var style: Style
    public init(sample: String, label: String, style: Style) {
        self.sample = sample
        self.label = label
        self.style = style
    }

    /// The legend sample for a line: three cells of what the chart draws.
    /// In braille a horizontal line is dots 3+6 (⠤) in every cell; dashed
    /// ("2 dots on, 2 off") leaves every other cell empty.
    /// With a marker, two cells of line and the series' glyph.
    public static func sample(for pattern: LinePattern, glyphs: Glyphs, marker: Character? = nil) -> String {
        let line: String
        switch (pattern, glyphs.braille) {
        case (.solid, true): line = "⠤⠤⠤"
        case (.dashed, true): line = "⠤ ⠤"
        case (.solid, false): line = "---"
        case (.dashed, false): line = "..."
        case (.band, true): line = "⠅⠅⠅"
        case (.band, false): line = "'''"
        }
        guard let marker else { return line }
        return String(line.prefix(2)) + String(marker)
    }

    /// Cells it takes in a legend row: the sample, a space, the label.
    var cells: Int { CharacterWidth.of(sample) + 1 + CharacterWidth.of(label) }
}

/// The parts every x/y chart shares: title, y labels and axis, x axis with
/// ticks and labels, and the legend. It lays them out in a rectangle and
/// hands back where the canvas goes; `LineChart` and `FunctionPlot` only
/// decide what to plot.
struct ChartFrame {
    var title: String?
    var legend: [LegendEntry]
    var xAxisLabel: String?
    var glyphs: Glyphs
    var axisStyle = Style(dim: true)

    /// The smallest plot that still says something.
    static let minimumPlotSize = (width: 8, height: 2)

    /// The legend wraps onto as many rows as it needs, up to `maxLegendRows`
    /// (fewer on a short chart, which keeps two thirds of its height for the
    /// plot). Every entry is shown, or the last row ends by saying how many
    /// are not: "+ 5 more".
    var maxLegendRows = 4

    /// Rows taken by the legend at this width, at most `rowLimit` of them
    /// (`maxLegendRows` if larger or nil).
    func legendRows(width: Int, rowLimit: Int? = nil) -> [[LegendEntry]] {
        let limit = max(1, min(maxLegendRows, rowLimit ?? maxLegendRows))
        var rows: [[LegendEntry]] = [[]]
        var used = 0
        for (index, entry) in legend.enumerated() {
            let w = entry.cells
            let gap = rows[rows.count - 1].isEmpty ? 0 : 3
            if used + gap + w > width, !rows[rows.count - 1].isEmpty {
                if rows.count == limit {
                    rows[rows.count - 1] = Self.endingWithMore(rows[rows.count - 1], hidden: legend.count - index,
                                                               width: width)
                    break
                }
                rows.append([])
                used = 0
            }
            rows[rows.count - 1].append(entry)
            used += (rows[rows.count - 1].count == 1 ? 0 : 3) + w
        }
        return rows[0].isEmpty ? [] : rows
    }

    /// `row` with "+ N more" at its end, where N counts `hidden` and the
    /// entries taken off the row to make room for it (all of them, on a
    /// chart too narrow for one entry and the count).
    static func endingWithMore(_ row: [LegendEntry], hidden: Int, width: Int) -> [LegendEntry] {
        var kept = row
        var count = hidden
        while true {
            let more = LegendEntry(sample: "+", label: "\(count) more", style: .plain)
            let used = kept.map(\.cells).reduce(0, +) + 3 * kept.count + more.cells
            if used <= width || kept.isEmpty { return kept + [more] }
            kept.removeLast()
            count += 1
        }
    }

    /// The geometry decided by `layout`.
    struct Layout {
        var titleRow: Int?
        var plot: Rect
        var labelColumn: Rect
        var axisColumn: Int
        var xAxisRow: Int
        var xLabelRow: Int
        var legendTop: Int
        var legendRows: [[LegendEntry]]
    }

    /// Splits `rect`; `yLabelWidth` is asked with the number of plot rows
    /// (the tick labels depend on how many rows there are).
    func layout(in rect: Rect, yLabelWidth: (Int) -> Int) -> Layout? {
        var area = rect
        var titleRow: Int?
        if let title, area.height > 0 {
            titleRow = area.y
            // A title wider than the chart wraps onto a second row.
            let rows = CharacterWidth.of(title) > rect.width && area.height > 8 ? 2 : 1
            area = area.splitTop(rows).1
        }
        let legendRows = legendRows(width: area.width, rowLimit: area.height / 3)
        let (upper, _) = area.splitBottom(legendRows.count)
        let plotHeight = upper.height - 2
        guard plotHeight >= ChartFrame.minimumPlotSize.height else { return nil }
        let labelWidth = yLabelWidth(plotHeight)
        let plotWidth = upper.width - labelWidth - 1
        guard plotWidth >= ChartFrame.minimumPlotSize.width else { return nil }
        return Layout(
            titleRow: titleRow,
            plot: Rect(x: upper.x + labelWidth + 1, y: upper.y, width: plotWidth, height: plotHeight),
            labelColumn: Rect(x: upper.x, y: upper.y, width: labelWidth, height: plotHeight),
            axisColumn: upper.x + labelWidth,
            xAxisRow: upper.y + plotHeight,
            xLabelRow: upper.y + plotHeight + 1,
            legendTop: upper.maxY,
            legendRows: legendRows)
    }

    /// Draws everything but the data.
    /// - Parameters:
    ///   - yTicks: ticks with the cell row (within the plot) of each.
    ///   - xTicks: ticks with the cell column (within the plot) of each.
    func draw(into grid: inout CellGrid, rect: Rect, layout: Layout,
              yTicks: [(tick: AxisTick, row: Int)], xTicks: [(tick: AxisTick, column: Int)]) {
        if let row = layout.titleRow, let title {
            let lines = CharacterWidth.of(title) <= rect.width
                ? [StyledLine([StyledSpan(title, style: Style(bold: true))])] : WrappedText.wrap(title, width: rect.width, style: Style(bold: true))
            for (i, line) in lines.prefix(layout.plot.y - row).enumerated() {
                line.render(into: &grid, x: rect.x, y: row + i, clip: Rect(x: rect.x, y: row + i, width: rect.width, height: 1))
            }
        }
        // Y axis: a line with a tick where each label is.
        grid.verticalLine(x: layout.axisColumn, y: layout.plot.y, length: layout.plot.height, glyphs: glyphs, style: axisStyle)
        for (tick, row) in yTicks where row >= 0 && row < layout.plot.height {
            grid.set(x: layout.axisColumn, y: layout.plot.y + row, Cell(glyphs.yTick, style: axisStyle))
            grid.putRightAligned(tick.label, rightEdge: layout.axisColumn, y: layout.plot.y + row, clip: layout.labelColumn)
        }
        // X axis.
        grid.set(x: layout.axisColumn, y: layout.xAxisRow, Cell(glyphs.bottomLeft, style: axisStyle))
        grid.horizontalLine(x: layout.plot.x, y: layout.xAxisRow, length: layout.plot.width, glyphs: glyphs, style: axisStyle)
        let labelClip = Rect(x: rect.x, y: layout.xLabelRow, width: rect.width, height: 1)
        var freeFrom = rect.x
        for (tick, column) in xTicks where column >= 0 && column < layout.plot.width {
            grid.set(x: layout.plot.x + column, y: layout.xAxisRow, Cell(glyphs.xTick, style: axisStyle))
            let w = CharacterWidth.of(tick.label)
            // Centred under the tick, nudged inside the chart, never overlapping.
            var start = layout.plot.x + column - w / 2
            start = min(start, rect.maxX - w)
            guard start >= freeFrom else { continue }
            grid.put(tick.label, x: start, y: layout.xLabelRow, clip: labelClip)
            freeFrom = start + w + 1
        }
        if let xAxisLabel {
            let w = CharacterWidth.of(xAxisLabel)
            let start = rect.maxX - w
            if start >= freeFrom {
                grid.put(xAxisLabel, x: start, y: layout.xLabelRow, style: Style(dim: true), clip: labelClip)
            }
        }
        // Legend.
        for (i, row) in layout.legendRows.enumerated() {
            var x = layout.labelColumn.x
            let y = layout.legendTop + i
            let clip = Rect(x: rect.x, y: y, width: rect.width, height: 1)
            for (j, entry) in row.enumerated() {
                if j > 0 { x += 3 }
                x = grid.put(entry.sample, x: x, y: y, style: entry.style, clip: clip)
                x = grid.put(" " + entry.label, x: x, y: y, clip: clip)
            }
        }
    }

    /// A short notice when the rectangle is too small to chart in.
    static func drawTooSmall(into grid: inout CellGrid, rect: Rect, title: String?) {
        guard !rect.isEmpty else { return }
        let text = (title.map { $0 + ": " } ?? "") + "(enlarge the window to see this chart)"
        grid.put(text, x: rect.x, y: rect.y, style: Style(dim: true), clip: rect)
    }
}
