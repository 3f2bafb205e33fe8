import Testing
import Foundation
import DecayEngine
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

/// A run at several seeds (`seeds = N`) on screen: its median line over a
/// min–max band, the median and spread in the numbers panel, the goal
/// judged on the median, controls moving every seed.
private let bandLesson = """
---
id: band
title: Seeds
---

## Five starts

Five starting points.

```experiment
data = moons
train = 40
val = 40
model = mlp
hidden = [8]
optimizer = adamw
lr = 0.01
lambda = 0.1
steps = 200
batch = 10
eval_every = 10
controls = [lambda]

[run "yours"]
seeds = 5

[run "alone"]
lambda = 1
```

```goal
kind = threshold
run = "yours"
metric = val_loss
below = 0.0001
min_steps = 100
prompt = "Get the median validation loss below 0.0001"
```
"""

func bandLibrary(steps: Int = 200) throws -> LessonLibrary {
    let text = bandLesson.replacingOccurrences(of: "steps = 200", with: "steps = \(steps)")
    return LessonLibrary(lessons: [try LessonParser.parse(text, path: "01-band.md").get()])
}

@Suite struct SeedBandTests {
    /// A band alone: stipple dots between its bounds and none outside, in
    /// braille; `'` cells in ASCII; its own legend entry in both.
    @Test(arguments: [true, false])
    func aBandFillsBetweenItsBounds(braille: Bool) {
        let line = ChartSeries(label: "median", color: nil, points: [ChartPoint(x: 0, y: 5), ChartPoint(x: 10, y: 5)])
        var chart = LineChart(series: [line], yRange: 0...10, glyphs: braille ? .unicode : .ascii)
        chart.bands = [ChartBand(color: nil, low: [ChartPoint(x: 0, y: 2), ChartPoint(x: 10, y: 2)],
                                 high: [ChartPoint(x: 0, y: 8), ChartPoint(x: 10, y: 8)], label: "min-max of 5 seeds")]
        var grid = CellGrid(width: 50, height: 16)
        guard let (plot, map) = chart.renderReturningPlot(into: &grid, in: grid.bounds) else { Issue.record("too small"); return }
        let top = map.dotY(8), bottom = map.dotY(2), middle = map.dotY(5)
        let legend = grid.lines().joined(separator: "\n")
        #expect(legend.contains("min-max of 5 seeds"))
        #expect(legend.contains(LegendEntry.sample(for: .band, glyphs: braille ? .unicode : .ascii)))
        if braille {
            let dots = DotReader(grid: grid, plot: plot)
            let x = plot.width  // a dot column in the middle
            let raised = dots.rows(inColumn: x - x % 2)
            #expect(raised.contains { $0 > top + 1 && $0 < middle - 1 }, "stipple above the median: \(raised)")
            #expect(raised.contains { $0 > middle + 1 && $0 < bottom - 1 }, "stipple below the median")
            #expect(!raised.contains { $0 < top - 1 || $0 > bottom + 1 }, "nothing outside the band: \(raised)")
        } else {
            let column = plot.x + plot.width / 2
            let chars = (plot.y..<plot.maxY).map { grid[column, $0].character }
            let band = chars.indices.filter { chars[$0] == "'" }
            #expect(band.count >= bottom - top - 2, "\(chars)")
            #expect(band.allSatisfy { $0 >= top && $0 <= bottom })
            #expect(chars[middle] == "-")
        }
    }

    /// The legend swatch of a band differs from every line swatch, so it
    /// reads without colour.
    @Test func theBandSwatchIsUnlikeAnyLine() {
        for glyphs in [Glyphs.unicode, .ascii] {
            let lines = [LinePattern.solid, .dashed].map { LegendEntry.sample(for: $0, glyphs: glyphs) }
            #expect(!lines.contains(LegendEntry.sample(for: .band, glyphs: glyphs)))
        }
    }

    static func trainedApp(width: Int = 120, height: Int = 40, unicode: Bool = true) throws -> App {
        let a = testApp(try bandLibrary(), width: width, height: height, unicode: unicode, colors: 0)
        a.open(lesson: 0, step: 0)
        for _ in 0..<40 { a.tick() }
        return a
    }

