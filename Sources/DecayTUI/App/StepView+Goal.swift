import TerminalUI
import DecayEngine
import DecayLessons
import Foundation
import TextSupport

extension StepView {
    /// The goal as lines of the goal pane (wide terminals).
    func goalLines(_ step: Step) -> [(String, Style)] {
        guard let goal = step.goal else { return watchLines() }
        var out: [(String, Style)] = [("Goal: " + goal.prompt.replacingScalars("*", with: ""), Style(bold: true))]
        switch goal {
        case let .question(q):
            for (shown, index) in state.choiceOrder.enumerated() {
                let (mark, style) = choiceMark(index)
                out.append(("\(mark) \(shown + 1). \(q.choices[index].text)", style))
            }
            if let verdict = answerLine() { out.append(verdict) }
        case let .threshold(t):
            out += thresholdLines(t)
        }
        if let hint = hintLine(goal) { out.append(hint) }
        return out
    }

    /// A step without a goal is done once its planned steps have trained.
    func watchLines() -> [(String, Style)] {
        if state.stepDone { return [("\(theme.check) Done. n for the next step.", theme.good)] }
        let shown = min(training.step, training.plannedSteps)
        return [("Watch the runs: this step is done when its \(training.plannedSteps) planned steps have trained "
                 + "(\(shown)/\(training.plannedSteps); f finishes now).", theme.dim)]
    }

    func choiceMark(_ index: Int) -> (String, Style) {
        if let a = state.answer, a.choice == index, a.correct { return (theme.check, theme.good) }
        if state.wrongChoices.contains(index) { return (theme.cross, theme.bad) }
        return (" ", .plain)
    }

    /// "Right. …" once, whatever the explanation starts with; after a wrong
    /// answer, why not and an invitation to try again.
    func answerLine() -> (String, Style)? {
        guard let a = state.answer else { return nil }
        var text = a.explanation
        for lead in ["Right.", "Right!", "Correct.", "Yes."] where text.hasPrefix(lead) {
            text = String(text.dropFirst(lead.count)).trimmingCharacters(in: .whitespaces)
        }
        if a.correct { return ("\(theme.check) Right. \(text) n for the next step.", theme.good) }
        return ("\(theme.cross) Not quite. \(text) Try another answer.", theme.bad)
    }

    func hintLine(_ goal: Goal) -> (String, Style)? {
        guard let hint = goal.hint else { return nil }
        if case .threshold = goal { if training.goalHoldsNow { return nil } } else if state.stepDone { return nil }
        let missed = training.currentVerdict.map { !$0.running && !$0.met } ?? false
        guard state.showHint || missed else { return nil }
        return ("Hint: \(hint)", theme.accent)
    }

    /// Where a threshold goal stands: met at the settings now (the ✓), or
    /// the live reading and the replay; then where it was met before.
    func thresholdLines(_ t: Goal.Threshold) -> [(String, Style)] {
        let quantity = t.quantityText(unicode: theme.unicode)
        var out: [(String, Style)] = []
        if training.goalHoldsNow, let r = training.currentVerdict {
            let value = r.value.map { " reaches \(quantity) = \(t.shown($0, digits: 3)) at step \(r.steps)" } ?? ""
            out.append(("\(theme.check) Goal met at \(settingsText(r.readings)): \(freshRun(t))\(value). n for the next step.",
                        theme.good))
        } else {
            out.append((liveReading(t), theme.dim))
            if let r = training.currentVerdict {
                let at = settingsText(r.readings)
                if r.running {
                    out.append(("The live run met it; checking with \(freshRun(t, steps: r.steps)) at \(at)\(theme.unicode ? "…" : "...")", theme.accent))
                } else {
                    let reached = r.value.map { "reaches \(quantity) = \(t.shown($0, digits: 3))" } ?? "never measures \(quantity)"
                    out.append(("\(theme.cross) The live run met it, but \(freshRun(t)) at \(at) \(reached) at step \(r.steps) "
                                + "(goal \(t.targetText)).", theme.bad))
                }
            }
        }
        out += metHistory(t)
        return out
    }

    /// Where the goal was met before, at other settings: history, not a ✓.
    func metHistory(_ t: Goal.Threshold) -> [(String, Style)] {
        let earlier = training.metVerdicts.filter { $0.readings != training.readings }
        guard !earlier.isEmpty else {
            if state.stepDone && training.metVerdicts.isEmpty {
                return [("Done in an earlier session; the goal is checked again at the settings now.", theme.dim)]
            }
            return []
        }
        let shown = earlier.suffix(3).map { r in
            settingsText(r.readings) + (r.value.map { " (\(t.shown($0, digits: 3)))" } ?? "")
        }
        let more = earlier.count > 3 ? " and \(earlier.count - 3) more" : ""
        return [("Met before at \(shown.joined(separator: "; "))\(more); not at the settings now.", theme.dim)]
    }

