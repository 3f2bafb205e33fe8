import TerminalUI
import DecayEngine
import DecayLessons
import Foundation

extension StepView {
    /// The sweep's values of one run, `values[lr][λ]` (nil: still training).
    func sweepValues(_ sweep: TrainingSnapshot.SweepState, run r: Int) -> [[Double?]] {
        var values = Array(repeating: Array(repeating: Double?.none, count: sweep.lambdas.count), count: sweep.learningRates.count)
        for c in sweep.cells where c.run == r { values[c.learningRateIndex][c.lambdaIndex] = Double(c.value) }
        return values
    }

    func metricName(_ sweep: TrainingSnapshot.SweepState) -> String { sweep.metric.label }

    func drawHeatmap(_ grid: inout CellGrid, _ rect: Rect, run r: Int) {
        guard let sweep = training.sweep else { return }
        let scale: AxisScale = sweep.metric.isLogScaled ? .log10 : .linear
        // One colour scale across every heatmap on screen: the range of all runs' cells.
        let all = sweep.runNames.indices.flatMap { sweepValues(sweep, run: $0) }
        Heatmap(title: theme.text("\(sweep.runNames[r]): final \(metricName(sweep)) after \(sweep.steps) steps"),
                rowLabels: sweep.learningRates.map { NumberFormat.compact(Double($0), significantDigits: 2) },
                columnLabels: sweep.lambdas.map { NumberFormat.compact(Double($0), significantDigits: 2) },
                values: sweepValues(sweep, run: r), rowAxisName: "lr", columnAxisName: theme.lambda,
                scale: scale, colorRamp: theme.colors ? Heatmap.ramp(colors: state.colors) : nil,
                lowerIsBetter: sweep.metric.lowerIsBetter, glyphs: theme.glyphs,
                sharedRange: Heatmap.valueRange(all, scale: scale))
            .render(into: &grid, in: rect)
    }

    /// A sweep over λ at one learning rate, drawn as the curve it is: the
    /// metric against λ on a log axis (λ = 0 sits one decade left of the
    /// smallest λ, labelled 0) — the U the prose talks about.
    func sweepCurve() -> LineChart? {
        guard let sweep = training.sweep, !sweep.lambdas.isEmpty else { return nil }
        let positive = sweep.lambdas.filter { $0 > 0 }
        let zeroAt = log10(Double(positive.min() ?? 1)) - 1
        func x(_ lambda: Float) -> Double { lambda > 0 ? log10(Double(lambda)) : zeroAt }
        var series: [ChartSeries] = []
        for (r, name) in sweep.runNames.enumerated() {
            let row = sweepValues(sweep, run: r)[0]
            let points = zip(sweep.lambdas, row).compactMap { lambda, v in v.map { ChartPoint(x: x(lambda), y: $0) } }
            series.append(ChartSeries(label: theme.text(name), color: theme.runColor(r), role: .training, points: points,
                                      marker: theme.runMarker(r), endLabel: nil))
        }
        let ticks = sweep.lambdas.map { AxisTick(value: x($0), label: NumberFormat.compact(Double($0), significantDigits: 2)) }
        let lo = ticks.map(\.value).min()!, hi = ticks.map(\.value).max()!
        let done = sweep.complete ? "" : " (\(sweep.cells.count)/\(sweep.cellCount))"
        var chart = LineChart(title: theme.text("final \(metricName(sweep)) against λ, lr \(NumberFormat.compact(Double(sweep.learningRates[0])))\(done)"),
                              series: series, yScale: sweep.metric.isLogScaled ? .log10 : .linear,
                              xRange: (lo - 0.2)...(hi + 0.2), xAxisLabel: theme.lambda, glyphs: theme.glyphs)
        chart.xTicks = ticks
        return chart
    }
}
