import Foundation
import DecayEngine

extension BenchmarkSuite {
    /// The pretraining a fine-tuning step does before its first frame: the
    /// budget is 2 s to train, or a cache hit. Both are measured: training
    /// with no cache folder, then reading the result back from one.
    static func pretrainingSpec() -> ExperimentSpec {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .moons, trainCount: 800, validationCount: 400),
            model: ModelSpec(kind: .mlp, hidden: [64, 64], activation: .relu),
            optimizer: OptimizerSpec(kind: .adamw, learningRate: 1e-4), weightDecay: 0.01, steps: 300)
        spec.pretrain = PretrainSpec(trainCount: 4000, steps: 300, optimizer: OptimizerSpec(kind: .adamw, learningRate: 0.003),
                                     weightDecay: 0.01, batchSize: 64)
        return spec
    }

    func pretraining(reps: Int) -> [Measurement] {
        let spec = Self.pretrainingSpec()
        var fresh = spec
        fresh.pretrain = nil
        let start = Experiment(spec: fresh).initialNetwork
        let p = spec.pretrain!
        let trained = Self.repeatTimed(warmup: 1, reps: reps) {
            _ = Pretraining.pretrain(p, experiment: spec, start: start, cacheDirectory: nil)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("decay-bench-pretrain-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = Pretraining.pretrain(p, experiment: spec, start: start, cacheDirectory: dir)
        var hits = 0
        let cached = Self.repeatTimed(warmup: 1, reps: reps) {
            if Pretraining.pretrain(p, experiment: spec, start: start, cacheDirectory: dir).1 == .loaded { hits += 1 }
        }
        let what = "MLP 2-64-64-2, moons, 4000 examples, 300 AdamW steps of 64"
        return [
            Measurement(key: "pretrain_seconds", label: "Pretraining, computed", unit: "s", higherIsBetter: false,
                        samples: trained, note: what, target: 2),
            Measurement(key: "pretrain_cached_ms", label: "Pretraining, read from the cache", unit: "ms",
                        higherIsBetter: false, samples: hits == reps + 1 ? cached.map { $0 * 1e3 } : [],
                        note: "same settings; a miss would void the figure"),
        ]
    }
}
