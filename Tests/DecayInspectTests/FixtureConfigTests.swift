import Foundation
import Testing
@testable import DecayInspect

/// Every committed config against a real Trainer run on a data set of the
/// recorded size, and a float64 AdamW stepped with zero gradients under
/// `get_scheduler`: steps, warm-up, every rate and the weight left, each
/// compared for exact equality.
@Suite struct FixtureConfigTests {
    /// The first fixtures (hf-*, axolotl-*); the real-tool ones are in RealConfigFixtureTests.
    static let configs = Fixtures.names(in: "configs").filter { $0.hasPrefix("hf-") || $0.hasPrefix("axolotl-") }

    @Test func bothFormatsAreCovered() {
        #expect(Self.configs.filter { $0.hasSuffix(".json") }.count >= 4)
        #expect(Self.configs.filter { $0.hasSuffix(".yml") }.count >= 3)
    }

    @Test(arguments: configs)
    func scheduleMatchesPyTorch(_ file: String) throws {
        let name = (file as NSString).deletingPathExtension
        let expected = try Fixtures.json("expected/\(name).json")
        let config = try TrainingConfig.load(path: Fixtures.path("configs/\(file)"))
        let summary = try ScheduleSummary(config: config, examples: expected["examples"] as? Int)

        #expect(summary.plan.steps == expected["steps"] as? Int)
        #expect(summary.plan.steps == expected["global_step"] as? Int)
        #expect(summary.plan.warmupSteps == expected["warmup_steps"] as? Int)
        #expect(config.scheduler.name == expected["lr_scheduler"] as? String)
        #expect(config.learningRate == exactDouble(expected["learning_rate"]))
        #expect(config.weightDecay == exactDouble(expected["weight_decay"]))
        let rates = (expected["rates"] as! [Any]).map(exactDouble)
        #expect(rates.count == summary.plan.steps)
        let schedule = try #require(summary.schedule)
        for (t, rate) in rates.enumerated() {
            #expect(schedule.rate(t) == rate, "\(name): step \(t)")
        }
        #expect(summary.remainingFraction == exactDouble(expected["total_shrink"]))
    }

    @Test func keyListsMatchTheInstalledTransformers() throws {
        // lists.json comes from make_inspect_fixtures.py; the schema from
        // make_config_schemas.py. The transformers release of both is checked
        // below: when they differ, the lists may too, and this says which.
        let lists = try Fixtures.json("lists.json")
        let schemas = ConfigSchemas.shared
        let fields = Set(lists["training_arguments"] as! [String])
        let known = schemas.allTrainingArgumentKeys
        #expect(fields.subtracting(known).isEmpty, "TrainingArguments fields the schema lacks: \(fields.subtracting(known).sorted())")
        let optimizers = Set(lists["optimizers"] as! [String])
        #expect(optimizers.isSubset(of: Set(schemas.optimizers).union(schemas.legacyOptimizers.keys)))
        let schedulers = Set(lists["schedulers"] as! [String])
        #expect(schedulers.isSubset(of: Set(schemas.schedulers)))
    }
}
