import Testing
@testable import TerminalUI

@Suite struct LineChartTests {
    /// y = x on 0…10 with y fixed to 0…10, in a 30×12 rectangle without a
    /// title. Layout: 1 legend row and 2 x-axis rows leave 9 plot rows
    /// (36 dots). Ticks: at most 9/2+1 = 5, so the 1-2-5 step for 0…10 is 5:
    /// labels "10", "5", "0" (2 wide) plus the axis column leave 27 plot
    /// columns (54 dots). The line must run from dot (0, 35) to (53, 0)
    /// through every column, and the labels sit on the rows of their values:
    /// 10 → dot 0 → row 0; 5 → dot round(17.5) = 18 → row 4; 0 → dot 35 → row 8.
    @Test func straightLineAndItsTicks() {
        var grid = CellGrid(width: 30, height: 12)
        let chart = LineChart(series: [ChartSeries(label: "y", color: 1, values: (0...10).map(Double.init))],
                              yRange: 0...10)
        chart.render(into: &grid, in: grid.bounds)
        let lines = grid.lines()
        #expect(lines[0].hasPrefix("10┤"))
        #expect(lines[4].hasPrefix(" 5┤"))
        #expect(lines[8].hasPrefix(" 0┤"))
        #expect(lines[9].hasPrefix("  └┬"))
        let dots = DotReader(grid: grid, plot: Rect(x: 3, y: 0, width: 27, height: 9))
        #expect(dots.isSet(x: 0, y: 35))
        #expect(dots.isSet(x: 53, y: 0))
        var last = 36
        for x in 0..<54 {
            let rows = dots.rows(inColumn: x)
            #expect(!rows.isEmpty, "gap at dot column \(x)")
            // Rising line: each column is at or above the previous one, and touching it.
            if let lowest = rows.max() {
                #expect(lowest <= last && last - (rows.min() ?? lowest) <= 2)
                last = rows.min() ?? lowest
            }
        }
        // Exactly on the ideal line y = 35 − 35·x/53, give or take rounding.
        for x in stride(from: 0, to: 54, by: 7) {
            let ideal = 35.0 - 35.0 * Double(x) / 53.0
            #expect(dots.rows(inColumn: x).contains { abs(Double($0) - ideal) <= 1 })
        }
        // X ticks are on the axis row with labels starting at 0.
        #expect(lines[10].hasPrefix("   0"))
        #expect(lines[10].contains("10"))
    }

