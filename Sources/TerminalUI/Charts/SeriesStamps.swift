/// What tells the runs of a chart apart without colour: each series' own
/// glyph stamped on its line every few columns (or on every sample, for a
/// series that `marksPoints`), and its name written where its line ends.
///
/// Stamps of different series sit in different columns (each series is
/// offset by a few columns), so two runs that run together still show
/// both glyphs. End labels never overlap each other: a label that would
/// land on an earlier one moves a row up or down, or is left out.
struct SeriesStamps {
    var series: [ChartSeries]
    var map: PlotMapping
    var plot: Rect
    var yScale: AxisScale
    /// Columns between two stamps of one series.
    var spacing = 12
    /// Points an overlay draws on top afterwards (a fit's data): end labels
    /// keep off their cells, so a name never hides a data point or is cut
    /// by one.
    var reserved: [ChartPoint] = []

    /// The cell (column, row) within the plot of one point, or nil when it is not drawn or off the plot.
    /// The column is checked first: it is cheap, and most points of a long
    /// run are only wanted for their column.
    func cell(_ p: ChartPoint) -> (column: Int, row: Int)? {
        guard p.x.isFinite else { return nil }
        let c = map.cellColumn(p.x)
        guard c >= 0, c < plot.width, let t = yScale.transform(p.y) else { return nil }
        let r = map.cellRow(t)
        guard r >= 0, r < plot.height else { return nil }
        return (c, r)
    }

    func draw(into grid: inout CellGrid) {
        let marked = series.enumerated().filter { $0.element.marker != nil }
        // Cells stamped on every sample, by series that mark their points:
        // a point that lands on another's moves a column aside, so two runs
        // with the same value at the same place both show.
        var pointCells = Set<Int>()
        for (k, (_, s)) in marked.enumerated() {
            guard let marker = s.marker else { continue }
            let offset = 2 + (k * 5) % spacing
            let stamp = Cell(marker, style: Style(foreground: s.color, bold: true))
            // The first drawable point of each stamped column gets the stamp.
            var seen = Set<Int>()
            for p in s.points where p.x.isFinite {
                let column = map.cellColumn(p.x)
                guard s.marksPoints || (column - offset) % spacing == 0, !seen.contains(column),
                      var (c, r) = cell(p) else { continue }
                seen.insert(c)
                if s.marksPoints {
                    let free = [c, c + 1, c - 1].first { $0 >= 0 && $0 < plot.width && !pointCells.contains(r * plot.width + $0) }
                    c = free ?? c
                    pointCells.insert(r * plot.width + c)
                }
                grid.set(x: plot.x + c, y: plot.y + r, stamp)
            }
        }
        var taken: [Rect] = reserved.compactMap(cell).map { Rect(x: plot.x + $0.column, y: plot.y + $0.row, width: 1, height: 1) }
        for s in series {
            guard let label = s.endLabel, !label.isEmpty, let end = s.points.reversed().lazy.compactMap(cell).first else { continue }
            let w = CharacterWidth.of(label)
            guard w + 1 <= plot.width else { continue }
            let x = end.column + 1 + w <= plot.width ? end.column + 1 : max(0, end.column - w)
            for dy in [0, -1, 1, -2, 2] {
                let row = end.row + dy
                guard row >= 0, row < plot.height else { continue }
                let rect = Rect(x: plot.x + x, y: plot.y + row, width: w, height: 1)
                if taken.contains(where: { $0.intersects(rect) }) { continue }
                taken.append(rect)
                grid.put(label, x: rect.x, y: rect.y, style: Style(foreground: s.color, bold: true), clip: plot)
                break
            }
        }
    }
}
