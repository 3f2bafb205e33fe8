import TerminalUI
import DecayEngine
import DecayLessons

extension TutorState {
    /// The next state for a message, and what the runtime must do about it.
    /// Pure: no terminal, no training, no files.
    public mutating func update(_ msg: Msg) -> [Command] {
        switch msg {
        case let .resized(size):
            self.size = size
            return []
        case .stepFinished:
            guard screen == .step, let lesson else { return [] }
            stepDone = true
            progress.finish(lesson: lesson.id, step: stepIndex + 1)
            return [.saveProgress]
        case let .notice(text):
            notice = text
            return []
        case let .diverged(d):
            diverged = d
            return []
        case let .key(key):
            return handle(key)
        }
    }

    private mutating func handle(_ key: Key) -> [Command] {
        if key == .ctrlC || key == .char("q") {
            quitting = true
            return [.saveProgress, .quit]
        }
        if showHelp {
            // Any key closes the overlay; it is not also acted on.
            showHelp = false
            return []
        }
        if key == .char("?") {
            showHelp = true
            return []
        }
        if case .resize = key { return [] }
        notice = nil
        switch screen {
        case .menu: return handleMenu(key)
        case .step: return handleStep(key)
        }
    }

    // MARK: - Menu

    private mutating func handleMenu(_ key: Key) -> [Command] {
        guard !lessons.isEmpty else { return [] }
        switch key {
        case .up, .char("k"), .backTab:
            menuSelection = max(0, menuSelection - 1)
        case .down, .char("j"), .tab:
            menuSelection = min(lessons.count - 1, menuSelection + 1)
        case .pageUp, .char("g"):
            menuSelection = 0
        case .pageDown, .char("G"):
            menuSelection = lessons.count - 1
        case .enter, .right, .char("l"), .char(" "):
            return open(lesson: menuSelection, step: resumeStep(lesson: menuSelection))
        case let .char(c) where c.isNumber:
            if let n = c.wholeNumberValue, (1...lessons.count).contains(n) { menuSelection = n - 1 }
        default:
            break
        }
        return []
    }

    /// Opens a step: its controls start at the values its lesson file gives.
    public mutating func open(lesson l: Int, step s: Int) -> [Command] {
        guard lessons.indices.contains(l), lessons[l].steps.indices.contains(s) else { return [] }
        screen = .step
        lessonIndex = l
        stepIndex = s
        menuSelection = l
        focus = 0
        proseScroll = 0
        answer = nil
        paused = false
        diverged = false
        let step = lessons[l].steps[s]
        stepDone = progress.isFinished(lesson: lessons[l].id, step: s + 1)
        let spec = step.spec
        controlValues = [.lambda: spec.weightDecay, .learningRate: spec.optimizer.learningRate, .dropout: spec.dropout]
        availableGroups = Self.groups(of: spec.model)
        groupDecay = Dictionary(uniqueKeysWithValues: availableGroups.map { ($0, spec.groups[$0] ?? true) })
        groupFocus = 0
        // A step about parameter groups shows every group; otherwise several
        // runs compare one group (weights) so their curves stay readable.
        normGroup = spec.resolvedRuns.count > 1 && !step.controls.contains(.groups) ? .weights : nil
        panelOffset = 0
        progress.last = DecayLessons.Progress.Position(lesson: lessons[l].id, step: s + 1)
        return [.openStep(lesson: l, step: s), .saveProgress]
    }

    /// The parameter groups a state of this shape has.
    public static func groups(of model: ModelSpec) -> [ParameterGroup] {
        var g: [ParameterGroup] = [.weights, .biases]
        if model.layerNorm && (model.kind != .linear) { g.append(.norms) }
        if model.kind == .embedding { g.append(.embeddings) }
        return g
    }

    // MARK: - Step