    @Test func theScreenSaysMedianAndSpread() throws {
        let a = try Self.trainedApp()
        let snapshot = a.session!.snapshot()
        let yours = try #require(snapshot.runs.first { $0.name == "yours" })
        #expect(yours.seedCount == 5 && !snapshot.runs[1].isBanded)
        let text = a.frame().lines().joined(separator: "\n")
        #expect(text.contains("band: min–max of 5 seeds, line: median"))
        // The spread label shortens to "min–max of 5" where the full one would run into its values.
        #expect(text.contains("yours, median") && (text.contains("min–max, 5 seeds") || text.contains("min–max of 5")))
        #expect(text.contains("Live (median of 5 seeds): val_loss ="))
        // The panel's median cell is the median of the five seeds' latest validation losses.
        let seeds = a.session!.seeded.seeds(of: "yours")
        let vals = seeds.map { $0.history.latest(.validationLoss)!.value }.sorted()
        let median = NumbersPanel.number(Double(vals[2]))
        let row = try #require(a.frame().lines().first { $0.contains("yours, median") })
        #expect(row.contains(median), "\(row) vs \(vals)")
        let spread = try #require(a.frame().lines().first { $0.contains("min–max, 5 seeds") })
        #expect(spread.contains("\(NumbersPanel.number(Double(vals[0])))–\(NumbersPanel.number(Double(vals[4])))"), "\(spread)")
        let ascii = try Self.trainedApp(width: 80, height: 24, unicode: false)
        var seen = ""
        for _ in 0..<4 { seen += ascii.frame().lines().joined(separator: "\n"); ascii.send(.key(.char("c"))) }
        #expect(seen.contains("min-max of 5 seeds") && seen.contains("'''"))
        #expect(seen.utf8.allSatisfy { $0 < 0x80 })
    }

    /// A banded step that charts accuracy alone keeps the accuracy columns
    /// (median and min–max) when the table is too wide, dropping the losses.
    @Test func anAccuracyStepKeepsItsAccuracyColumns() throws {
        let text = bandLesson.replacingOccurrences(of: "controls = [lambda]", with: "controls = [lambda]\ncharts = [accuracy]")
        let library = LessonLibrary(lessons: [try LessonParser.parse(text, path: "01-band.md").get()])
        let a = testApp(library, width: 120, height: 40, unicode: true, colors: 0)
        a.open(lesson: 0, step: 0)
        for _ in 0..<40 { a.tick() }
        let lines = a.frame().lines()
        let head = try #require(lines.first { $0.contains("train acc") }, "\(lines.joined(separator: "\n"))")
        #expect(head.contains("val acc"), "\(head)")
        let spread = try #require(lines.first { ($0.contains("min–max, 5 seeds") || $0.contains("min–max of 5")) && $0.contains("%") })
        #expect(spread.filter { $0 == "%" }.count == 4, "\(spread)")
    }

    /// Every chart of a banded step bands its metric: the distance from θ₀
    /// (once drawn as seed 0 with a zero-width band) and the validation
    /// accuracy (once drawn without a band) spread as the seeds do.
    @Test func distanceAndAccuracyChartsBandTheirSeeds() throws {
        let text = bandLesson.replacingOccurrences(of: "controls = [lambda]", with: "controls = [lambda]\ncharts = [accuracy, distance]")
        let library = LessonLibrary(lessons: [try LessonParser.parse(text, path: "01-band.md").get()])
        let a = testApp(library, width: 120, height: 40, unicode: true, colors: 0)
        a.open(lesson: 0, step: 0)
        for _ in 0..<40 { a.tick() }
        let view = StepView(state: a.state, training: a.session!.snapshot(), theme: Theme(a.state))
        for chart in [Chart.distance, .accuracy] {
            guard case let .metrics(definition) = chart.plot else { Issue.record("\(chart) is not a metric chart"); continue }
            let drawn = view.lineChart(definition, width: 70)
            let band = try #require(drawn.bands.first, "\(chart) has no band")
            #expect(drawn.bands.count == 1, "\(chart): only the five-seed run is banded")
            #expect(zip(band.low, band.high).contains { $0.y < $1.y }, "\(chart): the band has no width")
            #expect(zip(band.low, band.high).allSatisfy { $0.y <= $1.y })
        }
        let median = a.session!.seeded.medianHistory(of: "yours").latest(.distanceFromInit)!.value
        let seed0 = a.session!.experiment.runs[0].history.latest(.distanceFromInit)!.value
        #expect(median != seed0)
    }

    @Test func aControlMovesEverySeed() throws {
        let a = try Self.trainedApp()
        a.send(.key(.right))
        for _ in 0..<3 { a.tick() }
        let lambda = a.state.value(.lambda)
        #expect(lambda != 0.1)
        #expect(a.session!.seeded.seeds(of: "yours").allSatisfy { $0.settings.weightDecay == lambda })
        #expect(a.session!.seeded.all.allSatisfy { $0.step == a.session!.experiment.step })
    }

    /// The pace is the planned one whatever the seed count: after the same
    /// frames, a step at five seeds has trained as far as at one seed.
    @Test func fiveSeedsKeepThePace() throws {
        let one = LessonLibrary(lessons: [try LessonParser.parse(bandLesson.replacingOccurrences(of: "seeds = 5", with: "seeds = 1"),
                                                                 path: "01-band.md").get()])
        var steps: [Int] = []
        for library in [try bandLibrary(), one] {
            let a = testApp(library, width: 120, height: 40)
            a.open(lesson: 0, step: 0)
            for _ in 0..<21 { a.tick() }
            steps.append(a.session!.experiment.step)
            #expect(a.session!.seeded.all.allSatisfy { $0.step == a.session!.experiment.step })
        }
        #expect(steps[0] == steps[1] && steps[0] > 0 && steps[0] < 200, "\(steps)")
    }
}
