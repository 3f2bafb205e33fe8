import TerminalUI
import DecayEngine
import DecayLessons
import Foundation

extension StepView {
    func drawPanel(_ panel: Panel, _ grid: inout CellGrid, _ rect: Rect) {
        switch panel {
        case let .chart(chart): drawChart(chart, &grid, rect)
        case let .heatmap(run): drawHeatmap(&grid, rect, run: run)
        case .sweepCurve: sweepCurve()?.render(into: &grid, in: rect)
        case .numbers: NumbersPanel(state: state, training: training, theme: theme).draw(&grid, rect)
        }
    }

    func drawChart(_ chart: Chart, _ grid: inout CellGrid, _ rect: Rect) {
        switch chart.plot {
        case let .metrics(m): lineChart(m, width: rect.width).render(into: &grid, in: rect)
        case .fit: fitPlot(width: rect.width).render(into: &grid, in: rect)
        case .spectrum: spectrumChart(width: rect.width).render(into: &grid, in: rect)
        }
    }

    var xRange: ClosedRange<Double> { 0...Double(max(training.stepLimit, training.step, 1)) }

    /// The learner's control changes as vertical marks. Presses close
    /// together (a held arrow key) become one mark with the final value, and
    /// a mark keeps its label only when the label fits before the next mark,
    /// so labels never run into each other; the last mark always has one.
    func markers(width: Int) -> [ChartMarker] {
        let span = xRange.upperBound
        var out: [ChartMarker] = []
        for m in training.markers {
            let label = theme.text(m.label)
            if let last = out.last, Double(m.step) - last.x <= span * 0.03 {
                out[out.count - 1] = ChartMarker(x: Double(m.step), label: label)
            } else {
                out.append(ChartMarker(x: Double(m.step), label: label))
            }
        }
        let columnsPerStep = Double(max(width - 8, 1)) / max(span, 1)
        for i in out.indices.dropLast() {
            let room = (out[i + 1].x - out[i].x) * columnsPerStep
            if Double(CharacterWidth.of(out[i].label) + 2) > room { out[i].label = "" }
        }
        return out
    }

    func runLabel(_ run: TrainingSnapshot.RunState) -> String {
        theme.text(run.status.isDiverged ? "\(run.name) \(theme.cross) diverged" : run.name)
    }

    var ellipsis: String { theme.unicode ? "…" : ".." }

    /// A short end-of-line label, at most 10 columns: a run's name is cut
    /// as `RunNameFit` cuts it beside the other runs' names (no number cut,
    /// no two runs' labels the same); any other name is cut alone.
    func endLabel(_ name: String) -> String {
        let t = theme.text(name)
        let names = training.runs.map { theme.text($0.name) }
        guard let i = names.firstIndex(of: t) else { return RunNameFit.fit([t], width: 10, ellipsis: ellipsis)[0] }
        return RunNameFit.fit(names, width: 10, ellipsis: ellipsis)[i]
    }

    /// The legend's labels fitted to a chart `width` wide: a label wider than
    /// a legend row (after its three-cell sample and a space) is cut as
    /// `RunNameFit` cuts names, beside the chart's other labels.
    func fittingLegend(_ series: [ChartSeries], width: Int) -> [ChartSeries] {
        let room = width - 4
        let labelled = series.indices.filter { !series[$0].label.isEmpty }
        guard labelled.contains(where: { CharacterWidth.of(series[$0].label) > room }) else { return series }
        let fitted = RunNameFit.fit(labelled.map { series[$0].label }, width: room, ellipsis: ellipsis)
        var out = series
        for (k, i) in labelled.enumerated() { out[i].label = fitted[k] }
        return out
    }

    /// Legend entries for the two line patterns, so the legend says which is which.
    func roleLegend(_ train: String, _ validation: String) -> [ChartSeries] {
        [ChartSeries(label: train, color: nil, role: .training, points: []),
         ChartSeries(label: validation, color: nil, role: .validation, points: [])]
    }

    /// A metric of a run smoothed with an exponential moving average over
    /// about 2 % of the planned steps: the raw training loss is one
    /// minibatch's, in training mode, and draws as a band of noise.
    func smoothed(_ metric: Metric, _ entries: History) -> [ChartPoint] {
        let span = max(3.0, Double(training.plannedSteps) / 50)
        let alpha = 2 / (span + 1)
        var average: Double?
        var out: [ChartPoint] = []
        out.reserveCapacity(entries.count)
        for e in entries {
            let v = Double(e[metric] ?? .nan)
            guard v.isFinite, v > 0 else { out.append(ChartPoint(x: Double(e.step), y: .nan)); continue }
            // Averaged in log space, where a loss (or a norm) curve lives.
            let l = log(v)
            average = average.map { $0 + alpha * (l - $0) } ?? l
            out.append(ChartPoint(x: Double(e.step), y: exp(average!)))
        }
        return out
    }

    func fitPlot(width: Int = .max) -> FunctionPlot {
        let fit = training.fit
        var curves = [ChartSeries(label: "truth", color: theme.colors ? PaletteColor.white : nil, role: .validation,
                                  points: (fit?.truth ?? []).map { ChartPoint(x: Double($0.x), y: Double($0.y)) })]
        for (i, curve) in (fit?.curves ?? []).enumerated() where i < training.runs.count {
            curves.append(ChartSeries(label: theme.text(training.runs[i].name), color: theme.runColor(i), role: .training,
                                      points: curve.map { ChartPoint(x: Double($0.x), y: Double($0.y)) },
                                      marker: theme.runMarker(i), endLabel: endLabel(training.runs[i].name)))
        }
        let train = (fit?.trainingPoints ?? []).map { ChartPoint(x: Double($0.x), y: Double($0.y)) }
        let ys = (fit?.truth ?? []).map(\.y) + (fit?.trainingPoints ?? []).map(\.y)
        let lo = Double(ys.min() ?? -1), hi = Double(ys.max() ?? 1)
        let pad = (hi - lo) * 0.35 + 0.1
        // The fitted curves widen the range, so a curve that strays far from
        // the truth is seen to (lesson 1: by more than 3); only a wild one,
        // beyond three times the truth's span either side, is cut, and the
        // title says so.
        let fitted = (fit?.curves ?? []).flatMap { $0.map { Double($0.y) } }.filter(\.isFinite)
        let limit = 3 * (hi - lo) + 1
        let low = max(min(lo - pad, (fitted.min() ?? lo) - 0.1), lo - limit)
        let high = min(max(hi + pad, (fitted.max() ?? hi) + 0.1), hi + limit)
        let cut = (fitted.min() ?? lo) < low || (fitted.max() ?? hi) > high
        let title = "the fit  (\(theme.glyphs.trainPoint) training points\(cut ? "; curves cut at the edges" : ""))"
        return FunctionPlot(title: title, curves: fittingLegend(curves, width: width), trainingPoints: train,
                            xRange: -1...1, yRange: low...high,
                            trainingColor: theme.colors ? PaletteColor.white : nil, glyphs: theme.glyphs)
    }
}
