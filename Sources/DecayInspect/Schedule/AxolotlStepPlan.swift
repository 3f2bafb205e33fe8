import Foundation
import TerminalUI

/// Axolotl's own step arithmetic (one device), which it hands the Trainer
/// as `max_steps` (Axolotl 0.19):
///
/// - `val_set_size` is held out first (datasets' train_test_split: ⌈v·N⌉
///   for a fraction, ⌊v⌋ for a count above 1);
/// - supervised runs count ⌈N_train × epochs / batch⌉ (`calculate_total_num_steps`),
///   or with sample packing ⌊0.99·tokens / efficiency / sequence_len // batch⌋ − 1
///   per epoch, and take min(that, `max_steps`);
/// - streaming and `pretraining_dataset` runs take `max_steps`;
/// - DPO, KTO, ORPO, IPO, SimPO count ⌈N_train × epochs / batch⌉ with no min;
///   GRPO and EBFT leave the count to TRL's trainer;
/// - warm-up comes from that count (`_configure_warmup_and_logging`):
///   `warmup_steps` as written, else ⌊ratio × count⌋, else min(⌊0.03 × count⌋, 100),
///   a resulting 1 becomes 2, and with no count the ratio goes to the Trainer.
enum AxolotlStepPlan {
    static func make(_ c: TrainingConfig, examples: Int?, tokens: Int?) throws -> StepPlan {
        let a = c.axolotl
        var notes: [InspectNote] = []
        var train = examples
        var held: Int?
        if let n = examples, a.valSetSize > 0 {
            held = try heldOut(a.valSetSize, of: n, config: c)
            train = n - held!
            notes.append(InspectNote(.validationSplit, "val_set_size \(NumberFormat.compact(a.valSetSize, significantDigits: 6)) holds out \(held!) of the \(n) examples before Axolotl counts steps; \(train!) train", line: c.lines["val_set_size"]))
        }
        let batch = a.countingBatch(c)
        if let b = a.batchSize, b != c.examplesPerStep {
            notes.append(InspectNote(.batchMismatch, "Axolotl counts steps with batch_size \(b), but each step sees micro_batch_size × gradient_accumulation_steps = \(c.examplesPerStep) examples: the run covers \(NumberFormat.compact(Double(c.examplesPerStep) / Double(b), significantDigits: 3)) of the epochs asked",
                                     line: c.lines["batch_size"]))
        }
        var (total, basis, perEpoch) = try totalSteps(c, train: train, tokens: tokens ?? a.totalTokens, batch: batch, notes: &notes)
        // Axolotl passes max_steps = cfg.max_steps or total or -1.
        var steps: Int
        var trainerCounted = false
        if let m = c.maxSteps { steps = m } else if let t = total, t != 0 { steps = t } else {
            // The Trainer counts: GRPO's sampler, or epochs over the dataloader.
            guard let train else {
                throw StepPlan.undetermined(c, key: "num_epochs", estimate: "TRL's GRPO sampler over N prompts (num_generations, num_iterations, epochs)")
            }
            let batches = c.trainer == .grouped ? try GroupedSteps.batches(c, prompts: train)
                : StepPlan.batches(train, batch: c.batchSize, dropLast: c.dropLast)
            perEpoch = StepPlan.updates(batches: batches, accumulation: c.accumulation)
            steps = try StepPlan.ceilInt(c.epochs * Double(perEpoch!), config: c, key: "num_epochs")
            basis = c.trainer == .grouped ? "TRL's GRPO sampler" : "epochs"
            trainerCounted = true
            total = nil
        }
        if steps < 1 {
            throw InspectError(path: c.path, line: c.lines["max_steps"] ?? c.lines["num_epochs"], message: "the run has no optimizer steps (\(steps))")
        }
        let warmupArgument = warmupArgument(c, total: trainerCounted ? nil : total)
        let warmup = try StepPlan.trainerWarmup(warmupArgument, steps: steps, config: c)
        if perEpoch == nil, let train, !a.samplePacking, !(a.streaming || a.pretrainingDataset) {
            perEpoch = StepPlan.updates(batches: StepPlan.batches(train, batch: c.batchSize, dropLast: c.dropLast), accumulation: c.accumulation)
        }
        if c.maxSteps != nil { basis = "max_steps" }
        var plan = StepPlan(steps: steps, warmupSteps: warmup, updatesPerEpoch: perEpoch,
                            epochs: perEpoch.map { Double(steps) / Double($0) }, trainExamples: train,
                            validationExamples: held, basis: basis, notes: notes)
        if a.samplePacking, a.packingEfficiency != nil { plan.tokens = tokens ?? a.totalTokens }
        return plan
    }

