import TerminalUI
import DecayEngine
import DecayLessons
import Foundation

/// The step screen: prose, goal and controls on one side, live charts (or
/// the sweep's heatmaps) on the other, a status bar below.
enum StepView {
    static func draw(_ grid: inout CellGrid, _ state: TutorState, _ session: StepSession, _ theme: Theme) {
        guard let lesson = state.lesson, let step = state.step else { return }
        let e = session.experiment
        let wide = grid.width >= 120
        let textWidth = wide ? min(max(44, grid.width * 2 / 5), 64) - 2 : grid.width - 2
        // Narrow terminals have no room for a question and its choices under
        // the charts: the full goal joins the prose (scrollable) and the goal
        // line keeps only where it stands.
        let goal = wide ? goalText(state, step, e, theme) : goalSummary(state, step, e, theme)
        let goalLines = goal.reduce(0) { $0 + WrappedText.wrap($1.0, width: textWidth).count }
        let controlLines = max(2, state.controls.count + 1)
        let shown = visiblePanels(session.panels, offset: state.panelOffset, wide: wide)
        let layout = StepLayout(width: grid.width, height: grid.height, chartCount: max(1, shown.count),
                                goalLines: goalLines + 1, controlLines: controlLines)

        let header = "\(state.lessonIndex + 1). \(lesson.title)\(theme.bar)step \(state.stepIndex + 1)/\(lesson.steps.count): \(step.title)"
        grid.bar(y: 0, left: header, right: state.stepDone ? "\(theme.check) done" : "", style: theme.header)

        let markdown = wide ? step.prose : step.prose + goalMarkdown(state, step)
        var prose = session.prose(markdown: markdown, theme: theme.prose, glyphs: theme.glyphs)
        var proseRect = layout.prose
        let overflows = prose.maxScrollOffset(width: proseRect.width, height: proseRect.height) > 0
        if overflows { proseRect.height -= 1 }   // the last row says there is more
        let used = prose.render(into: &grid, in: proseRect, scrollOffset: state.proseScroll)
        if overflows {
            let maxScroll = prose.maxScrollOffset(width: proseRect.width, height: proseRect.height)
            let mark = used < maxScroll
                ? (theme.unicode ? "↓ more: j/k or the wheel" : "v more: j/k") : (theme.unicode ? "↑ k to scroll back" : "^ k to scroll back")
            grid.putRightAligned(mark, rightEdge: proseRect.maxX, y: proseRect.maxY, style: theme.dim)
        }
        session.storeProse(prose)

        drawGoal(&grid, layout.goal, goal, theme)
        drawControls(&grid, layout.controls, state, theme)
        for (panel, rect) in zip(shown, layout.charts) {
            switch panel {
            case let .chart(chart): drawChart(chart, &grid, rect, state, session, theme)
            case let .heatmap(run): drawHeatmap(&grid, rect, session, theme, run: run)
            }
        }
        drawStatus(&grid, state, session, theme, morePanels: shown.count < session.panels.count)
    }

    // MARK: - Goal

    static func goalText(_ state: TutorState, _ step: Step, _ e: Experiment, _ theme: Theme) -> [(String, Style)] {
        guard let goal = step.goal else {
            return state.stepDone ? [("\(theme.check) Done. n for the next step.", theme.good)] : []
        }
        var out: [(String, Style)] = [("Goal: " + goal.prompt.replacingOccurrences(of: "*", with: ""), Style(bold: true))]
        switch goal {
        case let .question(q):
            for (i, c) in q.choices.enumerated() {
                let chosen = state.answer?.choice == i
                let mark = chosen ? (state.answer!.correct ? theme.check : theme.cross) : " "
                out.append(("\(mark) \(i + 1). \(c.text)", chosen ? (state.answer!.correct ? theme.good : theme.bad) : .plain))
            }
            if let a = state.answer {
                out.append(((a.correct ? "Right. " : "Not quite. ") + a.explanation, a.correct ? theme.good : theme.bad))
            }
        case .threshold:
            if state.stepDone {
                out.append(("\(theme.check) Goal met. n for the next step.", theme.good))
            } else if case let .pending(text) = goal.evaluate(e) {
                out.append((text, theme.dim))
            }
        }
        return out
    }

    /// The goal line of a narrow terminal: where the goal stands, in a line or two.
    static func goalSummary(_ state: TutorState, _ step: Step, _ e: Experiment, _ theme: Theme) -> [(String, Style)] {
        guard let goal = step.goal else { return goalText(state, step, e, theme) }
        if state.stepDone { return [("\(theme.check) Goal met. n for the next step.", theme.good)] }
        switch goal {
        case let .question(q):
            if let a = state.answer, !a.correct { return [("\(theme.cross) Not \(a.choice + 1): \(a.explanation)", theme.bad)] }
            return [("Question at the end of the text (j): answer 1–\(q.choices.count).", Style(bold: true))]
        case .threshold:
            if case let .pending(text) = goal.evaluate(e) { return [("Goal: \(text)", .plain)] }
            return []
        }
    }

