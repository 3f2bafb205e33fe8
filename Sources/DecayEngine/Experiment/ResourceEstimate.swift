/// What an experiment will cost before it is built: the memory its runs,
/// data and activations take, and the arithmetic of one training step.
///
/// Each key of a lesson file has a bound, but their product has none (20,000
/// rows × 4,096 inputs × eight 1,024-wide layers × 16 runs is tens of GB), so
/// lessons are checked against this estimate and refused over a budget
/// instead of being allowed to take the machine's memory, or to make a
/// single step outlast many frames of the tutor.
///
/// The memory side counts every buffer that grows with a lesson's keys —
/// parameters, gradients and optimizer state of every run at every seed,
/// the data, the layers' buffers for the largest pass, the histories, and
/// pretraining with its own data and run (`ExperimentFootprint`) — and the
/// copies the tutor trains beside the live runs: a goal's replay and a
/// sweep's cells. It is an upper bound on the peak memory measured above a
/// fixed base (the program, its libraries and lessons), which
/// `ResourceEstimateBoundTests` checks on generated lessons.
public struct ResourceEstimate: Sendable, Equatable {
    /// Trainable numbers in one run's network.
    public var parameters: Int
    /// Runs trained at once: every run at every seed it trains at.
    public var runs: Int
    /// Bytes of parameters, gradients, optimizer state and the copies runs keep.
    public var modelBytes: Int
    /// Bytes of the data sets (one per seed where each draws its own) and a gathered batch.
    public var dataBytes: Int
    /// Bytes of the layers' outputs and their gradients for the largest
    /// pass (a batch, the validation set or the whole training set), for every run.
    public var activationBytes: Int
    /// Bytes of the runs' histories at full capacity.
    public var historyBytes: Int
    /// Bytes pretraining holds while it runs (0 without pretraining).
    public var pretrainingBytes: Int
    /// Bytes of what the tutor trains beside the live runs: a threshold
    /// goal's replay (the step again) and the sweep's cells in flight.
    public var companionBytes: Int
    /// Floating-point operations of one training step of every run, with
    /// validation measured (the steps that do it are the dearest).
    public var operationsPerStep: Double

    public var totalBytes: Int {
        let sum = [modelBytes, dataBytes, activationBytes, historyBytes, pretrainingBytes, companionBytes]
            .reduce(0.0) { $0 + Double($1) }
        return sum >= Double(Int.max / 2) ? Int.max / 4 : Int(sum)
    }

    /// The most an experiment may take: a lesson is a small demonstration.
    public static let memoryBudget = 512 << 20
    /// The most one step may cost: the tutor trains between frames, so a
    /// step must fit in a few frames on a slow machine (about 2·10⁹
    /// operations is a quarter of a second at 8 GFLOP/s; the shipped lessons
    /// need a few million).
    public static let operationsBudget = 2e9
    /// The most sweep cells the tutor trains at once (on as many cores).
    public static let sweepWorkers = 4
    /// The history a live run keeps (the tutor's runs and the estimate's default).
    public static let historyCapacity = 4096

    /// The bytes of history `run` and `export` may keep, over all runs, to
    /// record more than `historyCapacity` entries per run (every step of a
    /// long run); past it a history thins itself, so memory stays the same
    /// however many steps are asked for.
    public static let headlessHistoryBudget = 64 << 20

    /// The entries each run of a headless run of `spec` keeps: every step
    /// (`steps + 1`, as the tutor's export has always kept) while all the
    /// histories fit in `headlessHistoryBudget`, else as many as fit, never
    /// fewer than the `historyCapacity` the lesson's estimate already counts.
    public static func headlessHistoryCapacity(spec: ExperimentSpec) -> Int {
        let instances = spec.resolvedRuns.reduce(0) { $0 + max(1, $1.seeds ?? spec.seeds) }
        let fitting = Double(headlessHistoryBudget) / (Double(max(instances, 1)) * ExperimentFootprint.historyEntry)
        let wanted = max(spec.steps, 0) + 1
        return min(wanted, max(historyCapacity, Int(min(fitting, Double(Int.max / 2)))))
    }

