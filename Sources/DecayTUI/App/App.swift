import TerminalUI
import DecayEngine
import DecayLessons
import Foundation

/// The runtime: reads keys, runs `update`, carries out its commands, trains
/// the open step at its pace, and draws `view` from the state and a
/// snapshot of the training. One thread does all of it, so curses is
/// touched from one thread only; sweeps and goal replays train elsewhere.
public final class App {
    public private(set) var state: TutorState
    public private(set) var session: StepSession?
    /// The prose laid out for the open step, kept between frames.
    let proseCache = ProseCache()
    private let store: ProgressStore?
    private let clock: () -> Double
    /// Time per frame the live runs may train; the rest goes to drawing and keys.
    public var trainingBudget = 0.020
    /// The longest a frame waits for a key while training is idle.
    public var idleWait = 100
    /// Where `x` writes exports: a new folder under this one per export.
    public var exportRoot = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    /// The export `x` started, training and writing off this thread; its
    /// notice comes back through `tick`.
    private(set) var exportJob: BackgroundJob<String>?

    /// - Parameters:
    ///   - library: the lessons (and the errors of files that did not load).
    ///   - store: where progress is saved; nil keeps it in memory (tests).
    ///   - size, unicode, colors: what the terminal can show.
    ///   - learnerSeed: orders each question's choices for this learner.
    ///   - clock: seconds, monotonic; injectable so tests are deterministic.
    public init(library: LessonLibrary, store: ProgressStore?, size: TerminalSize, unicode: Bool, colors: Int,
                learnerSeed: UInt64 = 0, clock: @escaping () -> Double = App.monotonicSeconds) {
        var warnings: [String] = []
        var progress = LearnerProgress()
        if let store {
            let loaded = store.load()
            progress = loaded.progress
            warnings = loaded.warnings.map(\.description)
        }
        self.store = store
        self.clock = clock
        state = TutorState(lessons: library.lessons, loadErrors: library.errors.map(\.description), progress: progress,
                           size: size, unicode: unicode, colors: colors, learnerSeed: learnerSeed)
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
        let steps = state.lessons[l].steps.count
        let step = last.step > 0 && last.step <= steps ? last.step - 1 : 0
        open(lesson: l, step: step)
    }

    /// Feeds one message through `update` and carries out its commands.
    /// Returns false once the learner has quit.
    @discardableResult
    public func send(_ msg: Msg) -> Bool {
        run(state.update(msg))
        return !state.quitting
    }

    private func run(_ commands: [Command]) {
        var touchedEngine = false
        for command in commands {
            switch command {
            case let .openStep(l, s):
                // Building can take long (a large data set, pretraining):
                // a quit request meanwhile ends the program at once.
                let step = presentedStep(lesson: l, step: s)
                session = nil
                session = TerminalSession.quitAtOnce { StepSession(step: step, unicode: state.unicode) }
                touchedEngine = true
            case .closeStep:
                session = nil
            case .quit:
                session = nil
                exportJob?.cancel()
                exportJob = nil
            case let .setControl(control, value):
                session?.set(control, to: value)
                touchedEngine = true
                if let note = session?.scheduleEndedNote(for: control, unicode: state.unicode) {
                    _ = state.update(.notice(note))
                }
            case let .setGroupDecay(group, on):
                session?.setDecay(group, on)
                touchedEngine = true
            case .restart:
                session?.restart()
            case .singleStep:
                let now = clock()
                TerminalSession.quitAtOnce { session?.singleStep(now: now) }
            case .faster: session?.faster()
            case .slower: session?.slower()
            case .finishNow: session?.finishNow()
            case .export: export()
            case .saveProgress:
                save()
            }
        }
        // The controls read back from the engine: the one source of their values.
        if touchedEngine, let session { _ = state.update(.readings(session.readings)) }
    }

