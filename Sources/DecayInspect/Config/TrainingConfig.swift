import Foundation

/// What a training config says about the schedule, in one form for both
/// formats, with each value's line for messages.
public struct TrainingConfig: Sendable {
    public enum Format: String, Sendable {
        case huggingFace = "Hugging Face TrainingArguments"
        case axolotl = "Axolotl"
    }

    /// How warm-up was asked for, before the step count is known.
    public enum Warmup: Equatable, Sendable {
        /// `warmup_steps` as written (transformers 5: ≥ 1 is a count,
        /// truncated to an integer; below 1 a fraction of the steps, rounded up).
        case trainer(Double)
        /// Axolotl's `warmup_ratio`: ⌊ratio × its estimate of the steps⌋.
        case axolotlRatio(Double)
        /// Axolotl's default: min(⌊0.03 × estimate⌋, 100).
        case axolotlDefault
    }

    public var format: Format
    public var path: String
    public var learningRate: Double = 5e-5
    public var weightDecay: Double = 0
    public var epochs: Double = 3
    public var maxSteps: Int?
    public var batchSize: Int = 8
    public var accumulation: Int = 1
    public var dropLast = false
    /// Axolotl's `batch_size`, which its step estimate divides by when set.
    public var axolotlBatch: Int?
    public var warmup: Warmup = .trainer(0)
    public var scheduler: LearningRateSchedule.Kind = .linear
    public var schedulerName = "linear"
    public var numCycles: Double?
    public var power: Double?
    public var lrEnd: Double?
    public var timescale: Int?
    public var minLR: Double?
    public var minLRRate: Double?
    public var optimizer = "adamw_torch_fused"
    public var samplePacking = false
    /// Lines of the keys, for messages that point at the config.
    public var lines: [String: Int] = [:]

    public init(format: Format, path: String) {
        self.format = format
        self.path = path
    }

    /// Reads a config, choosing the format by the file's extension (`.json`
    /// for TrainingArguments, `.yml`/`.yaml` for Axolotl).
    public static func load(path: String) throws -> TrainingConfig {
        let lower = path.lowercased()
        if lower.hasSuffix(".yml") || lower.hasSuffix(".yaml") { return try AxolotlConfigReader.read(path: path) }
        if lower.hasSuffix(".json") { return try TrainingArgumentsReader.read(path: path) }
        guard isDirectory(path) != nil else {
            throw InspectError(path: path, message: "no such file", kind: .noInput)
        }
        throw InspectError(path: path, message: "unknown config format",
                           hint: "--config takes a TrainingArguments .json file or an Axolotl .yml/.yaml file", kind: .usage)
    }

    /// How a decoupled-decay reading applies to this optimizer: nil when it
    /// does (AdamW, Lion, Adafactor, SGD's L2 shrinks the same way), else a
    /// sentence for the report.
    public var optimizerCaveat: String? {
        let o = optimizer.lowercased()
        if o.contains("adagrad") || o.contains("rmsprop") {
            return "\(optimizer) adds λ·w to the gradient (L2), which its adaptive step then rescales: the shrink below is what decoupled decay would do, an upper bound on what this optimizer's decay does to weights with large gradients."
        }
        if o.hasPrefix("schedule_free") {
            return "\(optimizer) applies decay at its interpolated point; the shrink below is approximate."
        }
        return nil
    }
}
