import Foundation
import Testing
@testable import DecayInspect

/// The verdict fits the run: the τ guideline from scratch; on a pretrained
/// model the pull toward zero and what lesson 9 shows works instead; with
/// adapters the pull toward the base model and its size.
@Suite struct VerdictTests {
    /// A linear run of `epochs` over `examples` at batch `batch`.
    static func summary(lr: Double, lambda: Double, epochs: Double, examples: Int, batch: Int,
                        optimizer: String = "adamw_torch") throws -> ScheduleSummary {
        var c = TrainingConfig(format: .huggingFace, path: "a.json")
        c.learningRate = lr; c.weightDecay = lambda; c.epochs = epochs; c.batchSize = batch; c.optimizer = optimizer
        return try ScheduleSummary(config: c, examples: examples)
    }

    @Test func aFullFineTuneIsNeverToldToRaiseLambda() throws {
        // Hugging Face's defaults, and the seeds' λ: decay barely acts.
        let defaults = try Self.summary(lr: 5e-5, lambda: 0, epochs: 3, examples: 800, batch: 8)
        let none = Verdict(summary: defaults, runKind: .fullFineTune, adapter: nil)
        #expect(none.kind == "no_decay")
        #expect(none.lambdaForOneEpoch == nil && none.lambdaForWholeRun == nil)
        let weak = Verdict(summary: try Self.summary(lr: 2e-4, lambda: 0.01, epochs: 3, examples: 800, batch: 16), runKind: .fullFineTune, adapter: nil)
        #expect(weak.kind == "negligible")
        #expect(weak.message.contains("Do not raise λ"))
        #expect(weak.message.contains("fewer epochs") && weak.message.contains("early stopping") && weak.message.contains("L2-SP"))
        #expect(weak.lambdaForOneEpoch == nil)
    }

    /// The closing recipe's λ = 0.67 for 20 epochs at lr 3e-4, on a pretrained model.
    @Test func largeDecayOnAPretrainedModelErasesIt() throws {
        let s = try Self.summary(lr: 3e-4, lambda: 0.67, epochs: 20, examples: 16_000, batch: 16)
        let v = Verdict(summary: s, runKind: .fullFineTune, adapter: nil)
        #expect(v.kind == "erases_pretraining")
        #expect(v.message.contains("Lower λ"))
        #expect(v.message.contains(Verdict.percent(s.fractionLost!)))
        let scratch = Verdict(summary: s, runKind: .fromScratch, adapter: nil)
        #expect(scratch.kind == "within_guideline")      // τ = 5 epochs of 1000 steps, inside 20
        #expect(scratch.lambdaForOneEpoch != nil)
    }

    @Test func adaptersArePulledTowardTheBase() throws {
        let s = try Self.summary(lr: 2e-4, lambda: 0.01, epochs: 3, examples: 800, batch: 16)
        var lora = AdapterSettings(kind: "lora", rank: 16, alpha: 32)
        lora.modulesToSave = ["embed_tokens"]
        let v = Verdict(summary: s, runKind: .adapter, adapter: lora)
        #expect(v.kind == "pull_toward_base")
        #expect(v.message.contains("toward the base model"))
        let left = s.remainingFraction!
        #expect(v.message.contains(Verdict.fixed(left * left)))       // ΔW keeps the square
        #expect(v.message.contains("embed_tokens"))
        #expect(v.lambdaForOneEpoch == nil)
    }

    @Test func theRunKindComesFromTheConfigOrTheFlag() throws {
        let scratch = try ScratchFolder()
        let lora = scratch.write("lora.yml", "base_model: m\nlearning_rate: 2e-4\nweight_decay: 0.01\nadapter: lora\nlora_r: 16\nlora_alpha: 32\nlora_target_linear: true\nmax_steps: 100\nwarmup_steps: 5\n")
        #expect(try InspectReport.make(.init(configPath: lora)).runKind == .adapter)
        #expect(try InspectReport.make(.init(configPath: lora, runKind: .fromScratch)).runKind == .fromScratch)
        let fresh = scratch.write("fresh.yml", "base_model: m\nlearning_rate: 3e-4\nreinit_weights: true\nmax_steps: 100\nwarmup_steps: 0\n")
        #expect(try InspectReport.make(.init(configPath: fresh)).runKind == .fromScratch)
        let args = scratch.write("args.json", "{\"learning_rate\": 5e-5, \"max_steps\": 100}")
        let report = try InspectReport.make(.init(configPath: args))
        #expect(report.runKind == .fullFineTune)
        #expect(report.notes.contains { $0.code == .runKind && $0.message.contains("--from-scratch") })
        let adapter = try InspectReport.make(.init(modelPaths: [Fixtures.path("adapters/llama-lora")], configPath: args))
        #expect(adapter.runKind == .adapter)
    }

    @Test func jsonHoldsTheVerdictAndTheNotes() throws {
        let scratch = try ScratchFolder()
        let path = scratch.write("a.yml", "base_model: m\nlearning_rate: 2e-4\nweight_decay: 0.01\nmax_steps: 10\nwarmup_steps: 20\nfoo_bar: 1\n")
        let report = try InspectReport.make(.init(configPath: path))
        let object = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as! [String: Any]
        #expect(object["run_kind"] as? String == "full_fine_tune")
        let verdict = try #require(object["verdict"] as? [String: Any])
        #expect(verdict["kind"] as? String == "negligible")
        #expect(verdict["lambda_one_epoch"] == nil)
        let codes = (object["notes"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
        #expect(codes.contains("unknown_key") && codes.contains("warmup_covers_run") && codes.contains("run_kind"))
        let schedule = try #require(object["schedule"] as? [String: Any])
        let optimizer = try #require(schedule["optimizer"] as? [String: Any])
        #expect(optimizer["name"] as? String == "adamw_torch_fused" && optimizer["decay_rule"] as? String == "decoupled")
        #expect(schedule["batch"] as? Int == 1 && schedule["accumulation"] as? Int == 1)
    }
}
