import DecayEngine
import DecayLessons
import Foundation

/// The training behind the open step: its experiment, trained at a watchable
/// pace on the UI thread; its sweep, trained at full speed on worker
/// threads; and the replay that checks its goal. The runtime owns it and
/// hands the view a `TrainingSnapshot` of it each frame.
public final class StepSession {
    public let step: Step
    /// The runs at all their seeds (`seeds = N`); `experiment` is the
    /// step's own seed.
    public let seeded: SeededExperiment
    public var experiment: Experiment { seeded.base }
    public private(set) var sweep: Sweep?
    public private(set) var pacer: Pacer
    /// Wall-clock rate of training steps over the last second or so.
    public private(set) var stepsPerSecond: Double = 0
    private var rateWindow: [(time: Double, step: Int)] = []
    /// Where the learner moved a control: the chart's vertical marks.
    public private(set) var markers: [TrainingSnapshot.Marker] = []
    private let unicode: Bool
    private var replay: GoalReplay?
    private var lastVerdict: TrainingSnapshot.ReplayState?
    public private(set) var replayState: TrainingSnapshot.ReplayState?
    /// Every setting at which a replay met the goal in this session, latest
    /// last: the "met at λ = …" history, kept apart from whether the goal
    /// holds at the settings now.
    public private(set) var metVerdicts: [TrainingSnapshot.ReplayState] = []

    /// Where training stops on its own: the step's planned length at first,
    /// so the picture matches the prose; moving a control extends it by
    /// another planned length, so the change has room to show.
    public private(set) var stepLimit: Int

    public init(step: Step, unicode: Bool) {
        self.step = step
        self.unicode = unicode
        self.seeded = SeededExperiment(spec: step.spec)
        self.stepLimit = step.spec.steps
        self.pacer = Pacer(plannedSteps: step.spec.steps)
        startSweep()
    }

    deinit {
        sweep?.cancel()
        replay?.cancel()
    }

    /// True once every run has trained the step's steps (or diverged) and
    /// the sweep, if any, has finished.
    public var reachedPlannedSteps: Bool {
        (experiment.step >= step.spec.steps || experiment.allDiverged) && sweepComplete
    }

    public var sweepComplete: Bool { sweep.map { $0.finished.count >= $0.cellCount } ?? true }

    public var canTrain: Bool {
        !experiment.allDiverged && experiment.step < stepLimit
    }

    public var readings: ControlReadings { ControlReadings.read(experiment) }

    private func startSweep() {
        guard let s = step.sweep else { return }
        let sweep = Sweep(spec: step.spec, learningRates: s.learningRates, lambdas: s.lambdas, steps: s.steps, metric: s.metric)
        self.sweep = sweep
        // The snapshot reads finished cells from the sweep itself (under its
        // lock), so workers need not report them anywhere else.
        // A bounded number of cells at once: the resource estimate counts them.
        sweep.start(workers: min(ProcessInfo.processInfo.activeProcessorCount, ResourceEstimate.sweepWorkers)) { _ in }
    }

    // MARK: - Training

    /// Trains the steps the pace allows now, within `budget` seconds.
    public func train(budget: Double, now: () -> Double, paused: Bool) {
        let start = now()
        let allowed = pacer.allowance(now: start, running: !paused && canTrain)
        var taken = 0
        while taken < allowed && canTrain {
            seeded.advance()
            taken += 1
            if taken % 8 == 0 && now() - start >= budget { break }
        }
        pacer.spend(taken)
        if !canTrain { pacer.finishing = false }
        noteRate(now())
    }

    public func singleStep(now: Double) {
        if !canTrain && !experiment.allDiverged { stepLimit = experiment.step + 1 }
        guard canTrain else { return }
        seeded.advance()
        noteRate(now)
    }

    /// Called every frame, trained or not, so the rate falls to 0 when
    /// training pauses or stops instead of keeping its last value.
    public func noteRate(_ time: Double) {
        rateWindow.append((time, experiment.step))
        while let first = rateWindow.first, time - first.time > 1.0, rateWindow.count > 2 { rateWindow.removeFirst() }
        if let first = rateWindow.first, time - first.time > 0.05 {
            stepsPerSecond = Double(experiment.step - first.step) / (time - first.time)
        } else {
            stepsPerSecond = 0
        }
    }

    public func faster() { pacer.faster() }
    public func slower() { pacer.slower() }
    public func finishNow() { if canTrain { pacer.finishing = true } }

    // MARK: - Controls

    private func extend() {
        stepLimit = max(stepLimit, experiment.step + step.spec.steps)
    }

    public func set(_ control: Control, to value: Float) {
        extend()
        seeded.set(control, to: value)
        mark(ControlFormat.describe(control, value, unicode: unicode))
    }

    /// Records a chart mark. Presses at the same step (a held key) replace
    /// each other, and only the latest marks are kept: a long session of
    /// key presses stays in constant memory.
    private func mark(_ label: String) {
        if let last = markers.last, last.step == experiment.step {
            markers[markers.count - 1] = .init(step: experiment.step, label: label)
        } else {
            markers.append(.init(step: experiment.step, label: label))
        }
        if markers.count > 64 { markers.removeFirst(markers.count - 64) }
    }

    public func setDecay(_ group: ParameterGroup, _ on: Bool) {
        extend()
        seeded.setDecay(group, on)
        mark("\(group.rawValue) decay \(on ? "on" : "off")")
    }

    /// Starts the runs again from the initial parameters with the current
    /// control values (and the sweep from scratch).
    public func restart() {
        seeded.restart()
        stepLimit = step.spec.steps
        markers.removeAll()
        rateWindow.removeAll()
        stepsPerSecond = 0
        pacer = Pacer(plannedSteps: step.spec.steps)
        replay?.cancel()
        replay = nil
        if sweep != nil {
            sweep?.cancel()
            startSweep()
        }
    }

