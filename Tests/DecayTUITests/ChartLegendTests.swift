import Testing
@testable import TerminalUI

/// A chart's legend either shows every entry or ends by saying how many it
/// does not show, whether it runs out of rows because there are many
/// entries or because the chart is short.
@Suite("A chart legend accounts for every entry")
struct ChartLegendTests {
    static func legend(_ count: Int, labelLength: (Int) -> Int = { 8 + $0 % 9 }) -> [LegendEntry] {
        (0..<count).map { i in
            LegendEntry(sample: "⠤⠤●", label: "run " + String(repeating: "x", count: labelLength(i)) + " \(i)",
                        style: .plain)
        }
    }

    static func width(_ e: LegendEntry) -> Int { CharacterWidth.of(e.sample) + 1 + CharacterWidth.of(e.label) }

    /// The hidden count the last row states, or 0 when it states none.
    static func hidden(in rows: [[LegendEntry]]) -> Int {
        guard let last = rows.last?.last, last.sample == "+", last.label.hasSuffix(" more") else { return 0 }
        return Int(last.label.dropLast(5)) ?? -1
    }

    /// Every width, row limit and legend size: the shown entries are the
    /// legend's first ones in order, shown + stated hidden = all, no row
    /// of several entries is wider than the chart, and the rows stay within
    /// the limit.
    @Test func shownAndHiddenAddUpEverywhere() {
        for count in [1, 2, 3, 5, 8, 11, 16, 40] {
            let frame = ChartFrame(title: nil, legend: Self.legend(count), xAxisLabel: nil, glyphs: .unicode)
            for width in stride(from: 24, through: 130, by: 7) {
                for limit in [nil, 0, 1, 2, 3, 4, 9] {
                    let rows = frame.legendRows(width: width, rowLimit: limit)
                    let shown = rows.flatMap { $0 }.filter { $0.sample != "+" }
                    let hidden = Self.hidden(in: rows)
                    let context = "\(count) entries, width \(width), limit \(String(describing: limit))"
                    #expect(shown == Array(frame.legend.prefix(shown.count)), "\(context)")
                    #expect(shown.count + hidden == count, "\(context): \(shown.count) shown, \(hidden) said hidden")
                    #expect(rows.count <= max(1, min(4, limit ?? 4)), "\(context): \(rows.count) rows")
                    // Only an entry (or the count) wider than the chart by itself
                    // makes a wider row, which drawing clips.
                    for row in rows {
                        let used = row.map(Self.width).reduce(0, +) + 3 * (row.count - 1)
                        #expect(used <= width || row.count == 1,
                                "\(context): a row of \(used) cells")
                    }
                }
            }
        }
    }

    /// A short chart gives its legend a third of its height; the entries
    /// beyond that are counted, not dropped (10:3's spectrum chart has 16
    /// runs in 12 rows).
    @Test func aShortChartSaysHowManyItLeavesOut() throws {
        let frame = ChartFrame(title: "singular values", legend: Self.legend(16, labelLength: { _ in 6 }),
                               xAxisLabel: nil, glyphs: .unicode)
        let layout = try #require(frame.layout(in: Rect(x: 0, y: 0, width: 70, height: 12)) { _ in 4 })
        #expect(layout.legendRows.count == 3)
        let shown = layout.legendRows.flatMap { $0 }.filter { $0.sample != "+" }.count
        #expect(shown < 16)
        #expect(Self.hidden(in: layout.legendRows) == 16 - shown, "\(layout.legendRows.map { $0.map(\.label) })")
        var grid = CellGrid(width: 70, height: 12)
        frame.draw(into: &grid, rect: Rect(x: 0, y: 0, width: 70, height: 12), layout: layout, yTicks: [], xTicks: [])
        let text = (0..<12).map { y in String((0..<70).map { grid[$0, y].character }) }.joined(separator: "\n")
        #expect(text.contains("+ \(16 - shown) more"), "\(text)")
    }

    /// A legend that fits shows every entry and no count.
    @Test func aLegendThatFitsIsWhole() {
        let frame = ChartFrame(title: nil, legend: Self.legend(3), xAxisLabel: nil, glyphs: .ascii)
        let rows = frame.legendRows(width: 120, rowLimit: 1)
        #expect(rows.count == 1 && rows[0].count == 3 && Self.hidden(in: rows) == 0)
    }
}
