/// The step count of transformers' Trainer and the TRL trainers that count
/// as it does (transformers 5, `Trainer.set_initial_training_values` and
/// `TrainingArguments.get_warmup_steps`):
///
/// - batches per epoch = ⌈N / batch⌉ (⌊N / batch⌋ with `dataloader_drop_last`),
/// - updates per epoch = max(⌈batches / accumulation⌉, 1),
/// - steps = `max_steps` if positive, else ⌈epochs × updates per epoch⌉,
/// - warm-up = ⌊warmup_steps⌋ if ≥ 1, else ⌈warmup_steps × steps⌉.
///
/// GRPO and RLOO draw their batches from TRL's RepeatSampler (`GroupedSteps`).
enum TrainerStepPlan {
    static func make(_ c: TrainingConfig, examples: Int?) throws -> StepPlan {
        if case .own(let reason) = c.trainer {
            return StepPlan(steps: 0, warmupSteps: 0, basis: "", unknownReason: reason)
        }
        var updates: Int?
        var notes: [InspectNote] = []
        if let examples {
            let batches: Int
            switch c.trainer {
            case .grouped:
                batches = try GroupedSteps.batches(c, prompts: examples)
            default:
                if c.dropLast && examples < c.batchSize {
                    throw InspectError(path: c.path, line: c.lines["dataloader_drop_last"],
                                       message: "with dataloader_drop_last, \(examples) examples make no full batch of \(c.batchSize)")
                }
                batches = StepPlan.batches(examples, batch: c.batchSize, dropLast: c.dropLast)
            }
            updates = StepPlan.updates(batches: batches, accumulation: c.accumulation)
            if c.packing {
                notes.append(InspectNote(.notPredictable, "with packing, TRL packs the tokenized examples into rows of max_length before the Trainer counts batches: --examples is read as the number of packed rows (TRL logs the packed dataset's length)", line: c.lines["packing"]))
            }
        }
        let steps: Int
        let basis: String
        if let maxSteps = c.maxSteps {
            steps = maxSteps
            basis = "max_steps"
        } else if let updates {
            steps = try StepPlan.ceilInt(c.epochs * Double(updates), config: c, key: "num_train_epochs")
            basis = "epochs"
        } else {
            let estimate = c.trainer == .grouped
                ? "⌈epochs × ⌈⌈(N × num_generations × num_iterations) / per_device_train_batch_size⌉ / accumulation⌉⌉"
                : "⌈epochs × ⌈⌈N / \(c.batchSize)⌉ / \(c.accumulation)⌉⌉"
            throw StepPlan.undetermined(c, key: "num_train_epochs", estimate: estimate,
                                        hint: c.packing ? "pass --examples N as the number of packed rows, or set max_steps" : nil)
        }
        guard case .trainer(let w) = c.warmup else { preconditionFailure("a Trainer config's warm-up is a trainer value") }
        let warmup = try StepPlan.trainerWarmup(w, steps: steps, config: c)
        let epochs = c.maxSteps == nil ? c.epochs : updates.map { Double(steps) / Double($0) }
        return StepPlan(steps: steps, warmupSteps: warmup, updatesPerEpoch: updates, epochs: epochs,
                        trainExamples: examples, basis: basis, notes: notes)
    }
}

/// TRL's GRPO/RLOO dataloader on one process: `GRPOConfig.__post_init__`
/// fixes steps_per_generation S and the generation batch; `RepeatSampler`
/// yields ⌊N / B⌋·B prompts (B = generation batch ÷ num_generations), each
/// num_generations times, each block num_iterations × S times; the
/// dataloader's batches hold per_device_train_batch_size × S of them.
enum GroupedSteps {
    static func batches(_ c: TrainingConfig, prompts: Int) throws -> Int {
        let g = c.grouped
        let pdbs = c.batchSize
        let spg: Int, gbs: Int
        switch (g.generationBatchSize, g.stepsPerGeneration) {
        case (nil, nil): spg = c.accumulation; gbs = pdbs * spg
        case (let b?, nil):
            guard b % pdbs == 0 else { throw error(c, "generation_batch_size (\(b)) must be divisible by the global batch size (\(pdbs))") }
            gbs = b; spg = b / pdbs
        case (nil, let s?): spg = s; gbs = pdbs * s
        case (let b?, let s?):
            // GRPOConfig fills both after reading one, so its own dump holds
            // both; they must agree (GRPOConfig(**file) refuses both).
            guard b == pdbs * s else {
                throw error(c, "'generation_batch_size' (\(b)) and 'steps_per_generation' (\(s)) are both set and disagree (per_device_train_batch_size × steps_per_generation = \(pdbs * s))")
            }
            gbs = b; spg = s
        }
        guard gbs % g.numGenerations == 0 else {
            throw error(c, "generation_batch_size (\(gbs)) must be divisible by num_generations (\(g.numGenerations))")
        }
        guard g.numGenerations >= 2 else { throw error(c, "GRPO requires at least 2 generations per prompt (num_generations is \(g.numGenerations))") }
        let block = gbs / g.numGenerations
        let sampled = (prompts / block) * block * g.numGenerations * g.numIterations * spg
        guard sampled > 0 else {
            throw InspectError(path: c.path, message: "\(prompts) prompts make no generation batch of \(block) prompts (× \(g.numGenerations) generations): the sampler yields nothing", kind: .usage)
        }
        return StepPlan.batches(sampled, batch: pdbs * spg, dropLast: c.dropLast)
    }

    static func error(_ c: TrainingConfig, _ message: String) -> InspectError {
        InspectError(path: c.path, line: c.lines["generation_batch_size"] ?? c.lines["num_generations"] ?? c.lines["trl"],
                     message: message + " (TRL's GRPOConfig refuses it)")
    }
}