    /// On a log axis from 1e-3 to 1 with 10 plot rows (40 dots), each decade
    /// spans 39/3 = 13 dots, so the labels 1, 0.1, 0.01, 0.001 sit on rows
    /// 0/4, 13/4, 26/4, 39/4 = 0, 3, 6, 9: equal spacing. The geometric
    /// series 10^(-x/10), x = 0…30, is a straight line there and must pass
    /// through the dots of each decade: (dotX(10k), 13k).
    @Test func logAxisGivesEachDecadeTheSameHeight() {
        var grid = CellGrid(width: 40, height: 13)
        let values = (0...30).map { pow10(-Double($0) / 10) }
        let chart = LineChart(series: [ChartSeries(label: "loss", color: 6, values: values)],
                              yScale: .log10, yRange: 0.001...1)
        chart.render(into: &grid, in: grid.bounds)
        let lines = grid.lines()
        // Label column is 5 wide ("0.001").
        #expect(lines[0].hasPrefix("    1┤"))
        #expect(lines[3].hasPrefix("  0.1┤"))
        #expect(lines[6].hasPrefix(" 0.01┤"))
        #expect(lines[9].hasPrefix("0.001┤"))
        for row in [1, 2, 4, 5, 7, 8] { #expect(lines[row].hasPrefix("     │")) }
        // 40 − 6 = 34 plot columns = 68 dots; dotX(x) = round(x/30 · 67).
        let dots = DotReader(grid: grid, plot: Rect(x: 6, y: 0, width: 34, height: 10))
        for (x, k) in [(0, 0), (10, 1), (20, 2), (30, 3)] {
            let dotX = Int((Double(x) / 30 * 67).rounded())
            #expect(dots.isSet(x: dotX, y: 13 * k), "decade \(k)")
        }
    }

    @Test func constantSeriesIsDrawnInTheMiddleWithItsValueAsTheTick() {
        var grid = CellGrid(width: 30, height: 10)
        let chart = LineChart(series: [ChartSeries(label: "flat", color: 2, values: Array(repeating: 0.42, count: 20))])
        chart.render(into: &grid, in: grid.bounds)
        let lines = grid.lines()
        // 10 − 1 legend − 2 axis = 7 rows = 28 dots; the middle dot is round(13.5) = 14 → row 3.
        #expect(lines[3].hasPrefix("0.42┤"))
        let dots = DotReader(grid: grid, plot: Rect(x: 5, y: 0, width: 25, height: 7))
        for x in 0..<50 { #expect(dots.rows(inColumn: x) == [14], "column \(x)") }
        // Log axis too: no division by a zero span.
        var logGrid = CellGrid(width: 30, height: 10)
        LineChart(series: [ChartSeries(label: "flat", color: 2, values: [3, 3, 3])], yScale: .log10)
            .render(into: &logGrid, in: logGrid.bounds)
        #expect(logGrid.lines().contains { $0.hasPrefix("3┤") })
    }

    @Test func nonFiniteAndNonPositiveSamplesBreakTheLine() {
        var grid = CellGrid(width: 30, height: 10)
        // x: 0…10; a NaN at 5 and a zero (impossible on log) at 8.
        var values = (0...10).map { _ in 1.0 }
        values[5] = .nan
        values[8] = 0
        let chart = LineChart(series: [ChartSeries(label: "loss", color: 2, values: values)],
                              yScale: .log10, xRange: 0...10, yRange: 0.1...10)
        chart.render(into: &grid, in: grid.bounds)
        // Plot: 7 rows; log labels "10", "1", "0.1" → 3 wide, 26 columns = 52 dots.
        // dotX(x) = round(x · 5.1): 4 → 20, 5 → 26 (skipped), 6 → 31; the gap 21…30 stays empty.
        let dots = DotReader(grid: grid, plot: Rect(x: 4, y: 0, width: 26, height: 7))
        #expect(!dots.rows(inColumn: 20).isEmpty)
        for x in 21...30 { #expect(dots.rows(inColumn: x).isEmpty, "column \(x)") }
        #expect(!dots.rows(inColumn: 31).isEmpty)
        for x in 37...45 { #expect(dots.rows(inColumn: x).isEmpty, "column \(x)") }   // around x = 8 → dot 41
    }

    @Test func legendShowsSolidTrainingAndDashedValidation() {
        var grid = CellGrid(width: 60, height: 12)
        let chart = LineChart(title: "Loss", series: [
            ChartSeries(label: "train", color: 6, values: [3, 2, 1]),
            ChartSeries(label: "validation", color: 6, role: .validation, values: [3, 2.5, 2]),
        ], yScale: .log10, xAxisLabel: "step")
        chart.render(into: &grid, in: grid.bounds)
        let lines = grid.lines()
        #expect(lines[0] == "Loss")
        #expect(lines[11] == "⠤⠤⠤ train   ⠤ ⠤ validation")
        // Legend samples carry the series colour.
        #expect(grid[0, 11].style.foreground == 6)
    }

    @Test func markerIsADimDottedVerticalLineWithALabel() {
        var grid = CellGrid(width: 40, height: 10)
        let chart = LineChart(series: [ChartSeries(label: "", color: 1, values: [1, 1])],
                              xRange: 0...100, yRange: 0...2, markers: [ChartMarker(x: 50, label: "λ→1e-2")])
        chart.render(into: &grid, in: grid.bounds)
        let lines = grid.lines()
        #expect(lines[0].contains("λ→1e-2"))
        // Plot: 8 rows (no legend: the only series is unlabelled); at most 5 ticks over
        // 0…2 gives the step 0.5 and 3-wide labels ("0.5"), so 36 columns = 72 dots;
        // dotX(50) = round(35.5) = 36, an even dot: left column of cell 18, grid column 4 + 18.
        #expect(lines[0].hasPrefix("2.0┤"))
        let markerColumn = 4 + 18
        for row in 1..<8 {
            #expect(grid[markerColumn, row].character == "⠅", "row \(row)")   // dots 1 and 3: every other dot
            #expect(grid[markerColumn, row].style.dim)
        }
    }

    @Test func asciiFallbackUsesNoBrailleAndLabelsItsLines() {
        // Tall and narrow, so the training line is steeper than 1:2 and
        // must be drawn with '\\' (a shallower one would be '-').
        var grid = CellGrid(width: 20, height: 16)
        let chart = LineChart(series: [
            ChartSeries(label: "train", color: 6, values: [4, 3, 2, 1]),
            ChartSeries(label: "val", color: 6, role: .validation, values: [4, 3.5, 3, 2.5]),
        ], glyphs: .ascii)
        chart.render(into: &grid, in: grid.bounds)
        let text = grid.lines().joined(separator: "\n")
        #expect(!text.unicodeScalars.contains { $0.value >= 0x2500 })
        #expect(grid.lines().last == "--- train   ... val")
        #expect(text.contains("\\"))   // falling training line
        #expect(text.contains("."))
    }

    /// A fit's data points are drawn over the chart after it: an end label
    /// keeps off their cells. A flat line ends at (10, 5) with the label
    /// "end"; a point on the cell left of the end (where the label goes
    /// when there is no room to the right) sends the label to another row,
    /// and the label is still drawn, whole.
    @Test func anEndLabelLeavesReservedPointsFree() {
        func render(reserving: [ChartPoint]) -> (lines: [String], plot: Rect, map: PlotMapping) {
            var chart = LineChart(series: [ChartSeries(label: "", color: nil,
                                                       points: (0...10).map { ChartPoint(x: Double($0), y: 5) },
                                                       endLabel: "end")],
                                  xRange: 0...10, yRange: 0...10, showLegend: false)
            chart.reservedPoints = reserving
            var grid = CellGrid(width: 30, height: 10)
            let (plot, map) = chart.renderReturningPlot(into: &grid, in: grid.bounds)!
            return (grid.lines(), plot, map)
        }
        func labelRow(_ lines: [String]) -> Int? { lines.firstIndex { $0.contains("end") } }
        let free = render(reserving: [])
        let row = try! #require(labelRow(free.lines))
        let start = free.lines[row].distance(from: free.lines[row].startIndex, to: free.lines[row].range(of: "end")!.lowerBound)
        // The reserved point: the label's middle cell, back in data units.
        let column = start + 1 - free.plot.x
        let x = (Double(column) + 0.5) / Double(free.plot.width) * 10
        let point = ChartPoint(x: x, y: 5)
        #expect(free.map.cellColumn(point.x) + free.plot.x == start + 1 && free.plot.y + free.map.cellRow(5) == row)
        let moved = render(reserving: [point])
        let newRow = try! #require(labelRow(moved.lines))
        #expect(newRow != row)
    }

    @Test func tooSmallRectangleSaysSoInsteadOfDrawingGarbage() {
        var grid = CellGrid(width: 12, height: 3)
        LineChart(series: [ChartSeries(label: "a", color: 1, values: [1, 2])]).render(into: &grid, in: grid.bounds)
        #expect(grid.lines()[0].hasPrefix("(enlarge"))
    }
}

private func pow10(_ x: Double) -> Double {
    var r = 1.0
    // Exact for the integer decades used above; fractional exponents via exp.
    if x == x.rounded() {
        for _ in 0..<Int(abs(x)) { r *= 10 }
        return x < 0 ? 1 / r : r
    }
    return exp(x * log(10.0))
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
