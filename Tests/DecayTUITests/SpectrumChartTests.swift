import Testing
import DecayEngine
@testable import TerminalUI
@testable import DecayTUI

/// The spectrum chart: each run's σᵢ/σ₁ at the latest evaluation against
/// i, a dashed line at σ₁/10, and a legend that counts the values above it
/// and gives σ₁ (adapters, step 3).
@Suite struct SpectrumChartTests {
    typealias Spectrum = StepView.LayerSpectrum

    /// Ratios to σ₁ on the log axis: 10, 5, 1 → 1, 0.5, 0.1; 1e-3 stays;
    /// 1e-4 and 0 (a direction never used) sit on the floor; NaN stays NaN
    /// and breaks the line. Strictly above a tenth: 10 and 5, not 1.
    @Test func ratiosToTheTopValueWithAFloor() {
        let s = Spectrum(layer: 1, step: 100, values: [10, 5, 1, 0.01, 0.001, 0, .nan])
        let points = s.ratios(floor: 1e-3)
        #expect(points.map(\.x) == [1, 2, 3, 4, 5, 6, 7])
        let want: [Double] = [1, 0.5, 0.1, 1e-3, 1e-3, 1e-3]
        for (p, w) in zip(points, want) { #expect(abs(p.y - w) <= 1e-6 * w, "\(p)") }
        #expect(points[6].y.isNaN)
        #expect(s.aboveATenth == 2)
        #expect(s.summary == "2 above, σ₁ = 10")
    }

    /// Before the first step ΔW = B·A is 0 (B starts at zero): no ratio
    /// exists, so nothing is drawn and nothing is counted.
    @Test(arguments: [[Float](repeating: 0, count: 4), [.nan, .nan]])
    func aZeroOrUnmeasuredTopDrawsNothing(values: [Float]) {
        let s = Spectrum(layer: 1, step: nil, values: values)
        #expect(s.ratios(floor: 1e-3).isEmpty)
        #expect(s.aboveATenth == nil)
        #expect(!s.summary.contains("above"))
    }

    /// A series that marks its points carries its glyph on every sample,
    /// and two such series on the same values both show all of theirs
    /// (the later one a column aside); a curve marks only every 12 columns.
    @Test func markedPointsAreAllStampedEvenWhereTheyMeet() {
        let values: [Double] = [1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005]
        func series(_ marker: Character, marks: Bool) -> ChartSeries {
            var s = ChartSeries(label: marks ? "points" : "curve", color: nil,
                                points: values.enumerated().map { ChartPoint(x: Double($0.offset + 1), y: $0.element) },
                                marker: marker)
            s.marksPoints = marks
            return s
        }
        func count(_ glyph: Character, _ chart: LineChart) -> Int {
            var grid = CellGrid(width: 60, height: 14)
            chart.render(into: &grid, in: grid.bounds)
            // The legend's row has one of each glyph; the plot the rest.
            return grid.lines().joined().filter { $0 == glyph }.count - 1
        }
        let both = LineChart(series: [series("●", marks: true), series("■", marks: true)], yScale: .log10,
                             xRange: 1...8, yRange: 1e-3...1.2)
        #expect(count("●", both) == 8)
        #expect(count("■", both) == 8)
        let curve = LineChart(series: [series("●", marks: false)], yScale: .log10, xRange: 1...8, yRange: 1e-3...1.2)
        #expect(count("●", curve) < 8)
    }

    /// On the shipped step, each run's legend entry gives what its history
    /// holds at the latest evaluation: how many σᵢ exceed σ₁/10, and σ₁;
    /// the title names that evaluation's step. At 120×40 in Unicode and at
    /// 80×24 in ASCII.
    @Test(arguments: [(120, 40, true), (80, 24, false)])
    func theLegendCountsWhatTheRunMeasured(width: Int, height: Int, unicode: Bool) throws {
        let screen = try ShippedScreen("adapters", 3, width: width, height: height, unicode: unicode)
        let text = screen.frame().lines().joined(separator: "\n")
        var steps: Set<Int> = []
        for run in screen.training.runs {
            var sigma: [Float] = []
            for i in 0..<8 {
                let latest = try #require(run.entries.latest(Metric(.singularValue, .component(layer: 1, index: i))!))
                sigma.append(latest.value)
                steps.insert(latest.entry.step)
            }
            let above = sigma.filter { $0 > sigma[0] / 10 }.count
            #expect((1...8).contains(above))
            let words = "\(run.name): \(above) above, σ₁ = \(NumberFormat.compact(Double(sigma[0]), significantDigits: 3))"
            let shown = unicode ? words : AsciiSpelling.spell(words)
            #expect(text.contains(shown), "\(shown) not in\n\(text)")
        }
        #expect(steps.count == 1)
        let title = unicode ? "at step \(steps.first ?? -1), as σᵢ/σ₁" : "at step \(steps.first ?? -1), as"
        #expect(text.contains(title), "\(text)")
    }
}