    /// The goal as Markdown, appended to the prose in narrow terminals.
    static func goalMarkdown(_ state: TutorState, _ step: Step) -> String {
        guard let goal = step.goal else { return "" }
        var text = "\n\n**Goal:** " + goal.prompt
        if case let .question(q) = goal {
            text += "\n\n" + q.choices.enumerated().map { "\($0.offset + 1). \($0.element.text)" }.joined(separator: "\n")
            if let a = state.answer {
                text += "\n\n" + (a.correct ? "**Right.** " : "**Not quite.** ") + a.explanation
            }
        }
        return text
    }

    static func drawGoal(_ grid: inout CellGrid, _ rect: Rect, _ lines: [(String, Style)], _ theme: Theme) {
        guard rect.height > 0, rect.width > 4 else { return }
        guard !lines.isEmpty else { return }
        grid.horizontalLine(x: rect.x, y: rect.y, length: rect.width, glyphs: theme.glyphs, style: theme.dim)
        var y = rect.y + 1
        for (text, style) in lines {
            for row in WrappedText.wrap(text, width: rect.width, style: style) where y < rect.maxY {
                row.render(into: &grid, x: rect.x, y: y, clip: rect)
                y += 1
            }
        }
    }

    // MARK: - Controls

    static func drawControls(_ grid: inout CellGrid, _ rect: Rect, _ state: TutorState, _ theme: Theme) {
        guard rect.height > 0 else { return }
        grid.horizontalLine(x: rect.x, y: rect.y, length: rect.width, glyphs: theme.glyphs, style: theme.dim)
        var y = rect.y + 1
        if state.controls.isEmpty, y < rect.maxY {
            grid.put("No live controls in this step.", x: rect.x, y: y, style: theme.dim)
        }
        for (i, control) in state.controls.enumerated() where y < rect.maxY {
            let focused = i == state.focus
            let pointer = focused ? (theme.unicode ? "▸ " : "> ") : "  "
            let style = focused ? theme.focus : Style.plain
            var x = rect.x
            x = grid.put(pointer, x: x, y: y, style: style)
            if let engine = control.engineControl {
                let name = ControlFormat.name(engine)
                x = grid.put(name.padding(toLength: 14, withPad: " ", startingAt: 0), x: x, y: y, style: style)
                x = grid.put(ControlFormat.describe(engine, state.controlValues[engine] ?? 0, unicode: theme.unicode),
                              x: x, y: y, style: style)
                if focused { grid.put("  \(theme.arrows)", x: x, y: y, style: theme.dim, clip: rect) }
            } else {
                x = grid.put("decay on".padding(toLength: 14, withPad: " ", startingAt: 0), x: x, y: y, style: style)
                for (gi, g) in state.availableGroups.enumerated() {
                    let on = state.groupDecay[g] ?? true
                    var s = on ? (theme.colors ? Style(foreground: PaletteColor.green) : .plain) : theme.dim
                    if focused && gi == state.groupFocus { s = s.withReverse }
                    x = grid.put("\(on ? theme.check : theme.cross)\(g.rawValue)", x: x, y: y, style: s, clip: rect)
                    x = grid.put(" ", x: x, y: y, clip: rect)
                }
            }
            y += 1
        }
    }

    // MARK: - Charts

    static func drawChart(_ chart: Chart, _ grid: inout CellGrid, _ rect: Rect, _ state: TutorState,
                          _ session: StepSession, _ theme: Theme) {
        switch chart {
        case .loss: lossChart(session, theme, width: rect.width).render(into: &grid, in: rect)
        case .norms: normChart(state, session, theme, width: rect.width).render(into: &grid, in: rect)
        case .updates: updateChart(session, theme, width: rect.width).render(into: &grid, in: rect)
        case .fit: fitPlot(session, theme).render(into: &grid, in: rect)
        }
    }

    static func xRange(_ session: StepSession) -> ClosedRange<Double> {
        0...Double(max(session.stepLimit, session.experiment.step, 1))
    }

