import Foundation

/// What a training config says about the run, in one form for every
/// format, with each value's line for messages and the notes reading it
/// produced.
public struct TrainingConfig: Sendable {
    public enum Format: Sendable, Equatable {
        case huggingFace
        /// A TRL config class (by name), possibly inside an HfArgumentParser JSON.
        case trl(String)
        /// An HfArgumentParser JSON: model/data arguments beside the training ones.
        case argumentParser
        case axolotl
    }

    /// How warm-up was asked for, before the step count is known.
    public enum Warmup: Equatable, Sendable {
        /// `warmup_steps` as the Trainer reads it (transformers 5: ≥ 1 is a
        /// count, truncated; below 1 a fraction of the steps, rounded up).
        case trainer(Double)
        /// Axolotl's `warmup_ratio`.
        case axolotlRatio(Double)
        /// Axolotl's `warmup_steps`, a count.
        case axolotlSteps(Int)
        /// Axolotl's default: 3% of its step count, at most 100.
        case axolotlDefault
    }

    /// Which trainer runs the config, where it changes the arithmetic.
    public enum Trainer: Equatable, Sendable {
        /// transformers' Trainer, or a TRL trainer that counts steps as it does.
        case standard
        /// TRL's GRPO/RLOO sampler: prompts repeated num_generations times.
        case grouped
        /// A trainer whose step count inspect does not follow (PPO's own loop).
        case own(String)
    }

    public var format: Format
    /// How the report names the format ("Axolotl 0.19.0", "TRL DPOConfig (trl 1.16.0)").
    public var formatLabel: String
    public var path: String
    public var learningRate: Double = 5e-5
    public var weightDecay: Double = 0
    public var epochs: Double = 3
    public var maxSteps: Int?
    public var batchSize: Int = 8
    public var accumulation: Int = 1
    public var dropLast = false
    public var warmup: Warmup = .trainer(0)
    public var scheduler = ScheduleChoice()
    public var optimizer = "adamw_torch_fused"
    /// `optim_args` as written ("momentum=0.9,weight_decay=0.1"), for the optimizers that read it.
    public var optimizerArguments: [String: String] = [:]
    public var trainer: Trainer = .standard
    public var axolotl = AxolotlSettings()
    public var grouped = GroupedSampling()
    /// TRL's SFT `packing`: rows are packed sequences, not examples.
    public var packing = false
    public var adapter: AdapterSettings?
    /// What the config says about where training starts, if it says.
    public var runKindHint: RunKindHint?
    public var notes: [InspectNote] = []
    /// Lines of the keys, for messages that point at the config.
    public var lines: [String: Int] = [:]

    public init(format: Format, path: String) {
        self.format = format
        self.path = path
        formatLabel = "Hugging Face TrainingArguments"
    }

    /// Reads a config, choosing the format by the file's extension (`.json`
    /// for TrainingArguments, TRL configs and HfArgumentParser files,
    /// `.yml`/`.yaml` for Axolotl).
    public static func load(path: String) throws -> TrainingConfig {
        let lower = path.lowercased()
        if lower.hasSuffix(".yml") || lower.hasSuffix(".yaml") { return try AxolotlConfigReader.read(path: path) }
        if lower.hasSuffix(".json") { return try TrainingArgumentsReader.read(path: path) }
        guard isDirectory(path) != nil else {
            throw InspectError(path: path, message: "no such file", kind: .noInput)
        }
        throw InspectError(path: path, message: "unknown config format",
                           hint: "--config takes a TrainingArguments, TRL or HfArgumentParser .json file, or an Axolotl .yml/.yaml file", kind: .usage)
    }

    /// The optimizer's decay rule and its source.
    public var optimizerInfo: OptimizerInfo { OptimizerTable.info(optimizer) }

    /// The examples per optimizer step: batch × accumulation (one device).
    public var examplesPerStep: Int { batchSize * accumulation }
}

/// Where a config says training starts, and the key that says it.
public struct RunKindHint: Equatable, Sendable {
    public var kind: RunKind
    public var reason: String
}

/// TRL's GRPO-style sampling (GRPOConfig, RLOOConfig, Axolotl's `rl: grpo`):
/// each prompt is repeated `numGenerations` times and each generation
/// batch is reused for `numIterations` passes.
public struct GroupedSampling: Equatable, Sendable {
    public var numGenerations = 8
    public var numIterations = 1
    public var generationBatchSize: Int?
    public var stepsPerGeneration: Int?
}
