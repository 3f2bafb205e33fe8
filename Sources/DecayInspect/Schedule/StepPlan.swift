import Foundation

/// How many optimizer steps a config runs and how many of them warm up,
/// following the Trainer's arithmetic (transformers 5.24,
/// `Trainer.set_initial_training_values` and `TrainingArguments.get_warmup_steps`):
///
/// - batches per epoch = ⌈N / batch⌉ (⌊N / batch⌋ with `dataloader_drop_last`),
/// - updates per epoch = max(⌈batches / accumulation⌉, 1),
/// - steps = `max_steps` if positive, else ⌈epochs × updates per epoch⌉,
/// - warm-up = ⌊warmup_steps⌋ if ≥ 1, else ⌈warmup_steps × steps⌉.
///
/// Axolotl passes the Trainer `max_steps` = its own estimate
/// ⌈N × epochs / (micro batch × accumulation)⌉ unless `max_steps` is set,
/// and turns `warmup_ratio` (or its default, 3% capped at 100) into a count
/// from that estimate (Axolotl 0.19, `calculate_total_num_steps` and
/// `_configure_warmup_and_logging`).
public struct StepPlan: Sendable, Equatable {
    public var steps: Int
    public var warmupSteps: Int
    /// Optimizer updates in one pass over the data, when the data's size is known.
    public var updatesPerEpoch: Int?
    /// The run's length in epochs, when known.
    public var epochs: Double?

    /// More steps than this are refused: the product over the run is
    /// computed step by step, and a number read from a file must not make
    /// the command run for hours.
    public static let maximumSteps = 50_000_000

    public static func make(_ config: TrainingConfig, examples: Int?) throws -> StepPlan {
        if let examples, examples < 1 {
            throw InspectError(path: "--examples", message: "the training set must hold at least one example", kind: .usage)
        }
        let plan: StepPlan
        switch config.format {
        case .huggingFace: plan = try trainerPlan(config, examples: examples)
        case .axolotl: plan = try axolotlPlan(config, examples: examples)
        }
        guard plan.steps <= maximumSteps else {
            throw InspectError(path: config.path, line: config.lines["max_steps"] ?? config.lines["num_train_epochs"] ?? config.lines["num_epochs"],
                               message: "the run has \(plan.steps) optimizer steps, more than the \(maximumSteps) inspect follows")
        }
        return plan
    }

    static func updatesPerEpoch(examples: Int, batch: Int, accumulation: Int, dropLast: Bool) -> Int {
        let batches = dropLast ? examples / batch : examples / batch + (examples % batch > 0 ? 1 : 0)
        return max(batches / accumulation + (batches % accumulation > 0 ? 1 : 0), 1)
    }

    static func trainerPlan(_ c: TrainingConfig, examples: Int?) throws -> StepPlan {
        var updates: Int?
        if let examples {
            if c.dropLast && examples < c.batchSize {
                throw InspectError(path: c.path, line: c.lines["dataloader_drop_last"],
                                   message: "with dataloader_drop_last, \(examples) examples make no full batch of \(c.batchSize)")
            }
            updates = updatesPerEpoch(examples: examples, batch: c.batchSize, accumulation: c.accumulation, dropLast: c.dropLast)
        }
        let steps: Int
        if let maxSteps = c.maxSteps {
            steps = maxSteps
        } else if let updates {
            steps = try ceilInt(c.epochs * Double(updates), config: c, key: "num_train_epochs")
        } else {
            throw undetermined(c, key: "num_train_epochs", estimate: "⌈epochs × ⌈⌈N / \(c.batchSize)⌉ / \(c.accumulation)⌉⌉")
        }
        let warmup = try trainerWarmup(c.warmup, steps: steps, config: c)
        let epochs = c.maxSteps == nil ? c.epochs : updates.map { Double(steps) / Double($0) }
        return StepPlan(steps: steps, warmupSteps: warmup, updatesPerEpoch: updates, epochs: epochs)
    }

    static func trainerWarmup(_ warmup: TrainingConfig.Warmup, steps: Int, config c: TrainingConfig) throws -> Int {
        guard case .trainer(let value) = warmup else { return 0 }
        if value >= 1 { return try ceilInt(value.rounded(.towardZero), config: c, key: "warmup_steps") }
        return try ceilInt(Double(steps) * value, config: c, key: "warmup_steps")
    }

    static func axolotlPlan(_ c: TrainingConfig, examples: Int?) throws -> StepPlan {
        let batch = c.axolotlBatch ?? c.batchSize * c.accumulation
        var estimate: Int?
        if let examples {
            estimate = try ceilInt(Double(examples) * c.epochs / Double(batch), config: c, key: "num_epochs")
        }
        guard let steps = c.maxSteps ?? estimate, steps > 0 else {
            if estimate == 0 {
                throw InspectError(path: c.path, line: c.lines["num_epochs"], message: "the run has no optimizer steps (num_epochs × N is below one batch)")
            }
            throw undetermined(c, key: "num_epochs", estimate: "⌈N × epochs / (\(c.batchSize) × \(c.accumulation))⌉")
        }
        var warmupValue: Double
        switch c.warmup {
        case .trainer(let v): warmupValue = v
        case .axolotlRatio(let ratio):
            if let estimate { warmupValue = Double(max(Int(ratio * Double(estimate)), 0)) } else { warmupValue = ratio }
        case .axolotlDefault:
            guard let estimate else {
                throw InspectError(path: c.path, message: "Axolotl's default warm-up (3% of its estimate of the steps, at most 100) depends on the data set's size",
                                   hint: "pass --examples N, or set warmup_steps in the config", kind: .usage)
            }
            warmupValue = Double(min(Int(0.03 * Double(estimate)), 100))
        }
        if warmupValue == 1 { warmupValue = 2 }
        let warmup = try trainerWarmup(.trainer(warmupValue), steps: steps, config: c)
        var updates: Int?
        if let examples { updates = updatesPerEpoch(examples: examples, batch: c.batchSize, accumulation: c.accumulation, dropLast: false) }
        return StepPlan(steps: steps, warmupSteps: warmup, updatesPerEpoch: updates,
                        epochs: updates.map { Double(steps) / Double($0) })
    }

    static func ceilInt(_ value: Double, config c: TrainingConfig, key: String) throws -> Int {
        let r = value.rounded(.up)
        guard r.isFinite, r >= 0, r < Double(maximumSteps) * 2 else {
            throw InspectError(path: c.path, line: c.lines[key], message: "`\(key)` gives \(value) steps, which is not a usable count")
        }
        return Int(r)
    }

    static func undetermined(_ c: TrainingConfig, key: String, estimate: String) -> InspectError {
        InspectError(path: c.path, line: c.lines[key],
                     message: "the number of steps depends on the training set's size: steps = \(estimate)",
                     hint: c.samplePacking
                        ? "with sample_packing, pass --examples N as the number of packed sequences (training tokens ÷ sequence_len), or set max_steps"
                        : "pass --examples N (the number of training examples), or set max_steps in the config", kind: .usage)
    }
}