    /// The learner's control changes as vertical marks. Presses close
    /// together (a held arrow key) become one mark with the final value, and
    /// a mark keeps its label only when the label fits before the next mark,
    /// so labels never run into each other; the last mark always has one.
    static func markers(_ session: StepSession, width: Int) -> [ChartMarker] {
        let span = xRange(session).upperBound
        var out: [ChartMarker] = []
        for m in session.markers {
            if let last = out.last, Double(m.step) - last.x <= span * 0.03 {
                out[out.count - 1] = ChartMarker(x: Double(m.step), label: m.label)
            } else {
                out.append(ChartMarker(x: Double(m.step), label: m.label))
            }
        }
        let columnsPerStep = Double(max(width - 8, 1)) / max(span, 1)
        for i in out.indices.dropLast() {
            let room = (out[i + 1].x - out[i].x) * columnsPerStep
            if Double(CharacterWidth.of(out[i].label) + 2) > room { out[i].label = "" }
        }
        return out
    }

    static func runLabel(_ run: TrainingRun, _ theme: Theme) -> String {
        run.status.isDiverged ? "\(run.name) \(theme.cross) diverged" : run.name
    }

    static func lossChart(_ session: StepSession, _ theme: Theme, width: Int) -> LineChart {
        var series: [ChartSeries] = []
        for (i, run) in session.experiment.runs.enumerated() {
            let entries = run.history.entries
            series.append(ChartSeries(label: runLabel(run, theme), color: theme.runColor(i), role: .training,
                                      points: entries.map { ChartPoint(x: Double($0.step), y: Double($0.trainLoss)) }))
            series.append(ChartSeries(label: "", color: theme.runColor(i), role: .validation,
                                      points: entries.lazy.filter { !$0.validationLoss.isNaN }
                                          .map { ChartPoint(x: Double($0.step), y: Double($0.validationLoss)) }))
        }
        let title = theme.unicode ? "loss  ─ train  ╌ validation" : "loss  - train  . validation"
        return LineChart(title: title, series: series, yScale: .log10, xRange: xRange(session),
                         markers: markers(session, width: width), xAxisLabel: "step", glyphs: theme.glyphs)
    }

    static func normChart(_ state: TutorState, _ session: StepSession, _ theme: Theme, width: Int) -> LineChart {
        let e = session.experiment
        let groups = e.groups
        var series: [ChartSeries] = []
        let shown: [ParameterGroup] = state.normGroup.map { g in groups.contains(g) ? [g] : groups } ?? groups
        for (i, run) in e.runs.enumerated() {
            for (gi, g) in shown.enumerated() {
                // One run: a colour per group. Several runs: a colour per run.
                let color = e.runs.count == 1 ? theme.runColor(gi) : theme.runColor(i)
                let label = e.runs.count == 1 ? g.rawValue : shown.count == 1 ? runLabel(run, theme) : "\(run.name) \(g.rawValue)"
                let role: SeriesRole = e.runs.count > 1 && gi % 2 == 1 ? .validation : .training
                series.append(ChartSeries(label: label, color: color, role: role, points: run.history.entries.compactMap { h in
                    h.norms[g].map { ChartPoint(x: Double(h.step), y: Double($0)) }
                }))
            }
        }
        let which = shown.count == 1 ? "‖\(shown[0].rawValue)‖" : "‖p‖ per group"
        let title = theme.unicode ? "\(which)  (g: group)" : which.replacingOccurrences(of: "‖", with: "|") + "  (g: group)"
        return LineChart(title: title, series: series, yScale: .linear, xRange: xRange(session),
                         markers: markers(session, width: width), xAxisLabel: "step", glyphs: theme.glyphs)
    }

    static func updateChart(_ session: StepSession, _ theme: Theme, width: Int) -> LineChart {
        var series: [ChartSeries] = []
        for (i, run) in session.experiment.runs.enumerated() {
            let entries = run.history.entries
            series.append(ChartSeries(label: "\(run.name) step", color: theme.runColor(i), role: .training, points: entries.compactMap { h in
                h.updateNorms[.weights].map { ChartPoint(x: Double(h.step), y: Double($0)) }
            }))
            series.append(ChartSeries(label: "\(run.name) decay", color: theme.runColor(i), role: .validation, points: entries.compactMap { h in
                h.decayNorms[.weights].map { ChartPoint(x: Double(h.step), y: Double($0)) }
            }))
        }
        // The dashed line is the shrink the decay rule asks for, lr·λ·‖w‖;
        // under Adam + L2 the optimizer then divides it by √v̂.
        let title = theme.unicode ? "‖Δw‖ per step  ─ whole step  ╌ lr·λ·‖w‖" : "|dw| per step  - whole  . lr*lambda*|w|"
        return LineChart(title: title, series: series, yScale: .log10, xRange: xRange(session),
                         markers: markers(session, width: width), xAxisLabel: "step", glyphs: theme.glyphs)
    }

