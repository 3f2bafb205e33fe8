import Foundation
import Testing
@testable import DecayInspect

/// Every config written for the real tools' fixtures against what those
/// tools computed: Axolotl 0.19's own step, warm-up and scheduler code
/// (make_axolotl_fixtures.py), TRL's config classes and trainers and
/// transformers' schedules (make_trl_fixtures.py). Steps, warm-up, the
/// examples counted and held out, every rate (exactly), and the fraction
/// decay leaves (exactly where the optimizer's rule is a fixed fraction).
@Suite struct RealConfigFixtureTests {
    static let names = Fixtures.names(in: "expected").filter { $0.hasPrefix("ax-") || $0.hasPrefix("trl-") }
        .map { ($0 as NSString).deletingPathExtension }

    static func configPath(_ name: String) -> String {
        let yml = Fixtures.path("configs/\(name).yml")
        return FileManager.default.fileExists(atPath: yml) ? yml : Fixtures.path("configs/\(name).json")
    }

    @Test func theTeamWroteAtLeastFortyConfigs() {
        let written = Fixtures.names(in: "configs").filter { $0.hasPrefix("ax-") || $0.hasPrefix("trl-") || $0.hasPrefix("peft-") }
        #expect(written.count >= 40, "\(written.count) configs")
        #expect(Self.names.count >= 40)
    }

    @Test(arguments: names)
    func matchesTheRealTool(_ name: String) throws {
        let expected = try Fixtures.json("expected/\(name).json")
        let config = try TrainingConfig.load(path: Self.configPath(name))
        let summary = try ScheduleSummary(config: config, examples: expected["examples"] as? Int, tokens: expected["tokens"] as? Int)
        if let error = expected["tool_error"] as? String {
            // The tool stops; inspect says so and why.
            #expect(summary.notes.contains { $0.code == .toolError && $0.message.contains("TypeError") }, "\(name): \(error)")
            return
        }
        #expect(summary.plan.steps == expected["steps"] as? Int, "\(name)")
        #expect(summary.plan.warmupSteps == expected["warmup_steps"] as? Int, "\(name)")
        if let v = expected["val_examples"] as? Int { #expect(summary.plan.validationExamples == v, "\(name)") }
        if let n = expected["train_examples"] as? Int { #expect(summary.plan.trainExamples == n, "\(name)") }
        if let u = expected["updates_per_epoch"] as? Int { #expect(summary.plan.updatesPerEpoch == u, "\(name)") }
        guard let rates = expected["rates"] as? [Any] else {
            // reduce_lr_on_plateau: rates follow the evaluation loss.
            #expect(summary.schedule == nil, "\(name)")
            #expect(summary.notes.contains { $0.code == .notPredictable }, "\(name)")
            #expect(summary.remainingAtLeast != nil, "\(name)")
            return
        }
        let schedule = try #require(summary.schedule, "\(name)")
        #expect(rates.count == summary.plan.steps, "\(name)")
        var mismatches = 0
        for (t, rate) in rates.map(exactDouble).enumerated() where schedule.rate(t) != rate {
            if mismatches < 3 { Issue.record("\(name): step \(t): \(schedule.rate(t)) ≠ \(rate)") }
            mismatches += 1
        }
        #expect(mismatches == 0, "\(name): \(mismatches) rates differ")
        checkShrink(name, summary: summary, expected: expected["total_shrink"])
    }

    func checkShrink(_ name: String, summary: ScheduleSummary, expected: Any?) {
        guard let value = expected as? NSNumber else {
            #expect(summary.remainingFraction == nil, "\(name): the rule's shrink is not a fixed fraction")
            return
        }
        let shrink = exactDouble(value)
        if summary.config.optimizer == "sgd" {
            // torch's SGD subtracts lr·(λ·p), a different rounding of the same product.
            #expect(abs((summary.remainingFraction ?? 0) - shrink) < 1e-14, "\(name)")
        } else {
            #expect(summary.remainingFraction == shrink, "\(name)")
        }
    }

    /// Each TRL dump is read as the class that wrote it.
    @Test func trlDumpsAreReadAsTheirClass() throws {
        for name in Self.names where name.hasPrefix("trl-") {
            let expected = try Fixtures.json("expected/\(name).json")
            guard let cls = expected["config_class"] as? String, cls != "TrainingArguments" else { continue }
            let config = try TrainingConfig.load(path: Self.configPath(name))
            #expect(config.format == .trl(cls), "\(name): read as \(config.formatLabel)")
            if expected["refused_key"] != nil {
                #expect(config.notes.contains { $0.code == .unknownKey && $0.message.contains("lerning_rate") })
            }
        }
    }

    /// HfArgumentParser files: the parser accepts them, and their model
    /// arguments decide the run kind and the adapter.
    @Test func parserFilesGiveTheRunKind() throws {
        let lora = try TrainingConfig.load(path: Self.configPath("trl-parser-sft-lora"))
        #expect(lora.runKindHint?.kind == .adapter)
        #expect(lora.adapter?.rank == 8 && lora.adapter?.alpha == 16 && lora.adapter?.targetModules == ["q_proj", "v_proj"])
        #expect(lora.notes.allSatisfy { $0.code != .unknownKey })
        let full = try TrainingConfig.load(path: Self.configPath("trl-parser-full"))
        #expect(full.runKindHint?.kind == .fullFineTune)
        #expect(full.formatLabel.hasPrefix("HfArgumentParser JSON"))
    }
}
