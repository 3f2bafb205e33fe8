import TerminalUI
import DecayEngine
import DecayLessons
import Foundation

extension StepView {
    /// The goal as lines of the goal pane (wide terminals).
    func goalLines(_ step: Step) -> [(String, Style)] {
        guard let goal = step.goal else { return watchLines() }
        var out: [(String, Style)] = [("Goal: " + goal.prompt.replacingOccurrences(of: "*", with: ""), Style(bold: true))]
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
        guard let hint = goal.hint, !state.stepDone else { return nil }
        let missed = training.replay.map { !$0.running && !$0.met } ?? false
        guard state.showHint || missed else { return nil }
        return ("Hint: \(hint)", theme.accent)
    }

    /// Where a threshold goal stands: the live reading, then the replay.
    func thresholdLines(_ t: Goal.Threshold) -> [(String, Style)] {
        let replay = training.replay
        if state.stepDone {
            if let r = replay, r.met, let v = r.value {
                return [("\(theme.check) Goal met: \(freshRun(t)) at \(settingsText(r.readings)) reaches \(t.metric.name) = "
                         + "\(format(v)) after \(r.steps) steps. n for the next step.", theme.good)]
            }
            return [("\(theme.check) Goal met. n for the next step.", theme.good)]
        }
        var out: [(String, Style)] = [(liveReading(t), theme.dim)]
        if let r = replay {
            let at = settingsText(r.readings)
            if r.running {
                out.append(("The live run meets it; checking with \(freshRun(t, steps: r.steps)) at \(at)\(theme.unicode ? "…" : "...")", theme.accent))
            } else if !r.met {
                let reached = r.value.map { "reaches \(t.metric.name) = \(format($0))" } ?? "never measures \(t.metric.name)"
                out.append(("\(theme.cross) Live run meets it, but \(freshRun(t)) at \(at) \(reached) after \(r.steps) steps "
                            + "(goal \(t.comparison == .below ? "<" : ">") \(format(t.value))).", theme.bad))
            }
        }
        return out
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
        guard let (entry, value) = run.entries.latest(t.metric) else {
            return "\(t.metric.name): not measured yet"
        }
        let median = run.isBanded ? " (median of \(run.seedCount) seeds)" : ""
        let reading = "Live\(median): \(t.metric.name) = \(format(value)), goal \(t.comparison == .below ? "<" : ">") \(format(t.value))"
        return entry.step < t.minSteps ? "\(reading); step \(entry.step) of at least \(t.minSteps)" : reading
    }

    /// `λ = 3.0e+00` (and any other control the step offers).
    func settingsText(_ readings: ControlReadings) -> String {
        let parts = state.controls.compactMap(\.engineControl).map {
            ControlFormat.describe($0, readings.values[$0] ?? 0, unicode: theme.unicode)
        }
        return parts.isEmpty ? "the step's settings" : parts.joined(separator: ", ")
    }

    func format(_ v: Float) -> String {
        let a = abs(v)
        if a != 0 && (a < 1e-3 || a >= 1e4) { return String(format: "%.2e", v) }
        return String(format: "%.3g", v)
    }

    /// The goal line of a narrow terminal: where the goal stands, in a line or two.
    func goalSummary(_ step: Step) -> [(String, Style)] {
        guard let goal = step.goal else { return watchLines() }
        switch goal {
        case let .question(q):
            if let line = answerLine() { return [line] + (hintLine(goal).map { [$0] } ?? []) }
            return [("Question at the end of the text (j): answer 1-\(q.choices.count).", Style(bold: true))]
        case let .threshold(t):
            var lines = thresholdLines(t)
            if !state.stepDone, let first = lines.first { lines[0] = ("Goal: " + first.0, first.1) }
            return lines + (hintLine(goal).map { [$0] } ?? [])
        }
    }

    /// The goal as Markdown, appended to the prose in narrow terminals, with
    /// the marks of the answers given.
    func goalMarkdown(_ step: Step) -> String {
        guard let goal = step.goal else { return "" }
        var text = "\n\n**Goal:** " + goal.prompt
        if case let .question(q) = goal {
            text += "\n\n" + state.choiceOrder.enumerated().map { shown, index in
                let mark = choiceMark(index).0
                return "\(shown + 1). \(mark == " " ? "" : mark + " ")\(q.choices[index].text)"
            }.joined(separator: "\n")
        }
        return text
    }

    func drawGoal(_ grid: inout CellGrid, _ rect: Rect, _ lines: [(String, Style)]) {
        guard rect.height > 0, rect.width > 4, !lines.isEmpty else { return }
        grid.horizontalLine(x: rect.x, y: rect.y, length: rect.width, glyphs: theme.glyphs, style: theme.dim)
        var y = rect.y + 1
        for (text, style) in lines {
            for row in WrappedText.wrap(theme.text(text), width: rect.width, style: style) where y < rect.maxY {
                row.render(into: &grid, x: rect.x, y: y, clip: rect)
                y += 1
            }
        }
    }
}
