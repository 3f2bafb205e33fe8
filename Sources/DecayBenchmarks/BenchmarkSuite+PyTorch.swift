import Foundation
import DecayEngine
import DecayKernels

extension BenchmarkSuite {
    /// A training benchmark and PyTorch's version of it (`pytorch_bench.py`).
    struct TrainingWorkload {
        var spec: ExperimentSpec
        /// The script's name for it.
        var pytorchName: String
        var key: String
        var label: String
        var stepsPerSample: Int
        /// PyTorch is several times slower: fewer steps keep its samples as long as ours.
        var pytorchStepsPerSample: Int
        /// PyTorch 2.13 CPU on the 2-core AMD EPYC with AVX-512 where the
        /// first figures were taken, shown when PyTorch is not run here
        /// (nil: no earlier figure).
        var earlierPyTorch: Double?
        var target: Double?
        /// How many times PyTorch's steps/s the engine should reach, if the issue sets it.
        var leadTarget: Double?
    }

    /// The MLP's steps/s target was set on the AVX-512 machine; where the
    /// vectors are half as wide the target is its lead over PyTorch (≥ 6×),
    /// which holds for every ISA, and the steps/s figure is shown without one.
    var mlpWorkload: TrainingWorkload {
        TrainingWorkload(
            spec: Self.mlpSpec(), pytorchName: "mlp", key: "mlp_2_64_64_2_b256_adamw_steps_per_s",
            label: "MLP 2-64-64-2, 256 points, AdamW", stepsPerSample: quick ? 100 : 400,
            pytorchStepsPerSample: quick ? 20 : 80, earlierPyTorch: 1430,
            target: Self.mlpStepsTarget(for: VectorISA.build), leadTarget: 6)
    }

    /// 7,500 steps/s on an AVX-512 build; none on narrower vectors, where
    /// the lead is the target.
    static func mlpStepsTarget(for isa: VectorISA) -> Double? {
        isa == .avx512 ? 7500 : nil
    }

    var linregWorkload: TrainingWorkload {
        TrainingWorkload(
            spec: Self.linregSpec(), pytorchName: "linreg", key: "linreg_200x20_sgd_l2_steps_per_s",
            label: "Linear regression 200×20, SGD + L2", stepsPerSample: quick ? 5_000 : 20_000,
            pytorchStepsPerSample: quick ? 100 : 400, earlierPyTorch: 6200, target: 200_000, leadTarget: nil)
    }

    /// Steps/s through `Experiment.advance`; with `pytorch`, each repetition
    /// is followed by one of PyTorch's, and the lead is the ratio of the two
    /// rates pair by pair (so a load that comes and goes hits both sides of
    /// a pair alike).
    func trainingSteps(_ w: TrainingWorkload, reps: Int) -> [Measurement] {
        let e = Experiment(spec: w.spec, historyCapacity: 4096)
        e.advance(steps: 2 * w.stepsPerSample)
        var ours: [Double] = [], theirs: [Double] = []
        for _ in 0..<reps {
            ours.append(Double(w.stepsPerSample) / Self.seconds { e.advance(steps: w.stepsPerSample) })
            if let pytorch, let s = pytorch.seconds(w.pytorchName, steps: w.pytorchStepsPerSample) {
                theirs.append(Double(w.pytorchStepsPerSample) / s)
            }
        }
        let diverged = e.allDiverged ? " (diverged!)" : ""
        let paired = theirs.count == ours.count && !theirs.isEmpty
        let theirMedian = Measurement(key: "", label: "", unit: "", higherIsBetter: true, samples: theirs).median
        var results = [Measurement(
            key: w.key, label: w.label, unit: "steps/s", higherIsBetter: true, samples: ours,
            note: "Experiment.advance, validation every \(w.spec.evaluationInterval) steps\(diverged)"
                + (w.target == nil && w.leadTarget != nil ? " (on \(VectorISA.build) the target is the lead)" : "")
                + "; PyTorch: "
                + (paired ? "this run (\(pytorch?.info ?? ""))"
                    : w.earlierPyTorch.map { "\(Int($0)) on the earlier AVX-512 machine, --pytorch measures it here" } ?? "--pytorch measures it here"),
            reference: paired ? theirMedian : w.earlierPyTorch, target: w.target)]
        guard paired else { return results }
        results.append(Measurement(
            key: "pytorch_" + w.key, label: "  the same in PyTorch", unit: "steps/s", higherIsBetter: true,
            samples: theirs, note: "pytorch_bench.py, alternating with the engine's repetitions"))
        results.append(Measurement(
            key: w.key.replacingOccurrences(of: "_steps_per_s", with: "_lead_over_pytorch"),
            label: "  lead over PyTorch", unit: "×", higherIsBetter: true,
            samples: zip(ours, theirs).map { $0 / $1 }, note: "per-repetition ratio of steps/s, same run",
            target: w.leadTarget))
        return results
    }

    /// PyTorch's AdamW over the same 4096 parameters (`pytorch_bench.py`'s
    /// `adamw`: the optimizer step alone), and the engine's lead over it as
    /// the ratio of the two medians (the engine's samples are taken first,
    /// in the same run). Empty without `--pytorch`.
    func pytorchAdamW(count: Int, reps: Int, ours: Measurement) -> [Measurement] {
        guard let pytorch else { return [] }
        let steps = 2_000
        _ = pytorch.seconds("adamw", steps: steps)   // warm-up beyond the script's own
        let theirs = (0..<reps).compactMap { _ in pytorch.seconds("adamw", steps: steps) }
            .map { $0 * 1e9 / Double(steps * count) }
        guard !theirs.isEmpty else { return [] }
        let m = Measurement(
            key: "pytorch_adamw_ns_per_param_4096", label: "  the same in PyTorch (torch.optim.AdamW)",
            unit: "ns/param", higherIsBetter: false, samples: theirs,
            note: "pytorch_bench.py adamw: one 4096-element tensor, default (single-tensor) implementation; \(pytorch.info)")
        return [m, Measurement(
            key: "adamw_4096_lead_over_pytorch", label: "  lead over PyTorch", unit: "×", higherIsBetter: true,
            samples: [m.median / ours.median], note: "ratio of the medians, same run")]
    }
}
