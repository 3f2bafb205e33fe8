/// A one-row bar for work in progress (sweep cells still training).
///
/// In Unicode the bar's end is drawn in eighths of a cell (▏▎▍▌▋▊▉), so a
/// 20-cell bar moves visibly at every 1/160 of progress instead of jumping
/// by 5 %.
public struct ProgressBar: Sendable {
    /// Done, from 0 to 1 (clamped; NaN counts as 0).
    public var fraction: Double
    /// Text before the bar, e.g. "sweep 7/12".
    public var label: String?
    public var color: UInt8?
    public var glyphs: Glyphs

    public init(fraction: Double, label: String? = nil, color: UInt8? = PaletteColor.green, glyphs: Glyphs = .unicode) {
        self.fraction = fraction
        self.label = label
        self.color = color
        self.glyphs = glyphs
    }

    /// The bar itself, `width` cells wide.
    public func bar(width: Int) -> String {
        guard width > 0 else { return "" }
        let f = fraction.isNaN ? 0 : min(max(fraction, 0), 1)
        let partialSteps = glyphs.barPartials.count + 1
        let units = Int((f * Double(width * partialSteps)).rounded(.down))
        let full = units / partialSteps
        let remainder = units % partialSteps
        var s = String(repeating: glyphs.barFull, count: full)
        if full < width {
            if remainder > 0 { s.append(glyphs.barPartials[remainder - 1]) }
            s += String(repeating: glyphs.barEmpty, count: width - full - (remainder > 0 ? 1 : 0))
        }
        return s
    }

    /// "label ████▌░░░░ 45%" in the first row of `rect`.
    public func render(into grid: inout CellGrid, in rect: Rect) {
        guard !rect.isEmpty else { return }
        let f = fraction.isNaN ? 0 : min(max(fraction, 0), 1)
        let percent = " " + NumberFormat.fixed(f * 100, decimals: 0) + "%"
        var x = rect.x
        if let label, !label.isEmpty { x = grid.put(label + " ", x: x, y: rect.y, clip: rect) }
        let barWidth = rect.maxX - x - CharacterWidth.of(percent)
        if barWidth >= 3 {
            x = grid.put(bar(width: barWidth), x: x, y: rect.y, style: Style(foreground: color), clip: rect)
        }
        grid.put(percent, x: x, y: rect.y, clip: rect)
    }
}
