import TerminalUI
import DecayEngine
import DecayLessons
import Foundation

/// The runtime: reads keys, runs `update`, carries out its commands, trains
/// the open step under a per-frame time budget, and draws `view`. One
/// thread does all of it, so curses is touched from one thread only.
public final class App {
    public private(set) var state: TutorState
    public private(set) var session: StepSession?
    private let store: ProgressStore?
    private let clock: () -> Double
    /// Time per frame spent training; the rest goes to drawing and keys.
    public var trainingBudget = 0.020
    /// The longest a frame waits for a key while training is idle.
    public var idleWait = 100

    /// - Parameters:
    ///   - library: the lessons (and the errors of files that did not load).
    ///   - store: where progress is saved; nil keeps it in memory (tests).
    ///   - size, unicode, colors: what the terminal can show.
    ///   - clock: seconds, monotonic; injectable so tests are deterministic.
    public init(library: LessonLibrary, store: ProgressStore?, size: TerminalSize, unicode: Bool, colors: Int,
                clock: @escaping () -> Double = App.monotonicSeconds) {
        var warnings: [String] = []
        var progress = DecayLessons.Progress()
        if let store {
            let loaded = store.load()
            progress = loaded.progress
            warnings = loaded.warnings.map(\.description)
        }
        self.store = store
        self.clock = clock
        state = TutorState(lessons: library.lessons, loadErrors: library.errors.map(\.description), progress: progress,
                      size: size, unicode: unicode, colors: colors)
        state.notice = warnings.first
    }

    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Opens a lesson step directly (the `decay-tutor ID:STEP` form).
    public func open(lesson: Int, step: Int) {
        run(state.open(lesson: lesson, step: step))
    }

    /// Resumes the last lesson and step, if progress names one.
    public func resumeLast() {
        guard let last = state.progress.last, let l = state.lessons.firstIndex(where: { $0.id == last.lesson }) else { return }
        open(lesson: l, step: min(max(last.step, 1) - 1, state.lessons[l].steps.count - 1))
    }

    /// Feeds one message through `update` and carries out its commands.
    /// Returns false once the learner has quit.
    @discardableResult
    public func send(_ msg: Msg) -> Bool {
        run(state.update(msg))
        return !state.quitting
    }

    private func run(_ commands: [Command]) {
        for command in commands {
            switch command {
            case let .openStep(l, s):
                session = StepSession(step: presentedStep(lesson: l, step: s), unicode: state.unicode)
            case .closeStep:
                session = nil
            case let .setControl(control, value):
                session?.set(control, to: value)
            case let .setGroupDecay(group, on):
                session?.setDecay(group, on)
            case .restart:
                session?.restart()
            case .singleStep:
                session?.singleStep(now: clock())
            case .saveProgress:
                save()
            case .quit:
                session = nil
            }
        }
    }

    /// The step as shown: the lesson's introduction leads its first step.
    private func presentedStep(lesson l: Int, step s: Int) -> Step {
        let lesson = state.lessons[l]
        var step = lesson.steps[s]
        if s == 0, !lesson.introduction.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            step.prose = lesson.introduction + "\n\n" + step.prose
        }
        return step
    }

    private func save() {
        guard let store else { return }
        do {
            let (merged, warnings) = try store.save(state.progress)
            // Another tutor may have finished steps meanwhile: show them too.
            state.progress = merged
            if let w = warnings.first { _ = state.update(.notice(w.description)) }
        } catch {
            _ = state.update(.notice("progress not saved: \(error)"))
        }
    }

    /// One frame's work after input: train, check the goal, follow the sweep.
    public func tick() {
        let now = clock()
        guard let session else { return }
        if !state.paused { session.train(budget: trainingBudget, now: clock) } else { session.noteRate(now) }
        let diverged = session.experiment.runs.contains { $0.status.isDiverged }
        if diverged != state.diverged { send(.diverged(diverged)) }
        guard !state.stepDone, let step = state.step else { return }
        if let goal = step.goal {
            if case .threshold = goal, goal.evaluate(session.experiment) == .met { send(.stepFinished) }
        } else if session.reachedPlannedSteps {
            send(.stepFinished)
        }
    }

    public func frame() -> CellGrid {
        View.render(state, session: session)
    }

    /// A deliberate failure after some frames, for the tests that check the
    /// terminal is restored on an internal error or a crash (debug builds
    /// set it from `DECAY_TUTOR_INJECT_FAULT`).
    public enum Fault: Equatable, Sendable {
        case error(afterFrames: Int)
        case crash(afterFrames: Int)
    }

    public struct InjectedFault: Error, CustomStringConvertible {
        public var description: String { "injected internal error (DECAY_TUTOR_INJECT_FAULT)" }
    }

    public var injectedFault: Fault?

    /// The interactive loop: returns when the learner quits.
    public func loop(on backend: Backend) throws {
        state.size = backend.size
        backend.draw(frame())
        var frames = 1
        while !state.quitting {
            frames += 1
            switch injectedFault {
            case let .error(n)? where frames > n: throw InjectedFault()
            case let .crash(n)? where frames > n: fatalError("injected crash (DECAY_TUTOR_INJECT_FAULT)")
            default: break
            }
            let training = session.map { !state.paused && ($0.canTrain || !$0.sweepComplete) } ?? false
            let wait = training ? 1 : idleWait
            if let key = backend.readKey(timeoutMs: wait) {
                handle(key, backend)
                // Take every key already typed before training again, so a
                // held arrow key does not lag behind the screen.
                while !state.quitting, let more = backend.readKey(timeoutMs: 0) { handle(more, backend) }
            }
            if state.quitting { break }
            tick()
            backend.draw(frame())
        }
    }

    private func handle(_ key: Key, _ backend: Backend) {
        if key == .resize { send(.resized(backend.size)) }
        send(.key(key))
    }
}
