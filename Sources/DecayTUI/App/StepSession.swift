import TerminalUI
import DecayEngine
import DecayLessons
import Foundation

/// The training behind the open step: its experiment, trained a few steps
/// per frame on the UI thread, and its sweep, trained on worker threads.
/// The runtime owns it; `view` only reads it.
public final class StepSession {
    public let step: Step
    public private(set) var experiment: Experiment
    public private(set) var sweep: Sweep?
    /// Wall-clock rate of training steps over the last second or so.
    public private(set) var stepsPerSecond: Double = 0
    private var rateWindow: [(time: Double, step: Int)] = []
    /// Where the learner moved a control: the chart's vertical marks.
    public var markers: [(step: Int, label: String)] { markerList }
    private var markerList: [(step: Int, label: String)] = []
    private let unicode: Bool
    var proseCache: ProseView?
    var cachedMarkdown: String?

    /// Where training stops on its own: the step's planned length at first,
    /// so the picture matches the prose; moving a control extends it by
    /// another planned length, so the change has room to show.
    public private(set) var stepLimit: Int

    public init(step: Step, unicode: Bool) {
        self.step = step
        self.unicode = unicode
        self.experiment = Experiment(spec: step.spec)
        self.stepLimit = step.spec.steps
        startSweep()
    }

    deinit { sweep?.cancel() }


    /// True once every run has trained the step's steps (or diverged) and
    /// the sweep, if any, has finished.
    public var reachedPlannedSteps: Bool {
        (experiment.step >= step.spec.steps || experiment.allDiverged) && sweepComplete
    }

    public var sweepComplete: Bool { sweep.map { $0.finished.count >= $0.cellCount } ?? true }

    /// What the chart area can show: one heatmap per run of the sweep, then
    /// the step's charts.
    public var panels: [Panel] {
        let heatmaps = sweep.map { s in s.runNames.indices.map { Panel.heatmap(run: $0) } } ?? []
        return heatmaps + step.charts.map { Panel.chart($0) }
    }
}

public enum Panel: Equatable, Sendable {
    case heatmap(run: Int)
    case chart(Chart)
}

extension StepSession {

    public var canTrain: Bool {
        !experiment.allDiverged && experiment.step < stepLimit
    }

    private func startSweep() {
        guard let s = step.sweep else { return }
        let sweep = Sweep(spec: step.spec, learningRates: s.learningRates, lambdas: s.lambdas, steps: s.steps, metric: s.metric)
        self.sweep = sweep
        // The view reads finished cells from the sweep itself (under its lock)
        // every frame, so workers need not report them anywhere else.
        sweep.start { _ in }
    }

    public var sweepFinished: Int { sweep?.finished.count ?? 0 }

    /// Trains until `budget` seconds have passed (at least one step).
    public func train(budget: Double, now: () -> Double) {
        guard canTrain else { return }
        let start = now()
        repeat {
            experiment.advance()
        } while canTrain && now() - start < budget
        noteRate(now())
    }

    public func singleStep(now: Double) {
        if !canTrain && !experiment.allDiverged { stepLimit = experiment.step + 1 }
        guard canTrain else { return }
        experiment.advance()
        noteRate(now)
    }

    /// Called every frame so the rate falls to 0 when paused.
    public func noteRate(_ time: Double) {
        rateWindow.append((time, experiment.step))
        while let first = rateWindow.first, time - first.time > 1.0, rateWindow.count > 2 { rateWindow.removeFirst() }
        if let first = rateWindow.first, time - first.time > 0.05 {
            stepsPerSecond = Double(experiment.step - first.step) / (time - first.time)
        } else {
            stepsPerSecond = 0
        }
    }

    private func extend() {
        stepLimit = max(stepLimit, experiment.step + step.spec.steps)
    }

    public func set(_ control: Control, to value: Float) {
        extend()
        experiment.set(control, to: value)
        mark(ControlFormat.describe(control, value, unicode: unicode))
    }

    /// Records a chart mark. Presses at the same step (a held key) replace
    /// each other, and only the latest marks are kept: a long session of
    /// key presses stays in constant memory.
    private func mark(_ label: String) {
        if let last = markerList.last, last.step == experiment.step {
            markerList[markerList.count - 1] = (experiment.step, label)
        } else {
            markerList.append((experiment.step, label))
        }
        if markerList.count > 64 { markerList.removeFirst(markerList.count - 64) }
    }

    public func setDecay(_ group: ParameterGroup, _ on: Bool) {
        extend()
        experiment.setDecay(group, on)
        mark("\(group.rawValue) decay \(on ? "on" : "off")")
    }

    /// Starts the runs again from the initial parameters with the current
    /// control values (and the sweep from scratch).
    public func restart() {
        experiment.restart()
        stepLimit = step.spec.steps
        markerList.removeAll()
        rateWindow.removeAll()
        stepsPerSecond = 0
        if sweep != nil {
            sweep?.cancel()
            startSweep()
        }
    }

    /// The fitted curve of each run on a grid over [−1, 1] (polynomial data).
    public func fitCurves(points: Int = 121) -> [[(x: Float, y: Float)]] {
        guard step.spec.data.kind == .polynomial else { return [] }
        let degree = experiment.data.inputWidth
        var grid = Matrix(rows: points, columns: degree)
        var xs: [Float] = []
        for i in 0..<points {
            let x = -1 + 2 * Double(i) / Double(points - 1)
            xs.append(Float(x))
            for (k, f) in DataSet.polynomialFeatures(x, degree: degree).enumerated() { grid[i, k] = f }
        }
        return experiment.runs.map { run in
            run.network.forward(grid, training: false)
            let out = run.network.output
            return (0..<points).map { (xs[$0], out[$0, 0]) }
        }
    }
}


extension StepSession {
    /// The step's prose laid out for the pane; kept between frames so the
    /// Markdown is parsed once per step, not once per frame.
    func prose(markdown: String, theme: ProseTheme, glyphs: Glyphs) -> ProseView {
        if let cached = proseCache, cachedMarkdown == markdown, cached.theme == theme, cached.glyphs == glyphs { return cached }
        cachedMarkdown = markdown
        return ProseView(markdown: markdown, theme: theme, glyphs: glyphs)
    }

    func storeProse(_ view: ProseView) { proseCache = view }
}
