import TerminalUI
import DecayEngine
import DecayLessons

/// The whole state of the interface, as a value. `update` derives the next
/// state from a message; `view` draws a state (with a snapshot of the
/// training the runtime owns) into a `CellGrid`.
public struct TutorState: Sendable, Equatable {
    public enum Screen: Sendable, Equatable {
        case menu
        case step
        /// The end of a lesson: its key points.
        case summary
        /// The end of the course.
        case courseEnd
    }

    /// What the learner picked for a question goal, and the verdict.
    public struct Answer: Sendable, Equatable {
        /// The choice's index in the lesson file (not its place on screen).
        public var choice: Int
        public var correct: Bool
        public var explanation: String
    }

    public var screen: Screen = .menu
    public var lessons: [Lesson]
    /// Located errors from lesson files that did not load (shown on the menu).
    public var loadErrors: [String]
    public var progress: LearnerProgress
    public var size: TerminalSize
    public var unicode: Bool
    public var colors: Int
    /// Fixed per learner: orders each question's choices, so they are
    /// shuffled for every learner yet stable across visits.
    public var learnerSeed: UInt64

    public var menuSelection = 0
    public var lessonIndex = 0
    public var stepIndex = 0

    /// Index into the step's controls.
    public var focus = 0
    /// The engine's control values and group switches for the open step,
    /// as the runtime last read them (`Msg.readings`).
    public var readings = ControlReadings()
    public var availableGroups: [ParameterGroup] = []
    public var groupFocus = 0
    /// Which group the norm chart shows when several runs share it (nil: all).
    public var normGroup: ParameterGroup? = .weights
    /// The first of the step's panels (heatmaps, then charts) on screen when
    /// the terminal cannot show them all; `c` moves it along.
    public var panelOffset = 0

    public var paused = false
    public var showHelp = false
    public var showHint = false
    public var proseScroll = 0
    public var answer: Answer?
    /// Choices already tried and found wrong on this visit.
    public var wrongChoices: [Int] = []
    public var stepDone = false
    /// A run of the open step diverged (then `r` also resets the controls).
    public var diverged = false
    public var notice: String?
    public var quitting = false

    public init(lessons: [Lesson], loadErrors: [String] = [], progress: LearnerProgress = LearnerProgress(),
                size: TerminalSize, unicode: Bool = true, colors: Int = 8, learnerSeed: UInt64 = 0) {
        self.lessons = lessons
        self.loadErrors = loadErrors
        self.progress = progress
        self.size = size
        self.unicode = unicode
        self.colors = colors
        self.learnerSeed = learnerSeed
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

    /// The value of an engine control, as the engine has it.
    public func value(_ control: Control) -> Float { readings.values[control] ?? 0 }

    /// The status bar's control reading: `λ = 1.0e-02`.
    public var focusedControlText: String? {
        guard let c = focusedControl else { return nil }
        if let engine = c.engineControl {
            return ControlFormat.describe(engine, value(engine), unicode: unicode)
        }
        guard let g = focusedGroup else { return nil }
        return "decay \(g.rawValue): \(readings.decay[g] ?? true ? "on" : "off")"
    }

    /// The order the open question's choices are shown in: indices into
    /// the lesson file's choices, shuffled by the learner's seed.
    public var choiceOrder: [Int] {
        guard case let .question(q)? = step?.goal, let lesson else { return [] }
        return QuestionOrder.permutation(count: q.choices.count, seed: learnerSeed, key: "\(lesson.id):\(stepIndex + 1)")
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

    /// The steps of a lesson not yet finished, 0-based.
    public func unfinishedSteps(lesson: Int) -> [Int] {
        guard lessons.indices.contains(lesson) else { return [] }
        let l = lessons[lesson]
        return l.steps.indices.filter { !progress.isFinished(lesson: l.id, step: $0 + 1) }
    }

    /// A step named as `lesson-id:N`: the lesson's index and the 0-based step.
    public func resolve(_ reference: String) -> (lesson: Int, step: Int)? {
        let parts = reference.split(separator: ":")
        guard parts.count == 2, let n = Int(parts[1]), let l = lessons.firstIndex(where: { $0.id == parts[0] }),
              lessons[l].steps.indices.contains(n - 1) else { return nil }
        return (l, n - 1)
    }

    /// The first step not yet finished (or the last one), 0-based.
    public func resumeStep(lesson: Int) -> Int {
        let l = lessons[lesson]
        if let last = progress.last, last.lesson == l.id, last.step >= 1, l.steps.indices.contains(last.step - 1) { return last.step - 1 }
        return l.steps.indices.first { !progress.isFinished(lesson: l.id, step: $0 + 1) } ?? 0
    }
}

/// A per-learner, per-question shuffle: the same learner sees the same
/// order on every visit, different learners different orders, and no
/// randomness is kept anywhere but in the seed.
public enum QuestionOrder {
    public static func permutation(count: Int, seed: UInt64, key: String) -> [Int] {
        var state = seed ^ 0x9E37_79B9_7F4A_7C15
        for byte in key.utf8 { state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        var order = Array(0..<count)
        // Fisher–Yates with splitmix64.
        for i in stride(from: count - 1, to: 0, by: -1) {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            order.swapAt(i, Int(z % UInt64(i + 1)))
        }
        return order
    }

    /// A seed for this learner: the progress file's owner, so it survives
    /// restarts without being stored.
    public static func learnerSeed(_ identity: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in identity.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}