    /// Axolotl's total_num_steps (nil when it leaves the count to the
    /// trainer), what it comes from, and the updates in one epoch.
    static func totalSteps(_ c: TrainingConfig, train: Int?, tokens: Int?, batch: Int,
                           notes: inout [InspectNote]) throws -> (Int?, String, Int?) {
        let a = c.axolotl
        if a.streaming || a.pretrainingDataset { return (c.maxSteps, "max_steps (streamed data has no length)", nil) }
        if a.trainerCountsSteps { return (nil, "", nil) }
        if a.samplePacking {
            return try packedSteps(c, tokens: tokens, batch: batch, notes: &notes)
        }
        guard let train else {
            if c.maxSteps != nil, warmupIndependentOfTotal(c) { return (c.maxSteps, "max_steps", nil) }
            throw StepPlan.undetermined(c, key: "num_epochs", estimate: "⌈N × \(NumberFormat.compact(c.epochs, significantDigits: 6)) / \(batch)⌉",
                                        hint: c.maxSteps != nil ? "Axolotl's warm-up depends on min(data steps, max_steps): pass --examples N, or write warmup_steps" : nil)
        }
        let estimate = try StepPlan.ceilInt(Double(train) * c.epochs / Double(batch), config: c, key: "num_epochs")
        if a.rl == nil, let m = c.maxSteps { return (min(estimate, m), "epochs", nil) }
        return (estimate, "epochs", nil)
    }

    /// Axolotl's count with sample packing, from its efficiency estimate.
    static func packedSteps(_ c: TrainingConfig, tokens: Int?, batch: Int, notes: inout [InspectNote]) throws -> (Int?, String, Int?) {
        let a = c.axolotl
        guard let efficiency = a.packingEfficiency, let tokens else {
            if let m = c.maxSteps, warmupIndependentOfTotal(c) { return (m, "max_steps", nil) }
            throw InspectError(path: c.path, line: c.lines["sample_packing"],
                               message: "with sample_packing, Axolotl counts steps by packing the data's token lengths into sequences of sequence_len (its MultipackBatchSampler), which inspect cannot see",
                               hint: "give the training tokens (--tokens N or total_num_tokens) and sample_packing_eff_est, both of which Axolotl logs while preparing the data; or set max_steps and warmup_steps",
                               kind: .usage)
        }
        let perEpochDouble = (0.99 * Double(tokens) / efficiency / Double(a.sequenceLength) / Double(batch)).rounded(.down) - 1
        guard perEpochDouble >= 1, perEpochDouble < Double(StepPlan.maximumSteps) else {
            throw InspectError(path: c.path, line: c.lines["sample_packing_eff_est"], message: "\(tokens) tokens at sequence_len \(a.sequenceLength) make \(Int(max(-1, min(perEpochDouble, 1e9)))) packed steps per epoch")
        }
        let perEpoch = Int(perEpochDouble)
        let product = Double(perEpoch) * c.epochs
        var total = Int(product.rounded(.up))
        if let m = c.maxSteps { total = min(total, m) }
        if c.maxSteps == nil {
            notes.append(InspectNote(.toolError, "Axolotl 0.19 computes this count as a float (\(perEpoch) × num_epochs = \(product)) and passes it as max_steps; transformers' Trainer then stops with a TypeError (a float is not a range bound): set max_steps", line: c.lines["sample_packing_eff_est"]))
        }
        return (total, "sample packing: ⌊0.99 × \(tokens) tokens / \(efficiency) / \(a.sequenceLength) / \(batch)⌋ − 1 per epoch", perEpoch)
    }

    /// Whether the warm-up does not need Axolotl's count (written as steps).
    static func warmupIndependentOfTotal(_ c: TrainingConfig) -> Bool {
        if case .axolotlSteps = c.warmup { return true }
        return false
    }

    /// The `warmup_steps` Axolotl hands the Trainer for a count `total`.
    static func warmupArgument(_ c: TrainingConfig, total: Int?) -> Double {
        var steps: Double = 0
        var ratio = 0.0
        let known = total.map { $0 != 0 } ?? false
        switch c.warmup {
        case .axolotlSteps(let s): steps = Double(s)
        case .axolotlRatio(let r):
            if known { steps = Double(max(Int((r * Double(total!)).rounded(.towardZero)), 0)) } else { ratio = r }
        case .axolotlDefault, .trainer:
            if known { steps = Double(min(Int((0.03 * Double(total!)).rounded(.towardZero)), 100)) } else { ratio = 0.03 }
        }
        if ratio > 0 && steps == 0 { steps = ratio }
        if steps == 1 { steps = 2 }
        return steps
    }

    /// datasets' train_test_split: a float test_size takes ⌈v·N⌉; Axolotl
    /// passes int(v) when v > 1.
    static func heldOut(_ v: Double, of n: Int, config c: TrainingConfig) throws -> Int {
        let count = v > 1 ? Int(v.rounded(.towardZero)) : Int((v * Double(n)).rounded(.up))
        let valid = v > 1 ? count < n : (v < 1 && count < n && count > 0)
        guard valid else {
            throw InspectError(path: c.path, line: c.lines["val_set_size"],
                               message: "val_set_size \(NumberFormat.compact(v, significantDigits: 6)) of \(n) examples leaves no training set; datasets' train_test_split refuses it")
        }
        return count
    }
}
