#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A λ × learning-rate sweep at a glance: one shaded block per
/// (row, column) cell, darker/hotter for larger values.
///
/// Values are `nil` while that cell is still training (drawn `·`, with a
/// progress bar below the map) and NaN/±inf when the run diverged (drawn
/// `×`: divergence is a result worth seeing, not a missing value). Shading
/// runs from the smallest to the largest finite value; with `.log10` it is
/// by orders of magnitude, which suits losses. The best cell (lowest, or
/// highest when `lowerIsBetter` is false) carries its value in bold.
public struct Heatmap: Sendable {
    public var title: String?
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `values[row][column]`.
    public var values: [[Double?]]
    /// Axis names, e.g. "lr" and "λ".
    public var rowAxisName: String
    public var columnAxisName: String
    public var scale: AxisScale
    /// Palette indices from low to high, or `nil` to shade with
    /// `glyphs.shades` (monochrome terminals, `NO_COLOR`).
    public var colorRamp: [UInt8]?
    public var lowerIsBetter: Bool
    public var glyphs: Glyphs
    /// The value range the shading spans, in data units. Heatmaps shown
    /// side by side pass the same range, so one colour means one value in
    /// all of them; `nil` spans this heatmap's own values.
    public var sharedRange: ClosedRange<Double>?

    /// - Parameters:
    ///   - values: `values[row][column]`; `nil` pending, non-finite diverged.
    ///   - colorRamp: see `Heatmap.ramp(colors:)`.
    public init(title: String? = nil, rowLabels: [String], columnLabels: [String], values: [[Double?]],
                rowAxisName: String = "lr", columnAxisName: String = "λ", scale: AxisScale = .linear,
                colorRamp: [UInt8]? = nil, lowerIsBetter: Bool = true, glyphs: Glyphs = .unicode,
                sharedRange: ClosedRange<Double>? = nil) {
        self.sharedRange = sharedRange
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.rowAxisName = rowAxisName
        self.columnAxisName = columnAxisName
        self.scale = scale
        self.colorRamp = colorRamp
        self.lowerIsBetter = lowerIsBetter
        self.glyphs = glyphs
    }

    /// A dark-blue → teal → yellow ramp (viridis-like, so it stays ordered
    /// for colour-blind readers and in greyscale) for 256-colour terminals,
    /// a four-step one for 8/16 colours, `nil` without colour.
    public static func ramp(colors: Int) -> [UInt8]? {
        if colors >= 256 { return [54, 61, 25, 31, 37, 36, 72, 107, 149, 185, 220] }
        if colors >= 8 { return [PaletteColor.blue, PaletteColor.cyan, PaletteColor.green, PaletteColor.yellow] }
        return nil
    }

    /// What a cell holds.
    public enum CellContent: Hashable, Sendable {
        case pending
        case diverged
        /// A finite value with its position on the ramp, 0 (lowest) … `levels - 1`.
        case level(Int)
    }

    /// The shading levels available: the colour ramp's length, or the
    /// non-blank shades (blank is kept for "no value").
    public var levels: Int { colorRamp?.count ?? max(1, glyphs.shades.count - 1) }

    /// The finite range of the values in data units (for a shared scale).
    public static func valueRange(_ values: [[Double?]], scale: AxisScale) -> ClosedRange<Double>? {
        let vs = values.joined().compactMap { $0 }.filter { scale.transform($0) != nil }
        guard let lo = vs.min(), let hi = vs.max() else { return nil }
        return lo...hi
    }

    /// The range of the shading in scale space.
    func range() -> (lower: Double, upper: Double)? {
        if let sharedRange, let lo = scale.transform(sharedRange.lowerBound), let hi = scale.transform(sharedRange.upperBound) {
            return (lo, hi)
        }
        let ts = values.joined().compactMap { $0.flatMap { scale.transform($0) } }
        guard let lo = ts.min(), let hi = ts.max() else { return nil }
        return (lo, hi)
    }

