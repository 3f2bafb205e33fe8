import TerminalUI
import DecayEngine
import DecayLessons
import Foundation

/// The step screen: prose, goal and controls on one side, live charts (or
/// the sweep's heatmaps) on the other, a status bar below. Reads the state
/// and a training snapshot; never the engine.
struct StepView {
    let state: TutorState
    let training: TrainingSnapshot
    let theme: Theme

    var wide: Bool { state.size.width >= 120 }

    func draw(_ grid: inout CellGrid, prose cache: ProseCache) {
        guard let lesson = state.lesson, let step = state.step else { return }
        let textWidth = wide ? min(max(44, grid.width * 2 / 5), 64) - 2 : grid.width - 2
        // Narrow terminals have no room for a question and its choices under
        // the charts: the full goal joins the prose (scrollable) and the goal
        // line keeps only where it stands.
        let goal = wide ? goalLines(step) : goalSummary(step)
        let wrappedGoal = wrapped(goal, textWidth)
        let goalLines = wrappedGoal.count
        let controlLines = max(2, state.controls.count + 1)
        // The numbers table sits under the charts when the terminal is wide,
        // and is one more panel (c) when it is not.
        let panels = training.panels(charts: step.charts) + (wide ? [] : [.numbers])
        let shown = Self.visiblePanels(panels, offset: state.panelOffset, wide: wide)
        let numbers = NumbersPanel(state: state, training: training, theme: theme)
        let layout = StepLayout(width: grid.width, height: grid.height, chartCount: max(1, shown.count),
                                goalLines: goalLines + 1, controlLines: controlLines, numbersLines: wide ? numbers.height + 1 : 0,
                                answered: state.answer != nil)
        if let rect = layout.numbers { numbers.draw(&grid, rect) }

        drawHeader(&grid, lesson: lesson, step: step)
        let markdown = theme.markdown(wide ? step.prose : step.prose + goalMarkdown(step))
        var prose = cache.prose(markdown: markdown, theme: theme.prose, glyphs: theme.glyphs)
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
        cache.store(prose)

        drawGoal(&grid, layout.goal, layout.goal.width == textWidth ? wrappedGoal : wrapped(goal, layout.goal.width))
        drawControls(&grid, layout.controls)
        for (panel, rect) in zip(shown, layout.charts) { drawPanel(panel, &grid, rect) }
        StatusBar(state: state, training: training, theme: theme).draw(&grid, morePanels: shown.count < panels.count)
    }

    /// `1. Overfitting and the λ knob │ step 2/4: Find a λ …` — shortened
    /// (lesson title first) until it fits beside the done mark.
    func drawHeader(_ grid: inout CellGrid, lesson: Lesson, step: Step) {
        // A threshold goal's ✓ is for the settings now; a step done earlier
        // at other settings says only that.
        let holds: Bool = if case .threshold? = step.goal { training.goalHoldsNow } else { true }
        let right = !state.stepDone ? "" : holds ? "\(theme.check) done" : "done before"
        let room = grid.width - CharacterWidth.of(right) - 3
        let position = "step \(state.stepIndex + 1)/\(lesson.steps.count)"
        let candidates = [
            "\(state.lessonIndex + 1). \(lesson.title)\(theme.bar)\(position): \(step.title)",
            "\(state.lessonIndex + 1):\(state.stepIndex + 1)/\(lesson.steps.count) \(step.title)",
        ].map(theme.text)
        let header = candidates.first { CharacterWidth.of($0) <= room } ?? candidates.last!
        grid.bar(y: 0, left: header, right: right, style: theme.header)
    }

    // MARK: - Controls

    func drawControls(_ grid: inout CellGrid, _ rect: Rect) {
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
                x = grid.put(ControlFormat.describe(engine, state.value(engine), unicode: theme.unicode), x: x, y: y, style: style)
                if focused {
                    let keys = rect.width >= 60 ? "  \(theme.arrows)  [ ] decade" : "  \(theme.arrows)"
                    grid.put(keys, x: x, y: y, style: theme.dim, clip: rect)
                }
            } else {
                x = grid.put("decay on".padding(toLength: 14, withPad: " ", startingAt: 0), x: x, y: y, style: style)
                for (gi, g) in state.availableGroups.enumerated() {
                    let on = state.readings.decay[g] ?? true
                    var s = on ? (theme.colors ? Style(foreground: PaletteColor.green) : .plain) : theme.dim
                    if focused && gi == state.groupFocus { s = s.withReverse }
                    x = grid.put("\(on ? theme.check : theme.cross)\(g.rawValue)", x: x, y: y, style: s, clip: rect)
                    x = grid.put(" ", x: x, y: y, clip: rect)
                }
            }
            y += 1
        }
    }

    // MARK: - Panels

    /// The panels on screen: all of them when the terminal is wide (up to
    /// three), else a window of them starting at `offset` — a heatmap alone
    /// (it needs the width), or two charts side by side.
    static func visiblePanels(_ panels: [Panel], offset: Int, wide: Bool) -> [Panel] {
        guard !panels.isEmpty else { return [] }
        let start = offset % panels.count
        let rotated = Array(panels[start...] + panels[..<start])
        if wide { return Array(rotated.prefix(3)) }
        if case .heatmap = rotated[0] { return [rotated[0]] }
        if rotated.count > 1, case .chart = rotated[0], case .chart = rotated[1] { return Array(rotated.prefix(2)) }
        return [rotated[0]]
    }
}
