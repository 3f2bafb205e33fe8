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
        case let .readings(r):
            readings = r
            return []
        case .goalMissed:
            showHint = true
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
        case .summary, .courseEnd: return handleEnding(key)
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

    // MARK: - Summary and course end

    private mutating func handleEnding(_ key: Key) -> [Command] {
        switch key {
        case .char("n"), .pageDown, .enter, .char(" "), .right:
            if screen == .summary, lessonIndex + 1 < lessons.count { return open(lesson: lessonIndex + 1, step: 0) }
            if screen == .summary { screen = .courseEnd; return [] }
            screen = .menu
            menuSelection = 0
            return []
        case .char("j"), .down, .wheelDown:
            proseScroll += 1           // the summary's snippets run past a small screen
            return []
        case .char("k"), .up, .wheelUp:
            proseScroll = max(0, proseScroll - 1)
            return []
        case .char("p"), .pageUp, .left:
            if screen == .courseEnd {
                screen = .summary
                proseScroll = 0
                return []
            }
            return open(lesson: lessonIndex, step: max(0, (lesson?.steps.count ?? 1) - 1))
        case .char("o") where screen == .summary:
            // The summary lists the steps not done yet; o opens the first.
            guard let first = unfinishedSteps(lesson: lessonIndex).first else {
                notice = "Every step of this lesson is done."
                return []
            }
            return open(lesson: lessonIndex, step: first)
        case .escape, .char("m"), .backspace:
            screen = .menu
            return []
        default:
            return []
        }
    }

    /// Opens a step: its controls start at the values its lesson file gives
    /// (the runtime reports them back from the engine).
    public mutating func open(lesson l: Int, step s: Int) -> [Command] {
        guard lessons.indices.contains(l), lessons[l].steps.indices.contains(s) else { return [] }
        screen = .step
        lessonIndex = l
        stepIndex = s
        menuSelection = l
        focus = 0
        proseScroll = 0
        answer = nil
        wrongChoices = []
        showHint = false
        paused = false
        diverged = false
        let step = lessons[l].steps[s]
        stepDone = progress.isFinished(lesson: lessons[l].id, step: s + 1)
        let spec = step.spec
        readings = ControlReadings(
            values: Dictionary(uniqueKeysWithValues: Control.allCases.map { ($0, spec[keyPath: $0.specField]) }),
            decay: Dictionary(uniqueKeysWithValues: spec.parameterGroups.map { ($0, spec.groups[$0] ?? true) }))
        availableGroups = spec.parameterGroups
        groupFocus = 0
        // A step about parameter groups shows every group; otherwise several
        // runs compare one group so their curves stay readable: the only
        // decayed group when the step decays just one (a table in front of a
        // LayerNorm), else the weights.
        let decayed = availableGroups.filter { spec.groups[$0] ?? true }
        normGroup = spec.resolvedRuns.count > 1 && !step.controls.contains(.groups)
            ? (decayed.count == 1 ? decayed[0] : .weights) : nil
        panelOffset = 0
        progress.last = LearnerProgress.Position(lesson: lessons[l].id, step: s + 1)
        // Saved first: building the step may take a while, and a quit
        // request meanwhile ends the program without another save.
        return [.saveProgress, .openStep(lesson: l, step: s)]
    }
}
