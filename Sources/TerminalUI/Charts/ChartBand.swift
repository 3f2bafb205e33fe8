/// A shaded range on a `LineChart`: for each x, everything between `low`
/// and `high` (a run's lowest and highest seed), drawn as a stipple under
/// the lines in the run's colour, dimmed. It reads without colour too: a
/// quarter of the braille dots (⠅), or `'` in ASCII, where no line is.
public struct ChartBand: Hashable, Sendable {
    public var color: UInt8?
    /// The band's bounds, sampled at the same x in the same order.
    public var low: [ChartPoint]
    public var high: [ChartPoint]
    /// The legend's words for it (e.g. "min-max of 5 seeds"); empty: no entry.
    public var label: String

    public init(color: UInt8?, low: [ChartPoint], high: [ChartPoint], label: String = "") {
        self.color = color
        self.low = low
        self.high = high
        self.label = label
    }
}

extension LineChart {
    /// One legend entry per distinct band label.
    var bandLegend: [LegendEntry] {
        var seen = Set<String>()
        return bands.filter { !$0.label.isEmpty && seen.insert($0.label).inserted }.map {
            LegendEntry(sample: LegendEntry.sample(for: .band, glyphs: glyphs), label: $0.label, style: Style(foreground: $0.color, dim: true))
        }
    }

    /// Fills the band column by column between successive samples, with the
    /// bounds interpolated in between. Braille sets the dots on even rows
    /// of even columns, so the lines drawn over it stay legible.
    func fill<Canvas: PlotCanvas>(_ band: ChartBand, canvas: inout Canvas, map: PlotMapping) {
        let ink = Ink(color: band.color, dim: true, priority: 0)
        let stride = canvas.dotsPerCellX == 1 ? 1 : 2
        var previous: (x: Int, low: Int, high: Int)?
        for (l, h) in zip(band.low, band.high) {
            guard l.x.isFinite, let tl = yScale.transform(l.y), let th = yScale.transform(h.y) else { previous = nil; continue }
            let now = (x: map.dotX(l.x), low: map.dotY(tl), high: map.dotY(th))
            let from = previous ?? now
            for x in from.x...max(from.x, now.x) where x % stride == 0 {
                let f = now.x == from.x ? 1 : Double(x - from.x) / Double(now.x - from.x)
                let lowY = Int((Double(from.low) + f * Double(now.low - from.low)).rounded())
                let highY = Int((Double(from.high) + f * Double(now.high - from.high)).rounded())
                for y in min(lowY, highY)...max(lowY, highY) where y % stride == 0 {
                    canvas.setDot(x: x, y: y, ink: ink, pattern: .band, slope: (0, 0))
                }
            }
            previous = now
        }
    }
}
