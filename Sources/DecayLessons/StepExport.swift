import DecayEngine
import Foundation

/// The values a learner can set for a step, each absent to keep the
/// lesson's own: the four live controls and the seed that fixes data,
/// initial parameters, minibatches and dropout masks.
public struct StepSettings: Sendable, Equatable {
    /// The controls given, by the engine's `Control`.
    public var values: [Control: Float]
    public var seed: UInt64?
    /// The groups decayed by the runs that follow the groups switches
    /// (nil: the step's own): the groups listed on, every other off.
    public var decayedGroups: Set<ParameterGroup>?

    public init(lambda: Float? = nil, learningRate: Float? = nil, dropout: Float? = nil, loraDropout: Float? = nil,
                seed: UInt64? = nil, decayedGroups: Set<ParameterGroup>? = nil) {
        values = [:]
        values[.lambda] = lambda
        values[.learningRate] = learningRate
        values[.dropout] = dropout
        values[.loraDropout] = loraDropout
        self.seed = seed
        self.decayedGroups = decayedGroups
    }

    /// Each value outside the range a lesson file allows (`SettingBounds`),
    /// said with the range, so a command line or a key can never set what a
    /// lesson could not (empty: all fine).
    public var rangeProblems: [String] {
        var out: [String] = []
        for control in Control.allCases {
            if let v = values[control], !SettingBounds.allows(control, Double(v)) {
                out.append("\(Self.rangeWords(control)) (got \(v))")
            }
        }
        if let seed, seed > UInt64(SettingBounds.seed.upperBound) {
            out.append("seed must be a whole number from 0 to 2^53 = \(SettingBounds.seed.upperBound) (got \(seed))")
        }
        return out
    }

    public static func rangeWords(_ control: Control) -> String {
        switch control {
        case .lambda: "λ must be a number from 0 to 1e4"
        case .learningRate: "lr must be a number above 0 and at most 10"
        case .dropout: "dropout p must be a number from 0 up to (not including) 1"
        case .loraDropout: "lora_dropout must be a number from 0 up to (not including) 1"
        }
    }
}

extension Step {
    /// Whether any run of this step takes its value of `control` from the
    /// learner: a run that pins the value in the lesson file ignores it, and
    /// dropout does nothing in a model without dropout layers.
    /// Whether any run of this step takes its group switches from the
    /// learner: the step offers them and some run leaves a group unpinned.
    public var followsGroups: Bool {
        controls.contains(.groups) && spec.resolvedRuns.contains { run in
            spec.model.parameterGroups.contains { run.groups[$0] == nil }
        }
    }

    public func isFollowed(_ control: Control) -> Bool {
        let runs = spec.resolvedRuns
        switch control {
        case .lambda:
            return runs.contains { $0.weightDecay == nil && RunSettings(run: $0, experiment: spec).decay != .none }
        case .learningRate:
            return runs.contains { $0.learningRate == nil }
        case .dropout:
            return spec.model.dropoutLayers && runs.contains { $0.dropout == nil }
        case .loraDropout:
            return runs.contains { $0.loraDropout == nil && spec.adapter(of: $0) != nil }
        }
    }

    /// The step's experiment with the learner's settings in place of the
    /// lesson's (for the runs that follow them).
    public func spec(applying s: StepSettings) -> ExperimentSpec {
        var out = spec
        for (control, value) in s.values { out[keyPath: control.specField] = value }
        if let decayed = s.decayedGroups {
            // Runs that pin a group keep it; the others follow, as the switches move them.
            for g in spec.model.parameterGroups { out.groups[g] = decayed.contains(g) }
        }
        if let seed = s.seed {
            // Another seed fine-tunes the step's pretrained model on another draw.
            out.pretrain = out.pretrain?.pinned(to: out)
            out.seed = seed
        }
        return out
    }
}

