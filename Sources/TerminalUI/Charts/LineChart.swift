/// A chart of several curves against the training step: the losses, norms
/// and accuracies of the runs being compared.
///
/// Braille gives each cell 2×4 dots; successive samples are joined dot by
/// dot so curves are continuous; training curves are solid and validation
/// curves dashed in the run's colour; losses go on a log axis. The y range
/// follows the data with a little padding (or is fixed by `yRange`), ticks
/// sit on 1-2-5 values or powers of ten, and vertical markers show where a
/// control changed. Samples that cannot be drawn (NaN, ±inf, ≤ 0 on a log
/// axis) are skipped and break the line rather than bending it.
public struct LineChart: Sendable {
    public var title: String?
    public var series: [ChartSeries]
    public var yScale: AxisScale
    /// Fixed x range (e.g. 0…total steps, so a live run fills the chart from
    /// the left instead of rescaling every frame); `nil` follows the data.
    public var xRange: ClosedRange<Double>?
    /// Fixed y range in data units; `nil` follows the data.
    public var yRange: ClosedRange<Double>?
    public var markers: [ChartMarker]
    /// Name of the x axis, shown at the right end of the tick labels.
    public var xAxisLabel: String?
    public var glyphs: Glyphs
    public var showLegend: Bool
    /// Fixed x ticks (value in axis units, label), e.g. λ values on an axis
    /// of log10 λ; `nil` picks 1-2-5 ticks.
    public var xTicks: [AxisTick]?
    /// Shaded ranges under the lines: each run's spread over its seeds.
    public var bands: [ChartBand] = []

    /// - Parameters:
    ///   - title: a bold line above the chart, or `nil`.
    ///   - series: the curves, drawn in order (later ones on top).
    ///   - yScale: `.log10` for losses, `.linear` for accuracy or norms.
    ///   - glyphs: `.unicode` for braille, `.ascii` for the plain fallback.
    public init(title: String? = nil, series: [ChartSeries], yScale: AxisScale = .linear,
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                markers: [ChartMarker] = [], xAxisLabel: String? = nil,
                glyphs: Glyphs = .unicode, showLegend: Bool = true) {
        self.title = title
        self.series = series
        self.yScale = yScale
        self.xRange = xRange
        self.yRange = yRange
        self.markers = markers
        self.xAxisLabel = xAxisLabel
        self.glyphs = glyphs
        self.showLegend = showLegend
    }

    /// The y bounds in axis space, and the value of a constant series.
    struct YBounds {
        var lower: Double
        var upper: Double
        var constant: Double?
    }

    func yBounds() -> YBounds? {
        if let yRange, let lo = yScale.transform(yRange.lowerBound), let hi = yScale.transform(yRange.upperBound), hi > lo {
            return YBounds(lower: lo, upper: hi, constant: nil)
        }
        // The extremes are found on the data and transformed once: both
        // scales are monotonic, so the transformed extremes are the extremes
        // of the transformed values (a log per sample costs a frame dearly).
        var lo = Double.infinity, hi = -Double.infinity
        func scan(_ points: [ChartPoint]) {
            for p in points where p.y.isFinite && (yScale == .linear || p.y > 0) {
                if let xRange, !xRange.contains(p.x) { continue }
                lo = min(lo, p.y)
                hi = max(hi, p.y)
            }
        }
        for s in series { scan(s.points) }
        for band in bands { scan(band.low); scan(band.high) }
        guard lo <= hi, let tlo = yScale.transform(lo), let thi = yScale.transform(hi) else { return nil }
        (lo, hi) = (tlo, thi)
        guard lo.isFinite, hi.isFinite else { return nil }
        if hi - lo <= 1e-12 * max(1, abs(lo)) {
            // Constant: centre it. Nothing to scale by, so no division by a zero span.
            let pad: Double
            switch yScale {
            case .linear: pad = lo == 0 ? 1 : abs(lo) * 0.1
            case .log10: pad = 0.3
            }
            return YBounds(lower: lo - pad, upper: hi + pad, constant: yScale.inverse(lo))
        }
        let pad = 0.05 * (hi - lo)
        var lower = lo - pad
        // Don't pad a non-negative quantity (loss, norm, accuracy) below zero.
        if yScale == .linear, lo >= 0, lower < 0 { lower = 0 }
        return YBounds(lower: lower, upper: hi + pad, constant: nil)
    }