    /// The step as shown: the lesson's introduction leads its first step.
    private func presentedStep(lesson l: Int, step s: Int) -> Step {
        let lesson = state.lessons[l]
        var step = lesson.steps[s]
        step.prose = Lesson.split(step.prose).prose     // key points go on the summary screen
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

    /// `x`: the open step with the learner's settings (controls and group
    /// switches), trained afresh from its start and written as
    /// `experiment.json` and `reproduce.py` into a new folder under
    /// `exportRoot` (`overfitting-2`, then `overfitting-2-2`, …). The
    /// training runs as a background job; its notice comes when it is done.
    private func export() {
        guard let session, let lesson = state.lesson else { return }
        if exportJob != nil {
            _ = state.update(.notice("Still exporting; x again once it has written its files."))
            return
        }
        let spec = Self.spec(session.step, with: session.readings)
        let base = "\(lesson.id)-\(state.stepIndex + 1)"
        var name = base
        var n = 1
        while FileManager.default.fileExists(atPath: exportRoot.appendingPathComponent(name).path) {
            n += 1
            name = "\(base)-\(n)"
        }
        let folder = exportRoot.appendingPathComponent(name)
        let seeds = StepExport.seedNote(spec).map { " Note: " + $0 + "." } ?? ""
        exportJob = BackgroundJob { [name] cancellation in
            // Every seed of a banded run is a run of its own in the file.
            guard let experiment = StepExport.trained(spec, cancellation: cancellation) else { return nil }
            do {
                try StepExport.write(experiment: experiment, to: folder)
                return "Wrote \(name)/experiment.json and reproduce.py; run: python3 \(name)/reproduce.py.\(seeds)"
            } catch {
                return "export failed: \(error)"
            }
        }
        _ = state.update(.notice("Exporting \(name): training \(spec.steps) steps…"))
    }

    /// Reports a finished export on the status line.
    private func collectExport() {
        guard let job = exportJob, let notice = job.result else { return }
        exportJob = nil
        _ = state.update(.notice(notice))
    }

    /// A step's spec with the learner's settings in place of the lesson's,
    /// for the runs that follow the controls.
    static func spec(_ step: Step, with readings: ControlReadings) -> ExperimentSpec {
        var spec = step.spec
        let controls = Set(step.controls.compactMap(\.engineControl))
        for control in controls { if let v = readings.values[control] { spec[keyPath: control.specField] = v } }
        if step.controls.contains(.groups) { for (g, on) in readings.decay { spec.groups[g] = on } }
        return spec
    }

    /// One frame's work after input: train at the pace, check the goal,
    /// follow the sweep.
    public func tick() {
        collectExport()
        guard let session else { return }
        // One step of a large experiment can outlast many frames: a quit
        // request during training ends the program at once (progress is
        // saved as it is made, so nothing is lost).
        TerminalSession.quitAtOnce { session.train(budget: trainingBudget, now: clock, paused: state.paused) }
        let diverged = session.experiment.runs.contains { $0.status.isDiverged }
        if diverged != state.diverged { send(.diverged(diverged)) }
        guard state.screen == .step, let step = state.step else { return }
        switch step.goal {
        case .threshold?:
            // Checked even once the step is done: the ✓ holds only at settings
            // a replay confirmed, so every new setting is checked again.
            let previous = session.replayState
            if let verdict = session.checkGoal(), !verdict.running, verdict != previous {
                send(verdict.met ? .stepFinished : .goalMissed)
            }
        case .question?:
            break
        case nil:
            if !state.stepDone, session.reachedPlannedSteps { send(.stepFinished) }
        }
    }

    public func frame() -> CellGrid {
        View.render(state, training: session?.snapshot(), prose: proseCache)
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
        var drawn = FrameKey(state: state, session: session, exporting: exportJob != nil)
        var frames = 1
        while !state.quitting {
            frames += 1
            switch injectedFault {
            case let .error(n)? where frames > n: throw InjectedFault()
            case let .crash(n)? where frames > n: fatalError("injected crash (DECAY_TUTOR_INJECT_FAULT)")
            default: break
            }
            let busy = session.map { !state.paused && ($0.canTrain || !$0.sweepComplete) } ?? false
            // Paced training needs a frame every ~15 ms; finishing now, as many as it can get.
            let wait = busy ? (session?.pacer.finishing == true ? 1 : 15) : idleWait
            let pressed = backend.readKey(timeoutMs: wait)
            if let key = pressed {
                handle(key, backend)
                // Take every key already typed before training again, so a
                // held arrow key does not lag behind the screen.
                while !state.quitting, let more = backend.readKey(timeoutMs: 0) { handle(more, backend) }
            }
            if state.quitting { break }
            tick()
            let now = FrameKey(state: state, session: session, exporting: exportJob != nil)
            if pressed == nil && now == drawn { continue }   // nothing to show that is not shown
            backend.draw(frame())
            drawn = now
        }
    }

    private func handle(_ key: Key, _ backend: Backend) {
        if key == .resize { send(.resized(backend.size)) }
        send(.key(key))
    }
}