    // MARK: - Goal

    /// Where the step's threshold goal stands: the live runs must meet it,
    /// then a replay at the current settings must meet it too. Called once
    /// a frame; returns the replay in progress or the latest verdict.
    @discardableResult
    public func checkGoal() -> TrainingSnapshot.ReplayState? {
        guard case let .threshold(t)? = step.goal else { return nil }
        let now = readings
        if let r = replay {
            switch r.outcome {
            case .running:
                if r.readings == now { return replayState }
                r.cancel()           // the learner moved on; check the new settings instead
                replay = nil
                replayState = lastVerdict
            case let .met(value, steps):
                lastVerdict = .init(readings: r.readings, running: false, met: true, value: value, steps: steps)
                remember(lastVerdict!)
                replay = nil
            case let .notMet(value, steps):
                lastVerdict = .init(readings: r.readings, running: false, met: false, value: value, steps: steps)
                replay = nil
            }
            replayState = lastVerdict
        }
        // Back at settings already confirmed: that verdict stands, no replay.
        if replay == nil, lastVerdict?.readings != now, let known = metVerdicts.last(where: { $0.readings == now }) {
            lastVerdict = known
            replayState = known
            return replayState
        }
        if replay == nil, lastVerdict?.readings != now, step.goal?.evaluate(seeded) == .met {
            replay = GoalReplay(spec: step.spec, controls: step.controls, readings: now, goal: t)
            replayState = .init(readings: now, running: true, met: false, value: nil, steps: t.minSteps)
        }
        return replayState
    }

    private func remember(_ verdict: TrainingSnapshot.ReplayState) {
        metVerdicts.removeAll { $0.readings == verdict.readings }
        metVerdicts.append(verdict)
        if metVerdicts.count > 16 { metVerdicts.removeFirst(metVerdicts.count - 16) }
    }

    // MARK: - Snapshot

    /// The value the view draws from.
    public func snapshot() -> TrainingSnapshot {
        let runs = experiment.runs.map { run in
            var state = TrainingSnapshot.RunState(name: run.name, status: run.status, entries: run.history,
                                                  scheduleEndedAt: Self.scheduleEnd(run.settings.schedule))
            let seeds = seeded.seeds(of: run.name)
            if seeds.count > 1 { state.band(seeds) }
            return state
        }
        let sweepState = sweep.map { s in
            TrainingSnapshot.SweepState(runNames: s.runNames, learningRates: s.learningRates, lambdas: s.lambdas,
                                        steps: s.steps, metric: s.metric, cells: s.finished, cellCount: s.cellCount)
        }
        return TrainingSnapshot(
            runs: runs, step: experiment.step, stepLimit: stepLimit, plannedSteps: step.spec.steps,
            groups: experiment.groups, readings: readings, markers: markers, stepsPerSecond: stepsPerSecond,
            pacer: pacer, canTrain: canTrain, sweep: sweepState, fit: step.charts.contains(.fit) ? fitState() : nil,
            replay: replayState, metVerdicts: metVerdicts)
    }

    /// Why moving lr (or λ, whose decay is multiplied by lr_t) shows nothing
    /// once a cosine or linear schedule has run out (the factor sits at its
    /// end value), and what to press instead; nil while it still matters.
    public func scheduleEndedNote(for control: Control = .learningRate, unicode: Bool) -> String? {
        guard control != .dropout else { return nil }
        let ends = experiment.runs.compactMap { run -> (Int, Float, String)? in
            guard let end = run.settings.schedule.end, experiment.step >= end.step else { return nil }
            return (end.step, end.factor, run.settings.schedule.name)
        }
        guard let (end, floor, name) = ends.min(by: { $0.0 < $1.0 }) else { return nil }
        let times = unicode ? "×" : "x"
        let what = control == .learningRate ? "moving lr" : "moving \(unicode ? "λ" : "lambda") (its decay is lr_t \(times) \(unicode ? "λ" : "lambda"))"
        let symbol = control == .learningRate ? "lr" : (unicode ? "λ" : "lambda")
        return "The \(name) schedule ended at step \(end): lr is multiplied by \(floor == 0 ? "0" : String(format: "%g", floor)) "
            + "from there on, so \(what) changes \(floor == 0 ? "nothing" : "little") now. Press r to train afresh with the new \(symbol)."
    }

    /// The step from which a schedule's factor stays at its end value.
    static func scheduleEnd(_ schedule: ScheduleShape) -> Int? { schedule.end?.step }

    /// The fitted curve of each run on a grid over [−1, 1] (polynomial data).
    func fitState(points: Int = 121) -> TrainingSnapshot.FitState? {
        guard step.spec.data.kind == .polynomial else { return nil }
        let data = experiment.data
        let degree = data.inputWidth
        var grid = Matrix(rows: points, columns: degree)
        var xs: [Float] = []
        for i in 0..<points {
            let x = -1 + 2 * Double(i) / Double(points - 1)
            xs.append(Float(x))
            for (k, f) in DataSet.polynomialFeatures(x, degree: degree).enumerated() { grid[i, k] = f }
        }
        let curves = experiment.runs.map { run -> [(x: Float, y: Float)] in
            run.network.forward(grid, training: false)
            let out = run.network.output
            return (0..<points).map { (xs[$0], out[$0, 0]) }
        }
        let train = zip(data.trainCoordinate, data.trainY.storage).map { (x: $0, y: $1) }
        return .init(truth: data.truth.map { (x: $0.x, y: $0.y) }, trainingPoints: train, curves: curves)
    }
}