    /// Classifies one value: the smallest finite value gets level 0, the
    /// largest `levels - 1`, the rest in proportion (nearest level).
    public func content(_ value: Double?) -> CellContent {
        guard let value else { return .pending }
        guard let t = scale.transform(value), let (lo, hi) = range() else { return .diverged }
        guard hi > lo else { return .level(levels / 2) }      // all equal: one middle shade
        let f = min(max((t - lo) / (hi - lo), 0), 1)
        return .level(Int((f * Double(levels - 1)).rounded()))
    }

    /// The cell character and style for a content.
    public func appearance(_ content: CellContent) -> (Character, Style) {
        switch content {
        case .pending: return (glyphs.pending, Style(dim: true))
        case .diverged: return (glyphs.diverged, Style(foreground: colorRamp == nil ? nil : PaletteColor.red, bold: true))
        case let .level(level):
            if let colorRamp { return (glyphs.shades.last ?? "#", Style(foreground: colorRamp[level])) }
            return (glyphs.shades[level + 1], .plain)
        }
    }

    /// Where the parts of the heatmap go in its rectangle.
    struct Layout {
        var area: Rect
        var firstCellX: Int
        var cellWidth: Int
        var columnGap = 1
        var rowHeight: Int

        func cellX(_ column: Int) -> Int { firstCellX + column * (cellWidth + columnGap) }
        func rowY(_ row: Int) -> Int { area.y + 1 + row * rowHeight }
        /// The line inside a cell where its text goes.
        func textY(_ row: Int) -> Int { rowY(row) + (rowHeight - 1) / 2 }
    }

    public func render(into grid: inout CellGrid, in rect: Rect) {
        var area = rect
        if let title {
            grid.put(title, x: area.x, y: area.y, style: Style(bold: true), clip: area)
            area = area.splitTop(1).1
        }
        let pendingCount = values.joined().filter { $0 == nil }.count
        guard let layout = layout(in: area, footerRows: 1 + (pendingCount > 0 ? 1 : 0)) else {
            ChartFrame.drawTooSmall(into: &grid, rect: area, title: nil)
            return
        }
        drawHeader(into: &grid, layout)
        let best = bestCell()
        for r in rowLabels.indices {
            grid.putRightAligned(rowLabels[r], rightEdge: layout.firstCellX - 1, y: layout.textY(r), clip: area)
            for c in columnLabels.indices {
                let value = r < values.count && c < values[r].count ? values[r][c] : nil
                let isBest = best.map { $0.row == r && $0.column == c } ?? false
                drawCell(value, row: r, column: c, isBest: isBest, into: &grid, layout)
            }
        }
        drawFooter(into: &grid, layout, pendingCount: pendingCount)
    }

    /// The layout in `area`, or nil when the grid does not fit.
    func layout(in area: Rect, footerRows: Int) -> Layout? {
        let rowLabelWidth = max(CharacterWidth.of(rowAxisName), rowLabels.map { CharacterWidth.of($0) }.max() ?? 0) + 1
        let cellWidth = max(5, columnLabels.map { CharacterWidth.of($0) }.max() ?? 0)
        let columnGap = 1
        let available = area.height - 1 - footerRows
        guard available >= rowLabels.count, rowLabels.count > 0,
              rowLabelWidth + columnLabels.count * (cellWidth + columnGap) <= area.width + columnGap else { return nil }
        // One row per label (two when there is room), never a row without one.
        let rowHeight = rowLabels.count == 1 ? 1 : max(1, min(2, available / rowLabels.count))
        let firstCellX = area.x + max(rowLabelWidth, CharacterWidth.of(cornerLabel) + 1)
        return Layout(area: area, firstCellX: firstCellX, cellWidth: cellWidth, columnGap: columnGap, rowHeight: rowHeight)
    }

    private var cornerLabel: String { "\(rowAxisName) \\ \(columnAxisName)" }