    private mutating func handleStep(_ key: Key) -> [Command] {
        guard let lesson, let step else { return [] }
        switch key {
        case .escape, .char("m"), .backspace:
            screen = .menu
            return [.closeStep, .saveProgress]
        case .char("n"), .pageDown:
            if stepIndex + 1 < lesson.steps.count { return open(lesson: lessonIndex, step: stepIndex + 1) }
            if lessonIndex + 1 < lessons.count { return open(lesson: lessonIndex + 1, step: 0) }
            notice = "That was the last step of the last lesson."
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
            paused = false
            stepDone = progress.isFinished(lesson: lesson.id, step: stepIndex + 1)
            guard diverged else { return [.restart] }
            // Restarting a diverged run with the settings that blew it up
            // would only blow it up again: go back to the step's own values.
            diverged = false
            let spec = step.spec
            let original: [(Control, Float)] = [(.lambda, spec.weightDecay), (.learningRate, spec.optimizer.learningRate),
                                                (.dropout, spec.dropout)]
            var commands: [Command] = []
            for (control, value) in original where controls.contains(where: { $0.engineControl == control })
                && controlValues[control] != value {
                controlValues[control] = value
                commands.append(.setControl(control, value))
            }
            notice = "Restarted with the step's own settings; the runs had diverged."
            return commands + [.restart]
        case .char("j"), .wheelDown:
            proseScroll += 1
        case .char("k"), .wheelUp:
            proseScroll = max(0, proseScroll - 1)
        case .up, .backTab:
            if !controls.isEmpty { focus = (focus + controls.count - 1) % controls.count }
        case .down, .tab:
            if !controls.isEmpty { focus = (focus + 1) % controls.count }
        case .left, .char("h"):
            return moveFocused(up: false)
        case .right, .char("l"):
            return moveFocused(up: true)
        case .enter, .char("t"):
            if focusedControl == .groups, let g = focusedGroup { return toggle(g) }
        case .char("W"): return toggleIfOffered(.weights)
        case .char("B"): return toggleIfOffered(.biases)
        case .char("N"): return toggleIfOffered(.norms)
        case .char("E"): return toggleIfOffered(.embeddings)
        case .char("g"):
            cycleNormGroup()
        case .char("c"):
            panelOffset += 1
        case let .char(c) where c.isNumber:
            if let n = c.wholeNumberValue, let goal = step.goal, let verdict = goal.answer(n - 1) {
                answer = Answer(choice: n - 1, correct: verdict.correct, explanation: verdict.explanation)
                if verdict.correct {
                    progress.answer(lesson: lesson.id, step: stepIndex + 1)
                    progress.finish(lesson: lesson.id, step: stepIndex + 1)
                    stepDone = true
                    return [.saveProgress]
                }
            }
        default:
            break
        }
        return []
    }

    private mutating func moveFocused(up: Bool) -> [Command] {
        guard let control = focusedControl else { return [] }
        guard let engine = control.engineControl else {
            if !availableGroups.isEmpty {
                groupFocus = (groupFocus + (up ? 1 : availableGroups.count - 1)) % availableGroups.count
            }
            return []
        }
        let ladder = ControlLadder.of(engine)
        let current = controlValues[engine] ?? 0
        let next = up ? ladder.up(from: current) : ladder.down(from: current)
        guard next != current else {
            notice = up ? "\(ControlFormat.name(engine)) is at the top of its range"
                        : "\(ControlFormat.name(engine)) is at the bottom of its range"
            return []
        }
        controlValues[engine] = next
        return [.setControl(engine, next)]
    }

    private mutating func toggle(_ g: ParameterGroup) -> [Command] {
        let on = !(groupDecay[g] ?? true)
        groupDecay[g] = on
        return [.setGroupDecay(g, on)]
    }

    private mutating func toggleIfOffered(_ g: ParameterGroup) -> [Command] {
        guard controls.contains(.groups) else {
            notice = "This step does not offer per-group decay switches."
            return []
        }
        guard availableGroups.contains(g) else {
            notice = "This state has no \(g.rawValue)."
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
