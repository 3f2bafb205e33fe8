/// A plot of y = f(x) with the data it was fitted to: the picture for the
/// polynomial-fit lesson, where a high-degree fit without decay threads
/// every training point and swings wildly between them, and decay tames it.
///
/// Curves are braille lines (as in `LineChart`); training points are `●`
/// and validation points `○` (`o` and `+` in ASCII), drawn on top. The y
/// range follows the *points*, not the curves, so a fit that shoots off to
/// ±1e6 between points is shown leaving the chart instead of squashing the
/// data into one row.
public struct FunctionPlot: Sendable {
    public var title: String?
    /// The fitted function(s), and optionally the true one (dashed).
    public var curves: [ChartSeries]
    public var trainingPoints: [ChartPoint]
    public var validationPoints: [ChartPoint]
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var trainingColor: UInt8?
    public var validationColor: UInt8?
    public var glyphs: Glyphs

    /// - Parameters:
    ///   - curves: sampled densely enough to look smooth (a few hundred
    ///     points across the x range is plenty).
    ///   - trainingPoints: drawn as `glyphs.trainPoint`.
    ///   - validationPoints: drawn as `glyphs.validationPoint`.
    public init(title: String? = nil, curves: [ChartSeries], trainingPoints: [ChartPoint] = [],
                validationPoints: [ChartPoint] = [], xRange: ClosedRange<Double>? = nil,
                yRange: ClosedRange<Double>? = nil, trainingColor: UInt8? = PaletteColor.white,
                validationColor: UInt8? = PaletteColor.magenta, glyphs: Glyphs = .unicode) {
        self.title = title
        self.curves = curves
        self.trainingPoints = trainingPoints
        self.validationPoints = validationPoints
        self.xRange = xRange
        self.yRange = yRange
        self.trainingColor = trainingColor
        self.validationColor = validationColor
        self.glyphs = glyphs
    }

    /// The y range: explicit, else the points' range padded by 30 % each
    /// side (room for the curve to bend), else the curves'.
    func effectiveYRange() -> ClosedRange<Double>? {
        if let yRange { return yRange }
        let ys = (trainingPoints + validationPoints).map(\.y).filter(\.isFinite)
        guard let lo = ys.min(), let hi = ys.max() else { return nil }
        let pad = hi > lo ? 0.3 * (hi - lo) : max(1, abs(lo) * 0.3)
        return (lo - pad)...(hi + pad)
    }

    func effectiveXRange() -> ClosedRange<Double>? {
        if let xRange { return xRange }
        let xs = (curves.flatMap { $0.points } + trainingPoints + validationPoints).map(\.x).filter(\.isFinite)
        guard let lo = xs.min(), let hi = xs.max(), hi > lo else { return nil }
        return lo...hi
    }

    public func render(into grid: inout CellGrid, in rect: Rect) {
        var chart = LineChart(title: title, series: curves, yScale: .linear,
                              xRange: effectiveXRange(), yRange: effectiveYRange(), glyphs: glyphs)
        if !trainingPoints.isEmpty {
            chart.extraLegend.append(LegendEntry(sample: String(glyphs.trainPoint), label: "training data",
                                                 style: Style(foreground: trainingColor, bold: true)))
        }
        if !validationPoints.isEmpty {
            chart.extraLegend.append(LegendEntry(sample: String(glyphs.validationPoint), label: "validation data",
                                                 style: Style(foreground: validationColor, bold: true)))
        }
        chart.reservedPoints = validationPoints + trainingPoints
        guard let (plot, map) = chart.renderReturningPlot(into: &grid, in: rect) else { return }
        func draw(_ points: [ChartPoint], glyph: Character, color: UInt8?) {
            for p in points where p.x.isFinite && p.y.isFinite {
                let column = map.cellColumn(p.x), row = map.cellRow(p.y)
                guard map.dotY(p.y) >= 0, map.dotY(p.y) < map.dotHeight,
                      column >= 0, column < plot.width else { continue }
                grid.set(x: plot.x + column, y: plot.y + row, Cell(glyph, style: Style(foreground: color, bold: true)))
            }
        }
        draw(validationPoints, glyph: glyphs.validationPoint, color: validationColor)
        draw(trainingPoints, glyph: glyphs.trainPoint, color: trainingColor)
    }
}