    func xBounds() -> (lower: Double, upper: Double, integral: Bool) {
        var lo = Double.infinity, hi = -Double.infinity, integral = true
        for s in series {
            for p in s.points where p.x.isFinite {
                lo = min(lo, p.x)
                hi = max(hi, p.x)
                if integral && p.x != p.x.rounded() { integral = false }
            }
        }
        if let xRange, xRange.upperBound > xRange.lowerBound {
            return (xRange.lowerBound, xRange.upperBound, integral)
        }
        guard lo <= hi else { return (0, 1, true) }
        return hi > lo ? (lo, hi, integral) : (lo, lo + 1, integral)
    }

    func yTicks(bounds: YBounds, rows: Int) -> [AxisTick] {
        if let constant = bounds.constant {
            return [AxisTick(value: constant, label: NumberFormat.compact(constant, significantDigits: 4))]
        }
        let maxCount = max(2, rows / 2 + 1)
        switch yScale {
        case .linear:
            return AxisTicks.linear(lower: bounds.lower, upper: bounds.upper, maxCount: maxCount)
        case .log10:
            return AxisTicks.log10(lower: yScale.inverse(bounds.lower), upper: yScale.inverse(bounds.upper), maxCount: maxCount)
        }
    }

    /// Legend entries appended after the series' own (e.g. scatter points).
    var extraLegend: [LegendEntry] = []
    /// Points drawn over the chart afterwards (e.g. scatter points), whose
    /// cells the end labels leave free.
    var reservedPoints: [ChartPoint] = []

    /// Draws the chart into `rect` of `grid`.
    public func render(into grid: inout CellGrid, in rect: Rect) {
        _ = renderReturningPlot(into: &grid, in: rect)
    }

    /// Draws the chart and returns the plot area and its mapping, so that
    /// callers can draw on top in the same coordinates; `nil` if too small.
    func renderReturningPlot(into grid: inout CellGrid, in rect: Rect) -> (plot: Rect, mapping: PlotMapping)? {
        let legend = showLegend ? series.filter { !$0.label.isEmpty }.map {
            LegendEntry(sample: LegendEntry.sample(for: $0.role.pattern, glyphs: glyphs, marker: $0.marker),
                        label: $0.label, style: Style(foreground: $0.color))
        } + bandLegend + extraLegend : []
        let frame = ChartFrame(title: title, legend: legend, xAxisLabel: xAxisLabel, glyphs: glyphs)
        // The bounds scan every sample: once per frame, shared by the
        // mapping, the ticks and the returned mapping.
        let bounds = yBounds()
        let x = xBounds()
        let y = bounds ?? YBounds(lower: 0, upper: 1, constant: nil)
        guard let layout = frame.layout(in: rect, yLabelWidth: { rows in
            bounds == nil ? 1 : yTicks(bounds: y, rows: rows).map { CharacterWidth.of($0.label) }.max() ?? 1
        }) else {
            ChartFrame.drawTooSmall(into: &grid, rect: rect, title: title)
            return nil
        }
        let map = mapping(plotWidth: layout.plot.width, plotHeight: layout.plot.height, x: x, y: y)
        if glyphs.braille {
            var canvas = BrailleCanvas(width: layout.plot.width, height: layout.plot.height)
            draw(into: &grid, canvas: &canvas, frame: frame, layout: layout, rect: rect, bounds: bounds, x: x, map: map)
        } else {
            var canvas = AsciiCanvas(width: layout.plot.width, height: layout.plot.height)
            draw(into: &grid, canvas: &canvas, frame: frame, layout: layout, rect: rect, bounds: bounds, x: x, map: map)
        }
        return (layout.plot, map)
    }

    /// The mapping used for a plot area (exposed for tests and for widgets
    /// that annotate a chart).
    public func mapping(plotWidth: Int, plotHeight: Int) -> PlotMapping {
        mapping(plotWidth: plotWidth, plotHeight: plotHeight, x: xBounds(),
                y: yBounds() ?? YBounds(lower: 0, upper: 1, constant: nil))
    }

    private func mapping(plotWidth: Int, plotHeight: Int, x: (lower: Double, upper: Double, integral: Bool),
                         y: YBounds) -> PlotMapping {
        let braille = glyphs.braille
        return PlotMapping(xLower: x.lower, xUpper: x.upper, yLower: y.lower, yUpper: y.upper,
                           dotWidth: plotWidth * (braille ? 2 : 1), dotHeight: plotHeight * (braille ? 4 : 1),
                           dotsPerCellX: braille ? 2 : 1, dotsPerCellY: braille ? 4 : 1)
    }

