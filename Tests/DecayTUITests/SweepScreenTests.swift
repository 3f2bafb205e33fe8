import Testing
import Foundation
import DecayEngine
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

/// Sweeps on screen: heatmaps shown together share one colour scale, shown
/// as a scale bar; cells carry their values where they fit; a sweep over λ
/// at one lr is the U-curve of the metric against λ on a log axis.
private func sweepLesson(lrs: String, runs: String) -> String {
    """
    ---
    id: sweeps
    title: Sweeps
    ---

    ## A grid

    Text.

    ```experiment
    data = linreg
    train = 12
    val = 20
    inputs = 8
    model = linear
    optimizer = sgd
    lr = 0.01
    steps = 20
    controls = []
    \(runs)
    ```

    ```sweep
    lr = \(lrs)
    lambda = [0, 0.01, 0.1, 1]
    steps = 20
    ```
    """
}

private func finishedSweepApp(lrs: String, runs: String = "", width: Int = 120, height: Int = 40, colors: Int = 0) throws -> App {
    let lesson = try LessonParser.parse(sweepLesson(lrs: lrs, runs: runs), path: "01-sweeps.md").get()
    let a = testApp(LessonLibrary(lessons: [lesson]), width: width, height: height, colors: colors)
    a.open(lesson: 0, step: 0)
    for _ in 0..<2000 where !a.session!.sweepComplete { a.tick(); usleep(1000) }
    #expect(a.session!.sweepComplete)
    a.tick()
    return a
}

@Suite struct SweepScreenTests {
    static let twoRuns = """

        [run "plain"]

        [run "momentum"]
        momentum = 0.9
        """

    /// Two heatmaps side by side: the scale bar of each spans all cells of
    /// both (the same lowest and highest value), and equal values get equal
    /// shades in both.
    @Test func heatmapsShownTogetherShareOneScale() throws {
        let a = try finishedSweepApp(lrs: "[0.001, 0.01]", runs: Self.twoRuns)
        let snapshot = a.session!.snapshot()
        let sweep = try #require(snapshot.sweep)
        let all = sweep.cells.map { Double($0.value) }.filter(\.isFinite)
        let perRun = (0..<2).map { r in sweep.cells.filter { $0.run == r }.map { Double($0.value) } }
        #expect(perRun[0].max()! != perRun[1].max()! || perRun[0].min()! != perRun[1].min()!, "the runs' ranges differ")
        let lines = a.frame().lines()
        let scales = lines.filter { $0.contains("scale ") }
        #expect(scales.count == 2, "\(scales)")
        let lowest = "scale \(NumberFormat.compact(all.min()!))"
        #expect(scales.allSatisfy { $0.contains(lowest) }, "\(scales) vs \(lowest)")
        #expect(scales.allSatisfy { $0.contains(NumberFormat.compact(all.max()!)) }, "\(scales)")
        // Without the shared range each would span its own cells: the check above would fail.
        let view = StepView(state: a.state, training: snapshot, theme: Theme(a.state))
        let own = Heatmap.valueRange(view.sweepValues(sweep, run: 0), scale: .log10)
        let shared = Heatmap.valueRange(sweep.runNames.indices.flatMap { view.sweepValues(sweep, run: $0) }, scale: .log10)
        #expect(own != shared)
    }

    /// Every finished cell shows its value when the cell is wide enough
    /// (a 120-column screen), and at 80 columns no value is cut.
    @Test func cellsCarryTheirValues() throws {
        let a = try finishedSweepApp(lrs: "[0.001, 0.01]", runs: Self.twoRuns)
        let text = a.frame().lines().joined(separator: "\n")
        for cell in a.session!.snapshot().sweep!.cells {
            #expect(text.contains(NumberFormat.compact(Double(cell.value), significantDigits: 2)), "\(cell)")
        }
        var grid = CellGrid(width: 30, height: 8)
        Heatmap(rowLabels: ["a"], columnLabels: ["x", "y"], values: [[0.123456, 0.5]]).render(into: &grid, in: grid.bounds)
        let shown = grid.lines().joined(separator: "\n")
        #expect(shown.contains("0.12") && shown.contains("0.5"), "\(shown)")
    }

    /// One lr: no heatmap but the metric against λ, on a log axis (λ = 0 a
    /// decade left of the smallest λ), with the λ values as ticks.
    @Test func aOneLrSweepIsTheUCurve() throws {
        let a = try finishedSweepApp(lrs: "[0.01]")
        let snapshot = a.session!.snapshot()
        #expect(snapshot.panels(charts: a.state.step!.charts).first == .sweepCurve)
        let view = StepView(state: a.state, training: snapshot, theme: Theme(a.state))
        let curve = try #require(view.sweepCurve())
        #expect(curve.xTicks?.map(\.label) == ["0", "0.01", "0.1", "1"])
        let ticks = curve.xTicks?.map(\.value) ?? []
        #expect(ticks.count == 4 && zip(ticks, [-3.0, -2, -1, 0]).allSatisfy { abs($0 - $1) < 1e-6 }, "\(ticks)")
        let xs = curve.series[0].points.map(\.x)
        #expect(xs.count == 4 && zip(xs, ticks).allSatisfy { $0 == $1 }, "\(xs)")
        let text = a.frame().lines().joined(separator: "\n")
        #expect(text.contains("final val loss against λ, lr 0.01"))
        #expect(!text.contains("scale "), "no heatmap")
        // Equal decades are equal distances on screen.
        let map = curve.mapping(plotWidth: 60, plotHeight: 10)
        #expect(map.dotX(-2) - map.dotX(-3) == map.dotX(-1) - map.dotX(-2) || abs((map.dotX(-2) - map.dotX(-3)) - (map.dotX(-1) - map.dotX(-2))) <= 1)
    }
}
