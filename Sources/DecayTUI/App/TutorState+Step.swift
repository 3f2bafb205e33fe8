import TerminalUI
import DecayEngine
import DecayLessons

extension TutorState {
    mutating func handleStep(_ key: Key) -> [Command] {
        guard let lesson, let step else { return [] }
        switch key {
        case .escape, .char("m"), .backspace:
            screen = .menu
            return [.closeStep, .saveProgress]
        case .char("n"), .pageDown:
            if stepIndex + 1 < lesson.steps.count { return open(lesson: lessonIndex, step: stepIndex + 1) }
            // The end of a lesson: its key points, then the next lesson.
            screen = .summary
            proseScroll = 0
            return [.closeStep, .saveProgress]
        case .char("p"), .pageUp:
            if stepIndex > 0 { return open(lesson: lessonIndex, step: stepIndex - 1) }
            if lessonIndex > 0 { return open(lesson: lessonIndex - 1, step: lessons[lessonIndex - 1].steps.count - 1) }
            notice = "This is the first step."
        case .char(" "):
            paused.toggle()
        case .char("."):
            paused = true
            return [.singleStep]
        case .char("r"):
            return restart(step, lesson)
        case .char("+"), .char("="):
            return [.faster]
        case .char("-"), .char("_"):
            return [.slower]
        case .char("f"):
            paused = false
            return [.finishNow]
        case .char("x"):
            return [.export]
        case .char("i"):
            if step.goal?.hint != nil { showHint.toggle() } else { notice = "This step has no hint." }
        case .char("j"), .wheelDown:
            proseScroll += 1
        case .char("k"), .wheelUp:
            proseScroll = max(0, proseScroll - 1)
        case .up, .backTab:
            if !controls.isEmpty { focus = (focus + controls.count - 1) % controls.count }
        case .down, .tab:
            if !controls.isEmpty { focus = (focus + 1) % controls.count }
        case .left, .char("h"):
            return moveFocused(up: false, decade: false)
        case .right, .char("l"):
            return moveFocused(up: true, decade: false)
        case .char("["):
            return moveFocused(up: false, decade: true)
        case .char("]"):
            return moveFocused(up: true, decade: true)
        case .enter, .char("t"):
            if focusedControl == .groups, let g = focusedGroup { return toggle(g) }
        case .char("W"): return toggleIfOffered(.weights)
        case .char("B"): return toggleIfOffered(.biases)
        case .char("N"): return toggleIfOffered(.layerNorms)
        case .char("E"): return toggleIfOffered(.embeddings)
        case .char("g"):
            cycleNormGroup()
        case .char("c"):
            panelOffset += 1
        case let .char(c) where c.isNumber:
            if let n = c.wholeNumberValue { return answerQuestion(shown: n - 1, lesson: lesson, step: step) }
        default:
            break
        }
        return []
    }

    /// `r`: the runs start again with the current settings — unless they
    /// diverged, when the settings that blew them up go back to the step's own.
    private mutating func restart(_ step: Step, _ lesson: Lesson) -> [Command] {
        paused = false
        stepDone = progress.isFinished(lesson: lesson.id, step: stepIndex + 1)
        guard diverged else { return [.restart] }
        diverged = false
        let spec = step.spec
        let original = Control.allCases.map { ($0, spec[keyPath: $0.specField]) }
        var commands: [Command] = []
        for (control, v) in original where controls.contains(where: { $0.engineControl == control }) && value(control) != v {
            commands.append(.setControl(control, v))
        }
        notice = "Restarted with the step's own settings; the runs had diverged."
        return commands + [.restart]
    }

    /// A digit answers the question: `shown` is the place on screen, which
    /// maps to a choice of the lesson file through the learner's shuffle.
    /// A wrong answer can be followed by another try; the right one finishes
    /// the step and shows its explanation.
    private mutating func answerQuestion(shown: Int, lesson: Lesson, step: Step) -> [Command] {
        let order = choiceOrder
        guard order.indices.contains(shown), let goal = step.goal, let verdict = goal.answer(order[shown]) else { return [] }
        let choice = order[shown]
        answer = Answer(choice: choice, correct: verdict.correct, explanation: verdict.explanation)
        guard verdict.correct else {
            if !wrongChoices.contains(choice) { wrongChoices.append(choice) }
            if goal.hint != nil { showHint = true }
            progress.miss(lesson: lesson.id, step: stepIndex + 1)
            return [.saveProgress]
        }
        progress.answer(lesson: lesson.id, step: stepIndex + 1)
        progress.finish(lesson: lesson.id, step: stepIndex + 1)
        stepDone = true
        return [.saveProgress]
    }

    private mutating func moveFocused(up: Bool, decade: Bool) -> [Command] {
        guard let control = focusedControl, let step else { return [] }
        guard let engine = control.engineControl else {
            if !availableGroups.isEmpty {
                groupFocus = (groupFocus + (up ? 1 : availableGroups.count - 1)) % availableGroups.count
            }
            return []
        }
        let ladder = ControlLadder.of(engine, in: step)
        let current = value(engine)
        let next = decade ? ladder.decade(from: current, up: up) : up ? ladder.up(from: current) : ladder.down(from: current)
        guard next != current else {
            notice = up ? "\(ControlFormat.name(engine)) is at the top of its range"
                        : "\(ControlFormat.name(engine)) is at the bottom of its range"
            return []
        }
        return [.setControl(engine, next)]
    }

    private mutating func toggle(_ g: ParameterGroup) -> [Command] {
        [.setGroupDecay(g, !(readings.decay[g] ?? true))]
    }

    private mutating func toggleIfOffered(_ g: ParameterGroup) -> [Command] {
        guard controls.contains(.groups) else {
            notice = "This step does not offer per-group decay switches."
            return []
        }
        guard availableGroups.contains(g) else {
            notice = "This model has no \(g.rawValue)."
            return []
        }
        return toggle(g)
    }

    private mutating func cycleNormGroup() {
        let order: [ParameterGroup?] = availableGroups.map { Optional($0) } + [nil]
        let i = order.firstIndex(of: normGroup) ?? (order.count - 1)
        normGroup = order[(i + 1) % order.count]
    }
}
