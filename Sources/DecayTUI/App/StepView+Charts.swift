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
        switch chart {
        case .loss: lossChart(width: rect.width).render(into: &grid, in: rect)
        case .norms: normChart(width: rect.width).render(into: &grid, in: rect)
        case .updates: updateChart(width: rect.width).render(into: &grid, in: rect)
        case .fit: fitPlot().render(into: &grid, in: rect)
        default: extraChart(chart, width: rect.width)?.render(into: &grid, in: rect)
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

    /// A short end-of-line label: the run's name, cut to 10 columns.
    func endLabel(_ name: String) -> String {
        let t = theme.text(name)
        return t.count <= 10 ? t : String(t.prefix(9)) + (theme.unicode ? "…" : ".")
    }

    /// Legend entries for the two line patterns, so the legend says which is which.
    func roleLegend(_ train: String, _ validation: String) -> [ChartSeries] {
        [ChartSeries(label: train, color: nil, role: .training, points: []),
         ChartSeries(label: validation, color: nil, role: .validation, points: [])]
    }

    /// The training loss of a run smoothed with an exponential moving average
    /// over about 2 % of the planned steps: the raw loss is one minibatch's,
    /// in training mode, and draws as a band of noise.
    func smoothedTrainLoss(_ entries: [HistoryEntry]) -> [ChartPoint] {
        let span = max(3.0, Double(training.plannedSteps) / 50)
        let alpha = 2 / (span + 1)
        var average: Double?
        var out: [ChartPoint] = []
        out.reserveCapacity(entries.count)
        for e in entries {
            let v = Double(e.trainLoss)
            guard v.isFinite, v > 0 else { out.append(ChartPoint(x: Double(e.step), y: .nan)); continue }
            // Averaged in log space, where a loss curve lives.
            let l = log(v)
            average = average.map { $0 + alpha * (l - $0) } ?? l
            out.append(ChartPoint(x: Double(e.step), y: exp(average!)))
        }
        return out
    }

    func lossChart(width: Int) -> LineChart {
        let trainLabel = training.runs.first.map { trainLossCurve($0.entries).label } ?? "train"
        var series = roleLegend(trainLabel, "validation")
        for (i, run) in training.runs.enumerated() {
            let entries = run.entries
            series.append(ChartSeries(label: runLabel(run), color: theme.runColor(i), role: .training,
                                      points: trainLossCurve(entries).points, marker: theme.runMarker(i), endLabel: endLabel(run.name)))
            series.append(ChartSeries(label: "", color: theme.runColor(i), role: .validation,
                                      points: entries.lazy.filter { !$0.validationLoss.isNaN }
                                          .map { ChartPoint(x: Double($0.step), y: Double($0.validationLoss)) },
                                      marker: theme.runMarker(i)))
        }
        var chart = LineChart(title: "loss (log scale)", series: series, yScale: .log10, xRange: xRange,
                              markers: markers(width: width), xAxisLabel: "step", glyphs: theme.glyphs)
        chart.bands = validationBands
        return chart
    }

    func normChart(width: Int) -> LineChart {
        let groups = training.groups
        var series: [ChartSeries] = []
        let shown: [ParameterGroup] = state.normGroup.map { g in groups.contains(g) ? [g] : groups } ?? groups
        let single = training.runs.count == 1
        for (i, run) in training.runs.enumerated() {
            for (gi, g) in shown.enumerated() {
                // One run: a colour and glyph per group. Several: per run.
                let look = theme.seriesLook(single ? gi : i * shown.count + gi)
                let label = single ? g.rawValue : shown.count == 1 ? runLabel(run) : "\(theme.text(run.name)) \(g.rawValue)"
                series.append(ChartSeries(label: label, color: theme.runColor(single ? gi : i), role: look.role,
                                          points: run.entries.compactMap { h in h.norms[g].map { ChartPoint(x: Double(h.step), y: Double($0)) } },
                                          marker: look.marker, endLabel: endLabel(single ? g.rawValue : shown.count == 1 ? run.name : g.rawValue)))
            }
        }
        let bars = theme.unicode ? ("‖", "‖") : ("|", "|")
        let which = shown.count == 1 ? "\(bars.0)\(shown[0].rawValue)\(bars.1)" : "\(bars.0)p\(bars.1) per group"
        var chart = LineChart(title: "\(which)  (g: group)", series: series, yScale: .linear, xRange: xRange,
                              markers: markers(width: width), xAxisLabel: "step", glyphs: theme.glyphs)
        chart.bands = shown.flatMap { g in bands { $0.norms[g] } }
        return chart
    }

    func updateChart(width: Int) -> LineChart {
        var series = roleLegend("whole step", theme.text("lr·λ·‖w‖"))
        for (i, run) in training.runs.enumerated() {
            series.append(ChartSeries(label: runLabel(run), color: theme.runColor(i), role: .training, points: run.entries.compactMap { h in
                h.updateNorms[.weights].map { ChartPoint(x: Double(h.step), y: Double($0)) }
            }, marker: theme.runMarker(i), endLabel: endLabel(run.name)))
            series.append(ChartSeries(label: "", color: theme.runColor(i), role: .validation, points: run.entries.compactMap { h in
                h.decayNorms[.weights].map { ChartPoint(x: Double(h.step), y: Double($0)) }
            }, marker: theme.runMarker(i)))
        }
        // The dashed line is the shrink the decay rule asks for, lr·λ·‖w‖;
        // under Adam + L2 the optimizer then divides it by √v̂.
        var chart = LineChart(title: theme.text("‖Δw‖ per step (log scale)"), series: series, yScale: .log10, xRange: xRange,
                              markers: markers(width: width), xAxisLabel: "step", glyphs: theme.glyphs)
        chart.bands = bands { $0.updateNorms[.weights] }
        return chart
    }

    func fitPlot() -> FunctionPlot {
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
        return FunctionPlot(title: title, curves: curves, trainingPoints: train,
                            xRange: -1...1, yRange: low...high,
                            trainingColor: theme.colors ? PaletteColor.white : nil, glyphs: theme.glyphs)
    }
}

