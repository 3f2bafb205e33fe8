import DecayEngine
import Foundation

/// The values a learner can set for a step, each nil to keep the lesson's
/// own: the three live controls and the seed that fixes data, initial
/// parameters, minibatches and dropout masks.
public struct StepSettings: Sendable, Equatable {
    public var lambda: Float?
    public var learningRate: Float?
    public var dropout: Float?
    public var seed: UInt64?

    public init(lambda: Float? = nil, learningRate: Float? = nil, dropout: Float? = nil, seed: UInt64? = nil) {
        self.lambda = lambda
        self.learningRate = learningRate
        self.dropout = dropout
        self.seed = seed
    }

    /// The ranges a lesson file allows, so a command line or a key can never
    /// set what a lesson could not.
    public static let lambdaRange: ClosedRange<Float> = 0...1e4
    public static let learningRateLimit: Float = 10
    public static let dropoutLimit: Float = 1
    public static let seedLimit: UInt64 = 1 << 53
    public static let stepsRange: ClosedRange<Int> = 1...100_000

    /// Each value outside its range, said with the range (empty: all fine).
    public var rangeProblems: [String] {
        var out: [String] = []
        if let lambda, !(lambda.isFinite && Self.lambdaRange.contains(lambda)) {
            out.append("λ must be a number from 0 to 1e4 (got \(lambda))")
        }
        if let lr = learningRate, !(lr.isFinite && lr > 0 && lr <= Self.learningRateLimit) {
            out.append("lr must be a number above 0 and at most 10 (got \(lr))")
        }
        if let p = dropout, !(p.isFinite && p >= 0 && p < Self.dropoutLimit) {
            out.append("dropout p must be a number from 0 up to (not including) 1 (got \(p))")
        }
        if let seed, seed > Self.seedLimit {
            out.append("seed must be a whole number from 0 to 2^53 = 9007199254740992 (got \(seed))")
        }
        return out
    }
}

extension Step {
    /// Whether any run of this step takes its value of `control` from the
    /// learner: a run that pins the value in the lesson file ignores it, and
    /// dropout does nothing in a model without dropout layers.
    public func isFollowed(_ control: Control) -> Bool {
        let runs = spec.resolvedRuns
        switch control {
        case .lambda:
            return runs.contains { $0.weightDecay == nil && RunSettings(run: $0, experiment: spec).decay != .none }
        case .learningRate:
            return runs.contains { $0.learningRate == nil }
        case .dropout:
            return spec.model.dropoutLayers && runs.contains { $0.dropout == nil }
        }
    }

    /// The step's experiment with the learner's settings in place of the
    /// lesson's (for the runs that follow them).
    public func spec(applying s: StepSettings) -> ExperimentSpec {
        var out = spec
        if let l = s.lambda { out.weightDecay = l }
        if let lr = s.learningRate { out.optimizer.learningRate = lr }
        if let p = s.dropout { out.dropout = p }
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
    public static func trainedExperiment(step: Step, settings: StepSettings, steps: Int?) throws(Failure) -> Experiment {
        if let problem = settings.rangeProblems.first { throw Failure(.usage, problem) }
        if let steps, !StepSettings.stepsRange.contains(steps) {
            throw Failure(.usage, "steps must be a whole number from 1 to 100000 (got \(steps))")
        }
        let applied: [(Control, Bool)] = [(.lambda, settings.lambda != nil), (.learningRate, settings.learningRate != nil),
                                         (.dropout, settings.dropout != nil)]
        for (control, given) in applied where given && !step.isFollowed(control) {
            throw Failure(.usage, "no run of this step follows \(control.rawValue)")
        }
        var spec = step.spec(applying: settings)
        let count = steps ?? spec.steps
        spec.steps = count
        let e = SeededExperiment.flattened(spec: spec, historyCapacity: count + 1)
        e.advance(steps: count)
        return e
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