    static func fitPlot(_ session: StepSession, _ theme: Theme) -> FunctionPlot {
        let data = session.experiment.data
        var curves = [ChartSeries(label: "truth", color: theme.colors ? PaletteColor.white : nil, role: .validation,
                                  points: data.truth.map { ChartPoint(x: Double($0.x), y: Double($0.y)) })]
        for (i, curve) in session.fitCurves().enumerated() {
            curves.append(ChartSeries(label: session.experiment.runs[i].name, color: theme.runColor(i), role: .training,
                                      points: curve.map { ChartPoint(x: Double($0.x), y: Double($0.y)) }))
        }
        let train = zip(data.trainCoordinate, data.trainY.storage).map { ChartPoint(x: Double($0), y: Double($1)) }
        let ys = data.truth.map(\.y) + data.trainY.storage
        let lo = Double(ys.min() ?? -1), hi = Double(ys.max() ?? 1)
        let pad = (hi - lo) * 0.35 + 0.1
        return FunctionPlot(title: "the fit  (\(theme.unicode ? "•" : "o") training points)", curves: curves, trainingPoints: train,
                            xRange: -1...1, yRange: (lo - pad)...(hi + pad),
                            trainingColor: theme.colors ? PaletteColor.white : nil, glyphs: theme.glyphs)
    }

    /// The panels on screen: all of them when the terminal is wide (up to
    /// three), else a window of them starting at `offset` — a heatmap alone
    /// (it needs the width), or two charts side by side.
    static func visiblePanels(_ panels: [Panel], offset: Int, wide: Bool) -> [Panel] {
        guard !panels.isEmpty else { return [] }
        let start = offset % panels.count
        let rotated = Array(panels[start...] + panels[..<start])
        if wide { return Array(rotated.prefix(3)) }
        if case .heatmap = rotated[0] { return [rotated[0]] }
        if rotated.count > 1, case .chart = rotated[1] { return Array(rotated.prefix(2)) }
        return [rotated[0]]
    }

    static func drawHeatmap(_ grid: inout CellGrid, _ rect: Rect, _ session: StepSession, _ theme: Theme, run r: Int) {
        guard let sweep = session.sweep else { return }
        let ramp = theme.colors ? Heatmap.ramp(colors: 256) : nil
        var values = Array(repeating: Array(repeating: Double?.none, count: sweep.lambdas.count), count: sweep.learningRates.count)
        for c in sweep.finished where c.run == r { values[c.learningRateIndex][c.lambdaIndex] = Double(c.value) }
        let metric = sweep.metric.label
        Heatmap(title: "\(sweep.runNames[r]): final \(metric) after \(sweep.steps) steps",
                rowLabels: sweep.learningRates.map { NumberFormat.compact(Double($0), significantDigits: 2) },
                columnLabels: sweep.lambdas.map { NumberFormat.compact(Double($0), significantDigits: 2) },
                values: values, rowAxisName: "lr", columnAxisName: theme.unicode ? "λ" : "lambda",
                scale: sweep.metric.isLogScaled ? .log10 : .linear, colorRamp: ramp,
                lowerIsBetter: sweep.metric.lowerIsBetter, glyphs: theme.glyphs)
            .render(into: &grid, in: rect)
    }

    // MARK: - Status

    static func drawStatus(_ grid: inout CellGrid, _ state: TutorState, _ session: StepSession, _ theme: Theme, morePanels: Bool) {
        let e = session.experiment
        var parts: [String] = []
        if let c = state.focusedControlText { parts.append(c) }
        parts.append("step \(e.step)")
        parts.append("\(Int(session.stepsPerSecond.rounded())) steps/s")
        if let sweep = session.sweep, !session.sweepComplete {
            parts.append("sweep \(session.sweepFinished)/\(sweep.cellCount)")
        }
        let diverged = e.runs.filter(\.status.isDiverged)
        let runState: String
        if !diverged.isEmpty && diverged.count == e.runs.count {
            runState = "diverged"
        } else if state.paused {
            runState = "paused"
        } else if !session.canTrain {
            runState = "finished (move a control, or r)"
        } else {
            runState = diverged.isEmpty ? "running" : "running (\(diverged.count) diverged)"
        }
        parts.append(runState)
        let left: String
        if let run = diverged.first, case let .diverged(step, reason) = run.status {
            // A divergence outranks a passing notice: it is why the curves stopped.
            let symbol = theme.unicode ? "λ" : "lambda"
            left = parts.joined(separator: theme.bar) + theme.bar
                + "\(run.name) diverged at step \(step): lr too high for this \(symbol)? r restarts (\(reason))"
        } else if let notice = state.notice {
            left = notice
        } else {
            left = parts.joined(separator: theme.bar)
        }
        let keys = (morePanels ? "c more  " : "") + (grid.width >= 100 ? "? help  q quit" : "? help")
        grid.bar(y: grid.height - 1, left: left, right: keys, style: theme.status)
    }
}