extension StepView {
    /// Charts of one number per run: the penalty and the accuracy.
    func extraChart(_ chart: Chart, width: Int) -> LineChart? {
        let title: String
        let value: (HistoryEntry) -> Float?
        var scale = AxisScale.linear
        switch chart {
        case .penalty:
            title = theme.text("penalty (λ/2)·‖w‖² (log scale; not in the loss above)")
            value = { $0.penalty > 0 ? $0.penalty : nil }
            scale = .log10
        case .accuracy:
            return accuracyChart(width: width)
        case .gains:
            title = theme.text("‖γ‖ LayerNorm gains (start at 1 per unit)")
            value = { $0.layerNorms?.gains }
        case .shifts:
            title = theme.text("‖β‖ LayerNorm shifts (start at 0)")
            value = { $0.layerNorms?.shifts }
        case .distance:
            title = theme.text("‖θ − θ₀‖ distance from the initial weights")
            value = { $0.distanceFromInit }
        case .rows:
            return rowsChart(width: width)
        case .prenorm:
            return preNormChart(width: width)
        default:
            return nil
        }
        var series: [ChartSeries] = []
        for (i, run) in training.runs.enumerated() {
            series.append(ChartSeries(label: runLabel(run), color: theme.runColor(i), role: .training,
                                      points: run.entries.compactMap { e in value(e).map { ChartPoint(x: Double(e.step), y: Double($0)) } },
                                      marker: theme.runMarker(i), endLabel: endLabel(run.name)))
        }
        var chart = LineChart(title: title, series: series, yScale: scale, xRange: xRange,
                              markers: markers(width: width), xAxisLabel: "step", glyphs: theme.glyphs)
        chart.bands = bands(value)
        return chart
    }
}