    /// "a fresh run", or for a run at several seeds, what its median is of.
    func freshRun(_ t: Goal.Threshold, steps: Int? = nil) -> String {
        let length = steps.map { "\($0)-step " } ?? ""
        guard let run = training.runs.first(where: { $0.name == t.run }), run.isBanded else { return "a fresh \(length)run" }
        return "fresh \(length)runs of its \(run.seedCount) seeds (median)"
    }

    /// The live run's latest measured value against the goal.
    func liveReading(_ t: Goal.Threshold) -> String {
        guard let run = training.runs.first(where: { $0.name == t.run }) else { return "no run named \"\(t.run)\"" }
        if case let .diverged(step, reason) = run.status {
            return "\(t.run) diverged at step \(step) (\(reason)); change a control and press r"
        }
        let reference = t.relativeTo.flatMap { name in training.runs.first { $0.name == name } }?.entries
        let quantity = t.quantityText(unicode: theme.unicode)
        guard let (entry, value) = Goal.latest(t, entries: run.entries, reference: reference) else {
            return "\(quantity): not measured yet"
        }
        let median = run.isBanded ? " (median of \(run.seedCount) seeds)" : ""
        let reading = "Live\(median): \(quantity) = \(t.shown(value, digits: 3)), goal \(t.targetText)"
        return entry.step < t.minSteps ? "\(reading); step \(entry.step) of at least \(t.minSteps)" : reading
    }

    /// `λ = 3.0e+00` (and any other control the step offers).
    func settingsText(_ readings: ControlReadings) -> String {
        let parts = state.controls.compactMap(\.engineControl).map {
            ControlFormat.describe($0, readings.values[$0] ?? 0, unicode: theme.unicode)
        }
        return parts.isEmpty ? "the step's settings" : parts.joined(separator: ", ")
    }

    /// The goal line of a narrow terminal: where the goal stands, in a line or two.
    func goalSummary(_ step: Step) -> [(String, Style)] {
        guard let goal = step.goal else { return watchLines() }
        switch goal {
        case let .question(q):
            if let line = answerLine() { return [line] + (hintLine(goal).map { [$0] } ?? []) }
            return [("Question at the end of the text (j): answer 1-\(q.choices.count).", Style(bold: true))]
        case let .threshold(t):
            // What to do comes first, even when the prose above is scrolled
            // away: a reading alone ("Live: val_loss = …") says nothing of the task.
            let prompt = ("Goal: " + goal.prompt.replacingScalars("*", with: ""), Style(bold: true))
            return [prompt] + thresholdLines(t) + (hintLine(goal).map { [$0] } ?? [])
        }
    }

    /// The goal as Markdown, appended to the prose in narrow terminals, with
    /// the marks of the answers given.
    func goalMarkdown(_ step: Step) -> String {
        // A threshold goal's prompt is on the goal line itself.
        guard let goal = step.goal, case .question = goal else { return "" }
        var text = "\n\n**Goal:** " + goal.prompt
        if case let .question(q) = goal {
            text += "\n\n" + state.choiceOrder.enumerated().map { shown, index in
                let mark = choiceMark(index).0
                return "\(shown + 1). \(mark == " " ? "" : mark + " ")\(q.choices[index].text)"
            }.joined(separator: "\n")
        }
        return text
    }

    /// The goal's lines wrapped to `width` (the layout counts them at the
    /// prose's width, and the goal's rectangle is that wide: wrapped once).
    func wrapped(_ lines: [(String, Style)], _ width: Int) -> [StyledLine] {
        lines.flatMap { WrappedText.wrap(theme.text($0.0), width: width, style: $0.1) }
    }

    func drawGoal(_ grid: inout CellGrid, _ rect: Rect, _ rows: [StyledLine]) {
        guard rect.height > 0, rect.width > 4, !rows.isEmpty else { return }
        grid.horizontalLine(x: rect.x, y: rect.y, length: rect.width, glyphs: theme.glyphs, style: theme.dim)
        for (row, y) in zip(rows, (rect.y + 1)..<rect.maxY) {
            row.render(into: &grid, x: rect.x, y: y, clip: rect)
        }
    }
}
