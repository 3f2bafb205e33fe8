import DecayEngine

extension ExperimentBuilder {
    /// The `pretrain.*` keys of an experiment block.
    static let pretrainKeys = ["pretrain.train", "pretrain.steps", "pretrain.optimizer", "pretrain.lr", "pretrain.lambda",
                               "pretrain.batch", "pretrain.label_noise"]

    /// Pretraining, when the block has any `pretrain.*` key: every run then
    /// starts from the model trained `pretrain.steps` steps on
    /// `pretrain.train` fresh examples of the same data set (its own seed),
    /// with AdamW unless `pretrain.optimizer` says otherwise, a cosine
    /// schedule, and λ 0.01 (the kind's default for SGD and Adam: 0).
    /// Its labels are clean unless `pretrain.label_noise` says otherwise
    /// (the experiment's `label_noise` is the fine-tuning set's only).
    mutating func readPretrain(_ block: Block, classification: Bool) -> PretrainSpec? {
        let entries = Self.pretrainKeys.compactMap { block.entry($0) }
        guard let first = entries.first else { return nil }
        var spec = PretrainSpec()
        let train = block.entry("pretrain.train").flatMap { r.integer($0, 1...20_000) }
        let steps = block.entry("pretrain.steps").flatMap { r.integer($0, 1...5_000) }
        for key in ["pretrain.train", "pretrain.steps"] where block.entry(key) == nil {
            r.diagnostics.error(first.line, column: first.keyColumn, "pretraining needs `\(key)`",
                                suggestion: "add `\(key) = ` (pretraining examples and steps are both required)")
        }
        let kind = block.entry("pretrain.optimizer").flatMap { r.word($0, OptimizerSpec.Kind.self) } ?? .adamw
        spec.optimizer = OptimizerSpec(kind: kind, learningRate: kind.defaultLearningRate)
        if let lr = block.entry("pretrain.lr").flatMap({ r.real($0, SettingBounds.learningRate.contains, SettingBounds.learningRateText) }) {
            spec.optimizer.learningRate = lr
        }
        spec.weightDecay = block.entry("pretrain.lambda").flatMap { r.real($0, SettingBounds.lambda.contains, SettingBounds.lambdaText) }
            ?? kind.defaultWeightDecay
        if let e = block.entry("pretrain.batch") {
            if case .word("full") = e.value {
                spec.batchSize = nil
            } else if case let .number(v, _) = e.value {
                spec.batchSize = r.integer(v, entry: e, 1...Int.max, "pretrain.batch must be ≥ 1 (or `full`)")
            } else {
                r.fail(e, "`pretrain.batch` expects a size or `full`, got \(e.value.described)")
            }
        }
        if let e = block.entry("pretrain.label_noise") {
            if !classification {
                r.diagnostics.error(e.line, column: e.keyColumn, "`pretrain.label_noise` applies to classification data only",
                                    suggestion: "`pretrain.label_noise` is for data = moons, spirals or tokens")
            } else if let v = r.real(e, { $0 >= 0 && $0 < 1 }, "pretrain.label_noise must be in [0, 1)") {
                spec.labelNoise = v
            }
        }
        guard let train, let steps else { return nil }
        spec.trainCount = train
        spec.steps = steps
        if let b = spec.batchSize, b >= train { spec.batchSize = nil }
        return spec
    }
}
