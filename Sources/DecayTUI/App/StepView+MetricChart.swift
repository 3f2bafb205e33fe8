import TerminalUI
import DecayEngine
import DecayLessons
import TextSupport

/// Every metric chart is drawn here, from its definition (`Chart.plot`):
/// a chart with a solid and a dashed line gives each run one colour and
/// names the two patterns in the legend; a chart with one line gives each
/// member of a family (each group, layer, …) a line of its own.
extension StepView {
    func lineChart(_ chart: MetricChart, width: Int) -> LineChart {
        let shownSolid = shown(chart.solid, focus: chart.focusedTitle != nil)
        var series: [ChartSeries]
        if let dashed = chart.dashed {
            series = roleLegend(theme.text(legend(chart.solid)), theme.text(dashed.legend))
            for (i, run) in training.runs.enumerated() {
                for (k, points) in curves(chart.solid, run.entries).enumerated() {
                    series.append(ChartSeries(label: k == 0 ? runLabel(run) : "", color: theme.runColor(i), role: .training,
                                              points: points, marker: theme.runMarker(i),
                                              endLabel: k == 0 ? endLabel(run.name) : nil))
                }
                for points in curves(dashed, run.entries) {
                    series.append(ChartSeries(label: "", color: theme.runColor(i), role: .validation, points: points,
                                              marker: theme.runMarker(i)))
                }
            }
        } else {
            series = familySeries(chart.solid, shownSolid)
        }
        var title = chart.title
        if let focused = chart.focusedTitle, shownSolid.count == 1 {
            title = focused.replacingScalars("{}", with: shownSolid[0].memberName)
        }
        var line = LineChart(title: theme.text(title), series: fittingLegend(series, width: width), yScale: chart.scale == .log ? .log10 : .linear,
                             xRange: xRange, markers: markers(width: width), xAxisLabel: "step", glyphs: theme.glyphs)
        if let role = chart.band, let banded = chart.line(role) {
            let metrics = role == .solid ? shownSolid : shown(banded, focus: false)
            line.bands = metrics.flatMap { m in bands(m) }
        }
        return line
    }

    /// The metrics of `line` on screen: every member the runs have, or on
    /// a chart the learner focuses with `g`, the focused group alone (when
    /// the model has it).
    func shown(_ line: ChartLine, focus: Bool) -> [Metric] {
        let all = training.runs.first.map { line.metrics(in: $0.entries.layout) } ?? []
        guard focus, let g = state.normGroup else { return all }
        let focused = all.filter { $0.group == g }
        return focused.isEmpty ? all : focused
    }

    /// One line per member per run: with one run a colour and glyph per
    /// member, with several a colour per run and a glyph per member.
    func familySeries(_ line: ChartLine, _ shown: [Metric]) -> [ChartSeries] {
        let single = training.runs.count == 1
        let family = line.kind.shape != .single
        var series: [ChartSeries] = []
        for (i, run) in training.runs.enumerated() {
            for (k, metric) in shown.enumerated() {
                let look = theme.seriesLook(single ? k : i * shown.count + k)
                let member = metric.memberName
                let label = single && family ? member : shown.count == 1 ? runLabel(run) : "\(theme.text(run.name)) \(member)"
                let end = single && family ? member : shown.count == 1 ? run.name : member
                series.append(ChartSeries(label: label, color: theme.runColor(single ? k : i), role: look.role,
                                          points: points(metric, run.entries), marker: look.marker, endLabel: endLabel(end)))
            }
        }
        return series
    }

    /// The points of each metric `line` draws for one run; before `line`'s
    /// own metric is measured, its stand-in smoothed.
    func curves(_ line: ChartLine, _ entries: History) -> [[ChartPoint]] {
        let metrics = line.metrics(in: entries.layout)
        if let standIn = line.standIn, !metrics.contains(where: { entries.latest($0) != nil }) {
            return line.metrics(in: entries.layout).compactMap { Metric(standIn.kind, $0.index) }.map { smoothed($0, entries) }
        }
        return metrics.map { points($0, entries) }
    }

    /// The legend of `line`: its stand-in's while the first run has only that.
    func legend(_ line: ChartLine) -> String {
        guard let standIn = line.standIn, let run = training.runs.first else { return line.legend }
        return line.metrics(in: run.entries.layout).contains { run.entries.latest($0) != nil } ? line.legend : standIn.legend
    }

    func points(_ metric: Metric, _ entries: History) -> [ChartPoint] {
        entries.series(metric).map { ChartPoint(x: Double($0.step), y: Double($0.value)) }
    }

    /// The training-loss curve of the loss chart and the numbers panel,
    /// with the legend that says which loss it is.
    func trainLossCurve(_ entries: History) -> (points: [ChartPoint], label: String) {
        guard case let .metrics(loss) = Chart.loss.plot else { return ([], "train") }
        let label = loss.solid.standIn.map { s in entries.latest(.fullTrainLoss) == nil ? s.legend : loss.solid.legend }
        return (curves(loss.solid, entries).first ?? [], label ?? loss.solid.legend)
    }
}
