import Foundation

/// How many optimizer steps a config runs and how many of them warm up,
/// following each tool's own code path (see `TrainerStepPlan` and
/// `AxolotlStepPlan`), with the examples it counted and held out.
public struct StepPlan: Sendable, Equatable {
    public var steps: Int
    public var warmupSteps: Int
    /// Optimizer updates in one pass over the training data, when known.
    public var updatesPerEpoch: Int?
    /// The run's length in epochs, when known.
    public var epochs: Double?
    /// The examples the steps were counted from (after the validation split).
    public var trainExamples: Int?
    /// The examples `val_set_size` held out.
    public var validationExamples: Int?
    /// The training tokens a sample-packing count was made from.
    public var tokens: Int?
    /// What the step count comes from, for the report ("max_steps", …).
    public var basis: String
    /// When the tool's step count cannot be predicted: why (steps is then 0).
    public var unknownReason: String?
    public var notes: [InspectNote] = []

    /// More steps than this are refused: the product over the run is
    /// computed step by step, and a number read from a file must not make
    /// the command run for hours.
    public static let maximumSteps = 50_000_000

    /// - Parameters:
    ///   - examples: the data set's size (for Axolotl, before `val_set_size` is held out).
    ///   - tokens: the training set's tokens, for Axolotl's sample-packing count.
    public static func make(_ config: TrainingConfig, examples: Int?, tokens: Int? = nil) throws -> StepPlan {
        if let examples, examples < 1 {
            throw InspectError(path: "--examples", message: "the training set must hold at least one example", kind: .usage)
        }
        var plan: StepPlan
        switch config.format {
        case .axolotl: plan = try AxolotlStepPlan.make(config, examples: examples, tokens: tokens)
        default: plan = try TrainerStepPlan.make(config, examples: examples)
        }
        guard plan.steps <= maximumSteps else {
            throw InspectError(path: config.path, line: config.lines["max_steps"] ?? config.lines["num_train_epochs"] ?? config.lines["num_epochs"],
                               message: "the run has \(plan.steps) optimizer steps, more than the \(maximumSteps) inspect follows")
        }
        if plan.unknownReason == nil, plan.steps > 0, plan.warmupSteps >= plan.steps {
            plan.notes.append(InspectNote(.warmupCoversRun, "the warm-up (\(plan.warmupSteps) steps) is as long as the run (\(plan.steps) steps) or longer: the learning rate never reaches its peak",
                                          line: config.lines["warmup_steps"] ?? config.lines["warmup_ratio"]))
        }
        return plan
    }

    /// The Trainer's `get_warmup_steps`: ⌊w⌋ if w ≥ 1, else ⌈w × steps⌉.
    static func trainerWarmup(_ value: Double, steps: Int, config c: TrainingConfig) throws -> Int {
        if value >= 1 { return try ceilInt(value.rounded(.towardZero), config: c, key: "warmup_steps") }
        return try ceilInt(Double(steps) * value, config: c, key: "warmup_steps")
    }

    static func ceilInt(_ value: Double, config c: TrainingConfig, key: String) throws -> Int {
        let r = value.rounded(.up)
        guard r.isFinite, r >= 0, r < Double(maximumSteps) * 2 else {
            throw InspectError(path: c.path, line: c.lines[key], message: "`\(key)` gives \(value) steps, which is not a usable count")
        }
        return Int(r)
    }

    /// The Trainer's updates per epoch for a dataloader of `batches` batches.
    static func updates(batches: Int, accumulation: Int) -> Int {
        max(batches / accumulation + (batches % accumulation > 0 ? 1 : 0), 1)
    }

    /// Batches of `batch` from `examples` (the last one partial unless dropped).
    static func batches(_ examples: Int, batch: Int, dropLast: Bool) -> Int {
        dropLast ? examples / batch : examples / batch + (examples % batch > 0 ? 1 : 0)
    }

    static func undetermined(_ c: TrainingConfig, key: String, estimate: String, hint: String? = nil) -> InspectError {
        InspectError(path: c.path, line: c.lines[key],
                     message: "the number of steps depends on the training set's size: steps = \(estimate)",
                     hint: hint ?? "pass --examples N (the number of training examples), or set max_steps in the config", kind: .usage)
    }
}
