import DecayEngine

/// A LoRA training step beside the plain one it adapts: an MLP 256-256-1
/// (a 256 × 256 hidden layer) on 256 rows of 256 inputs, trained in full,
/// and the same model with a LoRA adapter (r 8, α 16, lora_dropout 0.05) on
/// its 256 × 256 layer with everything else frozen. With `--pytorch` the same
/// two steps are timed in PyTorch in the same invocation (peft's LoRA when
/// it is installed) and the engine's lead over each is reported, with the
/// check that the LoRA step is at least as far ahead as the plain one.
extension BenchmarkSuite {
    static let loraKeys = [
        "mlp_256_256_1_b256_adamw_steps_per_s", "lora_256x256_r8_b256_adamw_steps_per_s",
        "pytorch_mlp_256_256_1_b256_adamw_steps_per_s", "pytorch_lora_256x256_r8_b256_adamw_steps_per_s",
        "mlp_256_lead_over_pytorch", "lora_r8_lead_over_pytorch", "lora_lead_over_mlp_lead",
    ]

    /// The plain step: 256 inputs → 256 (ReLU) → 1, MSE, AdamW lr 1e-3 λ 0.01, full batch of 256.
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

    func loraMeasurements(reps: Int, progress: (String) -> Void) -> [Measurement] {
        guard wants("mlp_256", "lora_", "lead") else { return [] }
        progress("mlp 256-256-1 and its LoRA step")
        let perSample = quick ? 50 : 200
        let plain = steps(Self.hiddenMLPSpec(), perSample: perSample, reps: reps,
                          key: "mlp_256_256_1_b256_adamw_steps_per_s", label: "MLP 256-256-1, 256 rows, AdamW")
        let lora = steps(Self.loraSpec(), perSample: perSample, reps: reps,
                         key: "lora_256x256_r8_b256_adamw_steps_per_s", label: "the same with LoRA r 8 on 256×256")
        var results = [plain, lora]
        guard let pytorch else { return results }
        progress("the same two steps in PyTorch")
        do {
            let torchReps = max(3, reps / 3)
            let p = try pytorch.measure("mlp", reps: torchReps, steps: perSample / 2)
            let l = try pytorch.measure("lora", reps: torchReps, steps: perSample / 2)
            results += [
                Measurement(key: "pytorch_mlp_256_256_1_b256_adamw_steps_per_s", label: "PyTorch: MLP 256-256-1", unit: "steps/s",
                            higherIsBetter: true, samples: p.samples, note: p.description),
                Measurement(key: "pytorch_lora_256x256_r8_b256_adamw_steps_per_s", label: "PyTorch: with LoRA r 8", unit: "steps/s",
                            higherIsBetter: true, samples: l.samples, note: l.description),
            ]
            let mlpLead = Self.lead(plain, over: p.samples, key: "mlp_256_lead_over_pytorch", label: "MLP 256-256-1: engine / PyTorch")
            let loraLead = Self.lead(lora, over: l.samples, key: "lora_r8_lead_over_pytorch", label: "LoRA r 8: engine / PyTorch")
            results += [mlpLead, loraLead]
            results.append(Measurement(
                key: "lora_lead_over_mlp_lead", label: "LoRA lead / MLP lead", unit: "×", higherIsBetter: true,
                samples: [loraLead.median / mlpLead.median],
                note: "the LoRA step must be at least as far ahead of PyTorch as the plain step", target: 1))
        } catch {
            results.append(Measurement(key: "pytorch_mlp_256_256_1_b256_adamw_steps_per_s", label: "PyTorch: MLP 256-256-1",
                                       unit: "steps/s", higherIsBetter: true, samples: [], note: "\(error)"))
        }
        return results
    }

    /// The engine's median over PyTorch's median; the note gives the range
    /// from the slowest engine sample over the fastest PyTorch one to the reverse.
    static func lead(_ engine: Measurement, over torch: [Double], key: String, label: String) -> Measurement {
        let t = Measurement(key: "", label: "", unit: "", higherIsBetter: true, samples: torch)
        let low = engine.minimum / t.maximum, high = engine.maximum / t.minimum
        return Measurement(
            key: key, label: label, unit: "×", higherIsBetter: true, samples: [engine.median / t.median],
            note: "ratio of the medians; sample extremes give \(BenchmarkReport.format(low)) … \(BenchmarkReport.format(high))")
    }
}
