import TerminalUI
import DecayEngine
import DecayLessons

/// The whole state of the interface, as a value. `update` derives the next
/// state from a message; `view` draws a state (with the training state the
/// runtime owns) into a `CellGrid`.
public struct TutorState: Sendable, Equatable {
    public enum Screen: Sendable, Equatable {
        case menu
        case step
    }

    /// What the learner picked for a question goal, and the verdict.
    public struct Answer: Sendable, Equatable {
        public var choice: Int
        public var correct: Bool
        public var explanation: String
    }

    public var screen: Screen = .menu
    public var lessons: [Lesson]
    /// Located errors from lesson files that did not load (shown on the menu).
    public var loadErrors: [String]
    public var progress: DecayLessons.Progress
    public var size: TerminalSize
    public var unicode: Bool
    public var colors: Int

    public var menuSelection = 0
    public var lessonIndex = 0
    public var stepIndex = 0

    /// Index into the step's controls.
    public var focus = 0
    /// The learner's values for the engine controls of the open step.
    public var controlValues: [Control: Float] = [:]
    /// Decay on/off per group (the `groups` control), and which group ←/→ picks.
    public var groupDecay: [ParameterGroup: Bool] = [:]
    public var availableGroups: [ParameterGroup] = []
    public var groupFocus = 0
    /// Which group the norm chart shows when several runs share it (nil: all).
    public var normGroup: ParameterGroup? = .weights
    /// The first of the step's panels (heatmaps, then charts) on screen when
    /// the terminal cannot show them all; `c` moves it along.
    public var panelOffset = 0

    public var paused = false
    public var showHelp = false
    public var proseScroll = 0
    public var answer: Answer?
    public var stepDone = false
    /// A run of the open step diverged (then `r` also resets the controls).
    public var diverged = false
    public var notice: String?
    public var quitting = false

    public init(lessons: [Lesson], loadErrors: [String] = [], progress: DecayLessons.Progress = DecayLessons.Progress(),
                size: TerminalSize, unicode: Bool = true, colors: Int = 8) {
        self.lessons = lessons
        self.loadErrors = loadErrors
        self.progress = progress
        self.size = size
        self.unicode = unicode
        self.colors = colors
        if let last = progress.last, let i = lessons.firstIndex(where: { $0.id == last.lesson }) {
            menuSelection = i
        }
    }

    // MARK: - Derived

    public var lesson: Lesson? { lessons.indices.contains(lessonIndex) ? lessons[lessonIndex] : nil }
    public var step: Step? {
        guard let lesson, lesson.steps.indices.contains(stepIndex) else { return nil }
        return lesson.steps[stepIndex]
    }

    public var controls: [StepControl] {
        step?.controls ?? []
    }

    public var focusedControl: StepControl? {
        controls.indices.contains(focus) ? controls[focus] : nil
    }

    public var focusedGroup: ParameterGroup? {
        availableGroups.indices.contains(groupFocus) ? availableGroups[groupFocus] : nil
    }

    /// The status bar's control reading: `λ = 1.0e-02`.
    public var focusedControlText: String? {
        guard let c = focusedControl else { return nil }
        if let engine = c.engineControl {
            return ControlFormat.describe(engine, controlValues[engine] ?? 0, unicode: unicode)
        }
        guard let g = focusedGroup else { return nil }
        return "decay \(g.rawValue): \(groupDecay[g] ?? true ? "on" : "off")"
    }

    public func isFinished(lesson: Int) -> Bool {
        guard lessons.indices.contains(lesson) else { return false }
        let l = lessons[lesson]
        return (1...max(l.steps.count, 1)).allSatisfy { progress.isFinished(lesson: l.id, step: $0) }
    }

    public func finishedCount(lesson: Int) -> Int {
        guard lessons.indices.contains(lesson) else { return 0 }
        let l = lessons[lesson]
        return l.steps.indices.filter { progress.isFinished(lesson: l.id, step: $0 + 1) }.count
    }

    /// The first step not yet finished (or the last one), 0-based.
    public func resumeStep(lesson: Int) -> Int {
        let l = lessons[lesson]
        if let last = progress.last, last.lesson == l.id, last.step >= 1, l.steps.indices.contains(last.step - 1) { return last.step - 1 }
        return l.steps.indices.first { !progress.isFinished(lesson: l.id, step: $0 + 1) } ?? 0
    }
}
