import DecayEngine
import DecayLessons

/// What the view reads of the open step's training, as a value: taken from
/// the `StepSession` once a frame, so drawing never touches the engine
/// (and a test can draw any state it builds by hand).
public struct TrainingSnapshot: Sendable {
    public struct RunState: Sendable {
        public var name: String
        public var status: RunStatus
        public var entries: History
        /// The learning-rate schedule has reached its end (factor 0 or its
        /// floor from this step on): moving lr barely changes anything.
        public var scheduleEndedAt: Int?
        /// How many seeds the run trains at; with more than one, `entries`
        /// is the median over them and `low`/`high` their min and max.
        public var seedCount = 1
        public var low = History()
        public var high = History()

        public init(name: String, status: RunStatus, entries: History, scheduleEndedAt: Int?) {
            self.name = name
            self.status = status
            self.entries = entries
            self.scheduleEndedAt = scheduleEndedAt
        }

        /// The run at several seeds: the median as its history, the spread beside it.
        mutating func band(_ seeds: [TrainingRun]) {
            let histories = seeds.map(\.history)
            seedCount = seeds.count
            entries = SeedStatistics.median(histories)
            low = SeedStatistics.minimum(histories)
            high = SeedStatistics.maximum(histories)
            if let diverged = seeds.first(where: { $0.status.isDiverged }) { status = diverged.status }
        }

        public var isBanded: Bool { seedCount > 1 }
    }

    public struct Marker: Sendable, Equatable {
        public var step: Int
        public var label: String
    }

    public struct SweepState: Sendable {
        public var runNames: [String]
        public var learningRates: [Float]
        public var lambdas: [Float]
        public var steps: Int
        public var metric: Metric
        public var cells: [Sweep.Cell]
        public var cellCount: Int
        public var complete: Bool { cells.count >= cellCount }
    }

    public struct FitState: Sendable {
        public var truth: [(x: Float, y: Float)]
        public var trainingPoints: [(x: Float, y: Float)]
        public var curves: [[(x: Float, y: Float)]]
    }

    public var runs: [RunState]
    public var step: Int
    public var stepLimit: Int
    public var plannedSteps: Int
    public var groups: [ParameterGroup]
    public var readings: ControlReadings
    public var markers: [Marker]
    public var stepsPerSecond: Double
    public var pacer: Pacer
    public var canTrain: Bool
    public var sweep: SweepState?
    public var fit: FitState?
    /// The goal's replay, while it runs or once it is done.
    public var replay: ReplayState?
    /// The settings at which a replay met the goal this session, latest last.
    public var metVerdicts: [ReplayState] = []

    /// The verdict on the settings the runs train with now, if one is known.
    public var currentVerdict: ReplayState? {
        guard let r = replay, r.readings == readings else { return nil }
        return r
    }

    /// Whether the goal is confirmed at the settings now: the ✓.
    public var goalHoldsNow: Bool { currentVerdict.map { !$0.running && $0.met } ?? false }

    public struct ReplayState: Sendable, Equatable {
        public var readings: ControlReadings
        public var running: Bool
        public var met: Bool
        public var value: Float?
        public var steps: Int
    }

    public var allDiverged: Bool { runs.allSatisfy(\.status.isDiverged) }
    public var diverged: [RunState] { runs.filter(\.status.isDiverged) }
    public var sweepComplete: Bool { sweep?.complete ?? true }

    /// What the chart area can show: one heatmap per run of the sweep (or
    /// one curve over λ when the sweep has a single learning rate), then
    /// the step's charts.
    public func panels(charts: [Chart]) -> [Panel] {
        var out: [Panel] = []
        if let sweep {
            out += sweep.learningRates.count == 1 ? [.sweepCurve] : sweep.runNames.indices.map { Panel.heatmap(run: $0) }
        }
        return out + charts.map { Panel.chart($0) }
    }
}

public enum Panel: Equatable, Sendable {
    case heatmap(run: Int)
    case sweepCurve
    case chart(Chart)
    case numbers
}