    private func draw<Canvas: PlotCanvas>(into grid: inout CellGrid, canvas: inout Canvas, frame: ChartFrame,
                                          layout: ChartFrame.Layout, rect: Rect, bounds: YBounds?,
                                          x: (lower: Double, upper: Double, integral: Bool), map: PlotMapping) {
        let ticks = axisTicks(map: map, plot: layout.plot, bounds: bounds, x: x)
        frame.draw(into: &grid, rect: rect, layout: layout, yTicks: ticks.y, xTicks: ticks.x)

        // Markers first, so data is drawn over them.
        let markerInk = Ink(color: nil, dim: true, priority: 0)
        var markerLabels: [(column: Int, label: String)] = []
        for marker in markers where marker.x >= x.lower && marker.x <= x.upper {
            canvas.verticalMarker(x: map.dotX(marker.x), ink: markerInk)
            markerLabels.append((map.cellColumn(marker.x), marker.label))
        }

        for band in bands { fill(band, canvas: &canvas, map: map) }

        // With one dot per cell, many samples share a column and each tiny
        // segment would pick its slope character from noise; there we join
        // only the first sample of each column (and the last sample).
        let joinPerColumn = canvas.dotsPerCellX == 1
        for s in series {
            let ink = Ink(color: s.color)
            var previous: (x: Int, y: Int)?
            var pending: (x: Int, y: Int)?
            var phase = 0
            func flushPending() {
                if let p = pending, let q = previous {
                    canvas.line(from: q, to: p, ink: ink, pattern: s.role.pattern, phase: &phase, skipStart: true)
                }
                pending = nil
            }
            for p in s.points {
                guard p.x.isFinite, let t = yScale.transform(p.y) else {
                    flushPending()
                    previous = nil          // a gap, not a bridge
                    continue
                }
                let dot = (x: map.dotX(p.x), y: map.dotY(t))
                if let previous {
                    if joinPerColumn && dot.x == previous.x {
                        pending = dot
                        continue
                    }
                    pending = nil
                    canvas.line(from: previous, to: dot, ink: ink, pattern: s.role.pattern, phase: &phase, skipStart: true)
                } else {
                    canvas.setDot(x: dot.x, y: dot.y, ink: ink, pattern: s.role.pattern, slope: (1, 0))
                }
                previous = dot
            }
            flushPending()
        }
        canvas.render(into: &grid, x: layout.plot.x, y: layout.plot.y)
        SeriesStamps(series: series, map: map, plot: layout.plot, yScale: yScale, reserved: reservedPoints).draw(into: &grid)

        drawOverlays(into: &grid, plot: layout.plot, markerLabels: markerLabels, empty: bounds == nil)
    }

    /// The axes' ticks, one per row or column at most (the first wins).
    private func axisTicks(map: PlotMapping, plot: Rect, bounds: YBounds?, x: (lower: Double, upper: Double, integral: Bool))
        -> (y: [(tick: AxisTick, row: Int)], x: [(tick: AxisTick, column: Int)]) {
        var yTickRows: [(tick: AxisTick, row: Int)] = []
        if let bounds {
            for tick in yTicks(bounds: bounds, rows: plot.height) {
                guard let t = yScale.transform(tick.value) else { continue }
                let row = map.cellRow(t)
                if !yTickRows.contains(where: { $0.row == row }) { yTickRows.append((tick, row)) }
            }
        }
        let labelWidth = max(CharacterWidth.of(NumberFormat.compact(x.lower)), CharacterWidth.of(NumberFormat.compact(x.upper)))
        let xMaxCount = max(2, plot.width / (labelWidth + 3))
        var xTickColumns: [(tick: AxisTick, column: Int)] = []
        let ticks = xTicks ?? AxisTicks.linear(lower: x.lower, upper: x.upper, maxCount: xMaxCount, minimumStep: x.integral ? 1 : 0)
        for tick in ticks {
            let column = map.cellColumn(tick.value)
            if !xTickColumns.contains(where: { $0.column == column }) { xTickColumns.append((tick, column)) }
        }
        return (yTickRows, xTickColumns)
    }

    /// Written over the plotted lines: the markers' labels along the top,
    /// and a note while there is nothing to plot.
    private func drawOverlays(into grid: inout CellGrid, plot: Rect, markerLabels: [(column: Int, label: String)], empty: Bool) {
        for (column, label) in markerLabels where !label.isEmpty {
            let w = CharacterWidth.of(label)
            let start = column + 1 + w <= plot.width ? column + 1 : column - w
            guard start >= 0 else { continue }
            grid.put(label, x: plot.x + start, y: plot.y, style: Style(dim: true), clip: plot)
        }
        if empty {
            grid.put("no data yet", x: plot.x + 1, y: plot.y + plot.height / 2, style: Style(dim: true), clip: plot)
        }
    }
}