    /// Axis names and column labels, centred over their cells.
    private func drawHeader(into grid: inout CellGrid, _ layout: Layout) {
        let area = layout.area
        grid.put(cornerLabel, x: area.x, y: area.y, style: Style(dim: true), clip: area)
        for (c, label) in columnLabels.enumerated() {
            let x = layout.cellX(c) + (layout.cellWidth - CharacterWidth.of(label)) / 2
            grid.put(label, x: x, y: area.y, clip: area)
        }
    }

    /// The best cell, to label with its value.
    private func bestCell() -> (row: Int, column: Int, value: Double)? {
        var best: (row: Int, column: Int, value: Double)?
        for (r, row) in values.enumerated() {
            for (c, v) in row.enumerated() {
                guard let v, v.isFinite, scale.transform(v) != nil else { continue }
                if best == nil || (lowerIsBetter ? v < best!.value : v > best!.value) { best = (r, c, v) }
            }
        }
        return best
    }

    private func drawCell(_ value: Double?, row r: Int, column c: Int, isBest: Bool,
                          into grid: inout CellGrid, _ layout: Layout) {
        let (glyph, style) = appearance(content(value))
        let x = layout.cellX(c), cellWidth = layout.cellWidth
        let block = Rect(x: x, y: layout.rowY(r), width: cellWidth, height: layout.rowHeight)
        guard case .level = content(value) else {
            grid.put(String(glyph), x: x + cellWidth / 2, y: layout.textY(r), style: style, clip: layout.area)
            return
        }
        // In colour the cell is a block of its colour (reverse video) with
        // the value written in it; without colour the shade surrounds the value.
        let blockStyle = colorRamp == nil ? style : Style(foreground: style.foreground, reverse: true)
        grid.fill(block, with: colorRamp == nil ? glyph : " ", style: blockStyle)
        guard let value else { return }
        let text = NumberFormat.compact(value, significantDigits: 2)
        guard CharacterWidth.of(text) <= cellWidth else { return }
        var textStyle = colorRamp == nil ? Style.plain : blockStyle
        textStyle.bold = isBest
        textStyle.underline = isBest
        grid.put(text, x: x + (cellWidth - CharacterWidth.of(text)) / 2, y: layout.textY(r), style: textStyle, clip: block)
    }

    /// The scale, the symbols, and progress if cells are still running.
    private func drawFooter(into grid: inout CellGrid, _ layout: Layout, pendingCount: Int) {
        let area = layout.area
        let y = layout.rowY(rowLabels.count)
        if let (lo, hi) = range() {
            // The scale bar: every shade from the lowest value to the highest.
            var x = area.x
            x = grid.put("scale \(NumberFormat.compact(scale.inverse(lo))) ", x: x, y: y, style: Style(dim: true), clip: area)
            for level in 0..<levels {
                let (glyph, style) = appearance(.level(level))
                if colorRamp != nil {
                    x = grid.put("  ", x: x, y: y, style: Style(foreground: style.foreground, reverse: true), clip: area)
                } else {
                    x = grid.put(String(repeating: glyph, count: 2), x: x, y: y, style: style, clip: area)
                }
            }
            x = grid.put(" \(NumberFormat.compact(scale.inverse(hi)))\(scale == .log10 ? " (log)" : "")", x: x, y: y, clip: area)
            if values.joined().contains(where: { $0 != nil && content($0) == .diverged }) {
                x = grid.put("   ", x: x, y: y, clip: area)
                x = grid.put(String(glyphs.diverged), x: x, y: y, style: appearance(.diverged).1, clip: area)
                grid.put(" diverged", x: x, y: y, clip: area)
            }
        }
        if pendingCount > 0 {
            let total = rowLabels.count * columnLabels.count
            ProgressBar(fraction: Double(total - pendingCount) / Double(max(1, total)),
                        label: "\(glyphs.pending) training \(total - pendingCount)/\(total)", glyphs: glyphs)
                .render(into: &grid, in: Rect(x: area.x, y: y + 1, width: min(area.width, 60), height: 1))
        }
    }
}
