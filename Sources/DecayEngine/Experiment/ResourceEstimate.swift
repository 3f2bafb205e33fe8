/// What an experiment will cost before it is built: the memory its runs,
/// data and activations take, and the arithmetic of one training step.
///
/// Each key of a lesson file has a bound, but their product has none (20,000
/// rows × 4,096 inputs × eight 1,024-wide layers × 16 runs is tens of GB), so
/// lessons are checked against this estimate and refused over a budget
/// instead of being allowed to take the machine's memory, or to make a
/// single step outlast many frames of the tutor.
///
/// The estimate counts 32-bit floats from the shapes alone (nothing is
/// allocated): it is an upper bound on the large buffers, within a small
/// factor, not a measurement.
public struct ResourceEstimate: Sendable, Equatable {
    /// Trainable numbers in one run's network.
    public var parameters: Int
    public var runs: Int
    /// Bytes of parameters (each run's and the shared initial copy), gradients and optimizer state.
    public var modelBytes: Int
    /// Bytes of the data set (both splits, inputs and targets) and a gathered batch.
    public var dataBytes: Int
    /// Bytes of the layers' outputs and their gradients for a training batch,
    /// and of one validation pass, for every run.
    public var activationBytes: Int
    /// Floating-point operations of one training step of every run, with
    /// validation measured (the steps that do it are the dearest).
    public var operationsPerStep: Double

    public var totalBytes: Int { modelBytes + dataBytes + activationBytes }

    /// The most an experiment may take: a lesson is a small demonstration.
    public static let memoryBudget = 512 << 20
    /// The most one step may cost: the tutor trains between frames, so a
    /// step must fit in a few frames on a slow machine (about 2·10⁹
    /// operations is a quarter of a second at 8 GFLOP/s; the shipped lessons
    /// need a few million).
    public static let operationsBudget = 2e9

    public init(spec: ExperimentSpec) {
        let d = spec.data
        let inputWidth = switch d.kind {
        case .linearRegression: d.inputs
        case .polynomial: d.degree
        case .moons, .spirals: 2
        case .tokens: d.sequenceLength
        }
        let outputWidth = d.isClassification ? d.classes : 1
        let layers = spec.model.layers(inputWidth: inputWidth, outputWidth: outputWidth,
                                       vocabulary: d.vocabulary, dropout: spec.dropout)
        let runs = max(spec.resolvedRuns.count, 1)
        let train = Double(max(d.trainCount, 0)), val = Double(max(d.validationCount, 0))
        let batch = min(Double(spec.batchSize ?? Int.max), train)
        var parameters = 0.0, widths = 0.0, operations = 0.0
        var width = Double(inputWidth)
        for layer in layers {
            switch layer {
            case let .linear(i, o, bias):
                parameters += Double(i) * Double(o) + (bias ? Double(o) : 0)
                operations += 6 * batch * Double(i) * Double(o) + 2 * val * Double(i) * Double(o)
                width = Double(o)
            case let .lora(i, o, bias, r, _, _, _):
                // W₀ and b plus the factors: the base is counted as if it trained.
                let adapter = Double(r) * Double(i + o)
                parameters += Double(i) * Double(o) + (bias ? Double(o) : 0) + adapter
                operations += 6 * batch * (Double(i) * Double(o) + adapter) + 2 * val * (Double(i) * Double(o) + adapter)
                width = Double(o)
            case let .layerNorm(dimension, _):
                parameters += 2 * Double(dimension)
                operations += 20 * (batch + val) * Double(dimension)
                width = Double(dimension)
            case let .embedding(count, dimension):
                parameters += Double(count) * Double(dimension)
                operations += 4 * (batch + val) * Double(inputWidth) * Double(dimension)
                width = Double(dimension)
            case .relu, .tanh, .gelu, .dropout:
                operations += 10 * (batch + val) * width
            }
            widths += width
        }
        // State buffers per parameter as each run's update rule declares them.
        let optimizerState: Double = spec.resolvedRuns.map { run -> Double in
            let optimizer = RunSettings(run: run, experiment: spec).optimizer
            return Double(optimizer.kind.makeRule(optimizer).stateBuffersPerParameter)
        }.max() ?? 2
        operations += 12 * parameters   // the update itself
        let floats = (model: parameters * (Double(runs) * (2 + optimizerState) + 1),
                      data: (train + val) * Double(inputWidth + 1) + batch * Double(inputWidth + 1),
                      activations: Double(runs) * (3 * batch * widths + 2 * val * widths))
        func bytes(_ count: Double) -> Int { count * 4 >= Double(Int.max / 2) ? Int.max / 4 : Int(count * 4) }
        self.parameters = parameters >= Double(Int.max / 2) ? Int.max / 4 : Int(parameters)
        self.runs = runs
        modelBytes = bytes(floats.model)
        dataBytes = bytes(floats.data)
        activationBytes = bytes(floats.activations)
        operationsPerStep = operations * Double(runs)
    }

    /// Why the experiment is refused, or nil when it is within budget.
    public var problem: String? {
        let memory = Double(modelBytes) + Double(dataBytes) + Double(activationBytes)
        if memory > Double(Self.memoryBudget) {
            return "this experiment would need about \(Self.megabytes(memory)) of memory "
                + "(\(runs) run\(runs == 1 ? "" : "s") of \(parameters) parameters: \(Self.megabytes(Double(modelBytes))) for "
                + "parameters, gradients and optimizer state; \(Self.megabytes(Double(dataBytes))) of data; "
                + "\(Self.megabytes(Double(activationBytes))) of activations), over the \(Self.megabytes(Double(Self.memoryBudget))) a lesson may use"
        }
        if operationsPerStep > Self.operationsBudget {
            return "one step of this experiment costs about \(Self.scientific(operationsPerStep)) operations "
                + "(\(runs) run\(runs == 1 ? "" : "s") of \(parameters) parameters), more than the "
                + "\(Self.scientific(Self.operationsBudget)) that fit between the tutor's frames"
        }
        return nil
    }

    /// What to change, for a message after `problem`.
    public static let advice = "use fewer or narrower hidden layers, fewer inputs or rows, a smaller batch, or fewer runs"

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