    /// - Parameters:
    ///   - spec: the experiment, at all its seeds.
    ///   - historyCapacity: entries each run's history keeps.
    ///   - goalReplay: the tutor replays the step to check a threshold goal.
    ///   - sweep: the step's sweep, as cells and steps per cell.
    public init(spec: ExperimentSpec, historyCapacity: Int = ResourceEstimate.historyCapacity,
                goalReplay: Bool = false, sweep: (cells: Int, steps: Int)? = nil) {
        let footprint = ExperimentFootprint(spec: spec, historyCapacity: historyCapacity)
        var companions = goalReplay ? footprint.total - footprint.pretraining : 0
        if let sweep, sweep.cells > 0 {
            var cell = spec
            cell.runs = [spec.resolvedRuns[0]]
            cell.runs[0].seeds = 1
            cell.seeds = 1
            cell.steps = sweep.steps
            let one = ExperimentFootprint(spec: cell, historyCapacity: sweep.steps + 1)
            companions += Double(min(sweep.cells, Self.sweepWorkers)) * (one.total - one.pretraining)
        }
        func bytes(_ count: Double) -> Int { count >= Double(Int.max / 8) ? Int.max / 8 : Int(count) }
        let shape = ExperimentFootprint.Shape(spec: spec)
        let instances = spec.resolvedRuns.reduce(0) { $0 + max(1, $1.seeds ?? spec.seeds) }
        self.parameters = shape.parameters >= Double(Int.max / 2) ? Int.max / 4 : Int(shape.parameters)
        self.runs = max(instances, 1)
        modelBytes = bytes(footprint.model)
        dataBytes = bytes(footprint.data)
        activationBytes = bytes(footprint.activations)
        historyBytes = bytes(footprint.history)
        pretrainingBytes = bytes(footprint.pretraining)
        companionBytes = bytes(companions)
        operationsPerStep = Self.operations(spec, shape) * Double(self.runs)
    }

    /// Operations of one step of one run at an evaluation point: forward
    /// and backward on a batch, forward passes over the validation set and
    /// the whole training set, the update.
    static func operations(_ spec: ExperimentSpec, _ shape: ExperimentFootprint.Shape) -> Double {
        let train = Double(max(spec.data.trainCount, 0))
        let batch = min(Double(spec.batchSize ?? Int.max), train)
        let val = Double(max(spec.data.validationCount, 0)) + train   // every row evaluated
        var operations = 0.0
        var width = shape.inputWidth
        for layer in shape.layers {
            switch layer {
            case let .linear(i, o, _):
                operations += 6 * batch * Double(i) * Double(o) + 2 * val * Double(i) * Double(o)
                width = Double(o)
            case let .lora(i, o, _, r, _, _, _):
                // W₀ and the factors: the base is counted as if it trained.
                let adapter = Double(r) * Double(i + o)
                operations += 6 * batch * (Double(i) * Double(o) + adapter) + 2 * val * (Double(i) * Double(o) + adapter)
                width = Double(o)
            case let .layerNorm(dimension, _):
                operations += 20 * (batch + val) * Double(dimension)
                width = Double(dimension)
            case let .embedding(_, dimension):
                operations += 4 * (batch + val) * shape.inputWidth * Double(dimension)
                width = Double(dimension)
            case .relu, .tanh, .gelu, .dropout:
                operations += 10 * (batch + val) * width
            }
        }
        return operations + 12 * shape.parameters   // the update itself
    }

    /// Why the experiment is refused, or nil when it is within budget.
    public var problem: String? {
        let memory = Double(totalBytes)
        if memory > Double(Self.memoryBudget) {
            var parts = ["\(Self.megabytes(Double(modelBytes))) for parameters, gradients and optimizer state",
                         "\(Self.megabytes(Double(dataBytes))) of data", "\(Self.megabytes(Double(activationBytes))) of activations"]
            if historyBytes > 0 { parts.append("\(Self.megabytes(Double(historyBytes))) of history") }
            if pretrainingBytes > 0 { parts.append("\(Self.megabytes(Double(pretrainingBytes))) while pretraining") }
            if companionBytes > 0 { parts.append("\(Self.megabytes(Double(companionBytes))) for the goal's replay and the sweep") }
            return "this experiment would need about \(Self.megabytes(memory)) of memory "
                + "(\(runs) run\(runs == 1 ? "" : "s") of \(parameters) parameters: \(parts.joined(separator: "; "))), "
                + "over the \(Self.megabytes(Double(Self.memoryBudget))) a lesson may use"
        }
        if operationsPerStep > Self.operationsBudget {
            return "one step of this experiment costs about \(Self.scientific(operationsPerStep)) operations "
                + "(\(runs) run\(runs == 1 ? "" : "s") of \(parameters) parameters), more than the "
                + "\(Self.scientific(Self.operationsBudget)) that fit between the tutor's frames"
        }
        return nil
    }

    /// What to change, for a message after `problem`.
    public static let advice = "use fewer or narrower hidden layers, fewer inputs or rows, a smaller batch, fewer runs or seeds, or a smaller pretraining set"

    static func megabytes(_ bytes: Double) -> String {
        bytes >= Double(1 << 30) ? "\(rounded(bytes / Double(1 << 30))) GB" : "\(rounded(bytes / Double(1 << 20))) MB"
    }

    static func rounded(_ v: Double) -> String {
        v >= 100 ? "\(Int(v.rounded()))" : "\(Double(Int((v * 10).rounded())) / 10)"
    }

    static func scientific(_ v: Double) -> String {
        guard v.isFinite, v >= 1 else { return "\(v)" }
        var exponent = 0
        var m = v
        while m >= 10 { m /= 10; exponent += 1 }
        return "\(rounded(m))·10^\(exponent)"
    }
}