extension StepView {
    /// Accuracy on the whole training set (solid) and on the validation set
    /// (dotted) per run, both in evaluation mode at evaluation points: the
    /// distance between the two lines is the accuracy gap.
    func accuracyChart(width: Int) -> LineChart {
        var series = roleLegend("train (full set)", "validation")
        for (i, run) in training.runs.enumerated() {
            series.append(ChartSeries(label: runLabel(run), color: theme.runColor(i), role: .training, points: run.entries.compactMap { e in
                e.trainAccuracy.map { ChartPoint(x: Double(e.step), y: Double($0)) }
            }, marker: theme.runMarker(i), endLabel: endLabel(run.name)))
            series.append(ChartSeries(label: "", color: theme.runColor(i), role: .validation, points: run.entries.compactMap { e in
                e.validationAccuracy.map { ChartPoint(x: Double(e.step), y: Double($0)) }
            }, marker: theme.runMarker(i)))
        }
        return LineChart(title: "accuracy", series: series, yScale: .linear, xRange: xRange,
                         markers: markers(width: width), xAxisLabel: "step", glyphs: theme.glyphs)
    }

    /// Embedding rows: the mean ‖row‖ of the frequent tokens (solid) and of
    /// the rare ones (dashed) per run — the rare rows get almost no gradient,
    /// so what happens to them is the decay rule alone.
    func rowsChart(width: Int) -> LineChart {
        var series = roleLegend("frequent rows", "rare rows")
        for (i, run) in training.runs.enumerated() {
            series.append(ChartSeries(label: runLabel(run), color: theme.runColor(i), role: .training, points: run.entries.compactMap { e in
                e.embeddingRows.map { ChartPoint(x: Double(e.step), y: Double($0.frequent)) }
            }, marker: theme.runMarker(i), endLabel: endLabel(run.name)))
            series.append(ChartSeries(label: "", color: theme.runColor(i), role: .validation, points: run.entries.compactMap { e in
                e.embeddingRows.map { ChartPoint(x: Double(e.step), y: Double($0.rare)) }
            }, marker: theme.runMarker(i)))
        }
        var chart = LineChart(title: theme.text("mean ‖row‖ of embedding rows"), series: series, yScale: .linear, xRange: xRange,
                              markers: markers(width: width), xAxisLabel: "step", glyphs: theme.glyphs)
        chart.bands = bands { $0.embeddingRows?.rare }
        return chart
    }

    /// The training loss as the loss chart draws it: measured on the whole
    /// training set at evaluation points when the engine has it, else the
    /// minibatch loss smoothed — and the label says which.
    func trainLossCurve(_ entries: [HistoryEntry]) -> (points: [ChartPoint], label: String) {
        let full = entries.filter { !$0.fullTrainLoss.isNaN }
        if !full.isEmpty {
            return (full.map { ChartPoint(x: Double($0.step), y: Double($0.fullTrainLoss)) }, "train (full set)")
        }
        return (smoothedTrainLoss(entries), "train (smoothed)")
    }
}

extension StepView {
    /// The embedding table feeds a LayerNorm, so its scale does not change
    /// what the model computes; it changes the step. Under SGD a step turns
    /// the table by about lr/‖E‖² per unit of gradient at unit scale: solid
    /// ‖E‖, dashed that effective step.
    func preNormChart(width: Int) -> LineChart {
        var series = roleLegend(theme.text("‖E‖"), theme.text("effective step lr/‖E‖²"))
        for (i, run) in training.runs.enumerated() {
            series.append(ChartSeries(label: runLabel(run), color: theme.runColor(i), role: .training, points: run.entries.compactMap { e in
                e.norms[.embeddings].map { ChartPoint(x: Double(e.step), y: Double($0)) }
            }, marker: theme.runMarker(i), endLabel: endLabel(run.name)))
            series.append(ChartSeries(label: "", color: theme.runColor(i), role: .validation, points: run.entries.compactMap { e in
                e.norms[.embeddings].flatMap { $0 > 0 ? ChartPoint(x: Double(e.step), y: Double(e.learningRate) / (Double($0) * Double($0))) : nil }
            }, marker: theme.runMarker(i)))
        }
        return LineChart(title: theme.text("embedding table before a LayerNorm (log scale)"), series: series, yScale: .log10,
                         xRange: xRange, markers: markers(width: width), xAxisLabel: "step", glyphs: theme.glyphs)
    }
}
