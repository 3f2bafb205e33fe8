import Foundation
import Testing
@testable import DecayInspect

/// Every committed config against a real Trainer run on a data set of the
/// recorded size, and a float64 AdamW stepped with zero gradients under
/// `get_scheduler`: steps, warm-up, every rate and the weight left, each
/// compared for exact equality.
@Suite struct FixtureConfigTests {
    static let configs = Fixtures.names(in: "configs")

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
        #expect(config.schedulerName == expected["lr_scheduler"] as? String)
        #expect(config.learningRate == exactDouble(expected["learning_rate"]))
        #expect(config.weightDecay == exactDouble(expected["weight_decay"]))
        let rates = (expected["rates"] as! [Any]).map(exactDouble)
        #expect(rates.count == summary.plan.steps)
        for (t, rate) in rates.enumerated() {
            #expect(summary.schedule.rate(t) == rate, "\(name): step \(t)")
        }
        #expect(summary.remainingFraction == exactDouble(expected["total_shrink"]))
    }

    @Test func keyListsMatchTheInstalledTransformers() throws {
        let lists = try Fixtures.json("lists.json")
        #expect(Set(lists["training_arguments"] as! [String]) == ConfigKeys.trainingArguments)
        #expect(lists["optimizers"] as! [String] == ConfigKeys.optimizers)
        let schedulers = Set(lists["schedulers"] as! [String])
        let known = Set(LearningRateSchedule.Kind.allCases.map(\.rawValue)).union(LearningRateSchedule.notModelled.keys)
        #expect(schedulers == known)
    }
}
