import DecayEngine

/// A LoRA training step beside the plain one it adapts: an MLP 256-256-1
/// (a 256 × 256 hidden layer) on 256 rows of 256 inputs, trained in full,
/// and the same model with a LoRA adapter (r 8, α 16, lora_dropout 0.05) on
/// its 256 × 256 layer and everything else frozen. With `--pytorch` both
/// alternate repetitions with PyTorch's (`pytorch_bench.py`: the adapter is
/// peft's when peft is installed) and the LoRA step's lead is checked
/// against the plain step's: an adapter must not cost the engine its lead.
extension BenchmarkSuite {
    static let loraKeys = [
        "mlp_256_256_1_b256_adamw_steps_per_s", "pytorch_mlp_256_256_1_b256_adamw_steps_per_s",
        "mlp_256_256_1_b256_adamw_lead_over_pytorch",
        "lora_256x256_r8_b256_adamw_steps_per_s", "pytorch_lora_256x256_r8_b256_adamw_steps_per_s",
        "lora_256x256_r8_b256_adamw_lead_over_pytorch", "lora_lead_over_mlp_256_lead", "lora_lead_over_mlp_lead",
    ]

    /// The plain step: 256 inputs → 256 (ReLU) → 1, MSE, AdamW lr 1e-3 λ 0.01,
    /// full batch of 256, validation on 256 rows every 100 steps.
    public static func hiddenMLPSpec(evaluationInterval: Int = 100) -> ExperimentSpec {
        ExperimentSpec(
            data: DataSpec(kind: .linearRegression, trainCount: 256, validationCount: 256, inputs: 256),
            model: ModelSpec(kind: .mlp, hidden: [256]),
            optimizer: OptimizerSpec(kind: .adamw, learningRate: 1e-3), weightDecay: 1e-2,
            steps: 1_000_000, seed: 3, evaluationInterval: evaluationInterval)
    }

    /// The same model with a LoRA adapter on its 256 × 256 layer.
    public static func loraSpec(evaluationInterval: Int = 100) -> ExperimentSpec {
        var spec = hiddenMLPSpec(evaluationInterval: evaluationInterval)
        spec.adapter = AdapterSpec(rank: 8, alpha: 16, targets: [.hidden])
        spec.loraDropout = 0.05
        return spec
    }

    var hiddenMLPWorkload: TrainingWorkload {
        TrainingWorkload(
            spec: Self.hiddenMLPSpec(), pytorchName: "mlp256", key: "mlp_256_256_1_b256_adamw_steps_per_s",
            label: "MLP 256-256-1, 256 rows, AdamW", stepsPerSample: quick ? 50 : 200,
            pytorchStepsPerSample: quick ? 10 : 40, earlierPyTorch: nil, target: nil, leadTarget: nil)
    }

    var loraWorkload: TrainingWorkload {
        TrainingWorkload(
            spec: Self.loraSpec(), pytorchName: "lora256", key: "lora_256x256_r8_b256_adamw_steps_per_s",
            label: "the same, LoRA r 8 on the 256×256 layer", stepsPerSample: quick ? 50 : 200,
            pytorchStepsPerSample: quick ? 10 : 40, earlierPyTorch: nil, target: nil, leadTarget: nil)
    }

    /// The two steps, and with PyTorch the LoRA step's lead over the plain
    /// 256-256-1 step's and over the 2-64-64-2 MLP's (from `earlier`, this run).
    func loraMeasurements(reps: Int, progress: (String) -> Void, earlier: [Measurement]) -> [Measurement] {
        guard wants("mlp_256", "lora_") else { return [] }
        progress("mlp 256-256-1 and its LoRA step")
        let plain = trainingSteps(hiddenMLPWorkload, reps: reps)
        let lora = trainingSteps(loraWorkload, reps: reps)
        var results = plain + lora
        let all = earlier + results
        func lead(_ key: String) -> Measurement? {
            all.first { $0.key == key.replacingOccurrences(of: "_steps_per_s", with: "_lead_over_pytorch") && $0.isAvailable }
        }
        guard let ours = lead(loraWorkload.key) else { return results }
        for (key, other, label) in [("lora_lead_over_mlp_256_lead", hiddenMLPWorkload.key, "the plain 256-256-1 step's"),
                                    ("lora_lead_over_mlp_lead", mlpWorkload.key, "the 2-64-64-2 MLP's")] {
            guard let theirs = lead(other) else { continue }
            results.append(Measurement(
                key: key, label: "  LoRA's lead / \(label)", unit: "×", higherIsBetter: true,
                samples: [ours.median / theirs.median],
                note: "ratio of the median leads over PyTorch, same run: at least 1 means the LoRA step is as far ahead",
                target: 1))
        }
        return results
    }
}