/// Writes `experiment.json` and `reproduce.py` for one step.
///
/// The experiment is rebuilt from the lesson with the learner's settings and
/// trained afresh, so the recorded history is one `reproduce.py` can redo
/// (a live session's history mixes every value the learner tried).
public enum StepExport {
    /// Why an export did not happen; `kind` tells a command its exit status.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public enum Kind: Sendable { case usage, cannotCreate, io }
        public var kind: Kind
        public var message: String
        public var description: String { message }
        public init(_ kind: Kind, _ message: String) {
            self.kind = kind
            self.message = message
        }
    }

    public static let fileNames = ["experiment.json", "reproduce.py"]

    /// Builds, trains and writes.
    ///
    /// - Parameters:
    ///   - steps: training steps (nil: the step's own).
    ///   - directory: the folder to write into; created if missing. Existing
    ///     files are kept unless `force`; a symbolic link is never written through.
    /// - Returns: the two files written, in `fileNames` order.
    @discardableResult
    public static func write(step: Step, settings: StepSettings, steps: Int? = nil,
                             to directory: URL, force: Bool = false) throws(Failure) -> [URL] {
        let experiment = try trainedExperiment(step: step, settings: settings, steps: steps)
        return try write(experiment: experiment, to: directory, force: force)
    }

    /// Writes a trained experiment's two files (see `write(step:...)`).
    @discardableResult
    public static func write(experiment: Experiment, to directory: URL, force: Bool = false) throws(Failure) -> [URL] {
        try ExportFolder(directory: directory, force: force).write(contents(of: experiment))
    }

    /// The step's experiment with `settings`, trained `steps` steps (its own
    /// count when nil), after checking every setting is in range and followed.
    ///
    /// Each run's history keeps every step while the histories fit in
    /// `ResourceEstimate.headlessHistoryBudget`. Past that, with
    /// `everyStep` (an export, whose file must hold every step's learning
    /// rate) the run is refused before training; without it (`run`) each
    /// history keeps every 2ᵏ-th step of the whole span, so memory does not
    /// grow with the step count.
    public static func trainedExperiment(step: Step, settings: StepSettings, steps: Int?,
                                         everyStep: Bool = true) throws(Failure) -> Experiment {
        if let problem = settings.rangeProblems.first { throw Failure(.usage, problem) }
        if let steps, !SettingBounds.steps.contains(steps) {
            throw Failure(.usage, "steps must be a whole number from 1 to \(SettingBounds.steps.upperBound) (got \(steps))")
        }
        for control in Control.allCases where settings.values[control] != nil && !step.isFollowed(control) {
            throw Failure(.usage, "no run of this step follows \(control.rawValue)")
        }
        var spec = step.spec(applying: settings)
        spec.steps = steps ?? spec.steps
        let capacity = ResourceEstimate.headlessHistoryCapacity(spec: spec)
        if everyStep && capacity <= spec.steps {
            let runs = spec.resolvedRuns.reduce(0) { $0 + max(1, $1.seeds ?? spec.seeds) }
            throw Failure(.usage, "recording all \(spec.steps) steps of \(runs) runs would take more than the "
                + "\(ResourceEstimate.headlessHistoryBudget >> 20) MB of history an export may keep; "
                + "at most \(capacity - 1) steps fit (pass --steps \(capacity - 1) or fewer)")
        }
        return trained(spec, historyCapacity: capacity)!
    }

    /// `spec` with every seed of a banded run a run of its own, trained its
    /// steps, each history keeping `historyCapacity` entries (every step
    /// when nil); nil when `cancellation` is raised first.
    public static func trained(_ spec: ExperimentSpec, historyCapacity: Int? = nil,
                               cancellation: Cancellation = Cancellation()) -> Experiment? {
        let e = SeededExperiment.flattened(spec: spec, historyCapacity: historyCapacity ?? spec.steps + 1)
        return e.advance(steps: spec.steps, cancellation: cancellation) ? e : nil
    }

    /// What an export of a step with several seeds holds, said plainly (nil
    /// for a step at one seed): every seed as a run of its own, or — where
    /// each seed draws its own data (a step that pretrains) — the step's seed
    /// alone, with how to export another.
    public static func seedNote(_ spec: ExperimentSpec) -> String? {
        let count = spec.maxSeedCount
        guard count > 1 else { return nil }
        if spec.pretrain != nil {
            return "this step trains its runs at \(count) seeds, each on its own draw of the data, which one file cannot hold: "
                + "the export is seed \(spec.seed) only (--seed N exports another, \(spec.seed)…\(spec.seed + UInt64(count) - 1) are the band's)"
        }
        return "this step trains its runs at \(count) seeds: the export holds each seed as a run of its own (\"NAME, seed N\")"
    }

    /// The two files' bytes for a trained experiment.
    public static func contents(of experiment: Experiment) throws(Failure) -> [(name: String, contents: Data)] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let json: Data
        do {
            json = try encoder.encode(ExperimentFile(experiment: experiment))
        } catch {
            throw Failure(.io, "cannot encode experiment.json: \(error)")
        }
        return [("experiment.json", json), ("reproduce.py", Data(ReproduceScript.source.utf8))]
    }
}
