import Foundation
import Testing
@testable import DecayInspect

/// The generated schemas as the readers use them, and the optimizer table
/// held to every name the tools accept.
@Suite struct SchemaAndOptimizerTests {
    let schemas = ConfigSchemas.shared

    @Test func theSchemasSayWhereTheyCameFrom() {
        for tool in ["axolotl", "transformers", "trl", "peft"] {
            #expect(!(schemas.versions[tool] ?? "").isEmpty, "\(tool)")
        }
        #expect(schemas.axolotlFields.count > 300)
        #expect(schemas.trainingArguments.count > 100)
        #expect(schemas.trl["SFTConfig"] != nil && schemas.trl["DPOConfig"] != nil && schemas.trl["GRPOConfig"] != nil)
        #expect(schemas.trl["PPOConfig"]?.version == schemas.versions["trl_legacy"])
        #expect(schemas.axolotlAliases["model_type"] == "type_of_model")
        #expect(schemas.axolotlFields["learning_rate"]?.required == true)
    }

    @Test func pluginsOwnTheirKeys() {
        #expect(schemas.plugin(forKey: "liger_rms_norm")?.names.first == "axolotl.integrations.liger.LigerPlugin")
        #expect(schemas.plugin(forKey: "use_scattermoe")?.shortName == "kernels")
        #expect(schemas.plugin(forKey: "cut_cross_entropy")?.shortName == "cut_cross_entropy")
        #expect(schemas.plugin(named: "axolotl.integrations.liger.plugin.LigerPlugin") != nil)
        #expect(schemas.plugin(forKey: "learning_rate") == nil)
    }

    @Test func pluginKeysAreKnownOnlyWhenThePluginIsListed() throws {
        let listed = try TrainingConfig.load(path: Fixtures.path("configs/ax-aliases-and-plugins.yml"))
        #expect(listed.notes.filter { [.unknownKey, .pluginNotListed, .unknownPlugin].contains($0.code) }.isEmpty,
                "\(listed.notes.map(\.message))")
        let unlisted = try TrainingConfig.load(path: Fixtures.path("configs/ax-plugin-keys-unlisted.yml"))
        let notes = unlisted.notes
        #expect(notes.contains { $0.code == .pluginNotListed && $0.message.contains("`liger_rms_norm` belongs to the liger plugin") })
        #expect(notes.contains { $0.code == .pluginNotListed && $0.message.contains("`cut_cross_entropy`") })
        #expect(notes.contains { $0.code == .unknownKey && $0.message.contains("`lerning_rate_warmup`") && $0.line != nil })
    }

    /// Every optimizer name the Trainer's `optim`, TRL and Axolotl accept
    /// has a rule read from its source; none falls back to AdamW's.
    @Test func everyAcceptedOptimizerHasARule() {
        let names = Set(schemas.optimizers).union(schemas.axolotlOptimizers).union(schemas.legacyOptimizers.keys)
        let missing = names.subtracting(OptimizerTable.names)
        #expect(missing.isEmpty, "optimizers without a rule: \(missing.sorted())")
        for name in names {
            let info = OptimizerTable.info(name)
            #expect(info.rule != .unknown, "\(name)")
            #expect(!info.source.isEmpty, "\(name)")
        }
        #expect(OptimizerTable.info("some_new_optimizer").rule == .unknown)
    }

    @Test func rulesAreTheOnesTheSourcesShow() {
        #expect(OptimizerTable.info("adamw_torch_fused").rule == .decoupled)
        #expect(OptimizerTable.info("paged_lion_8bit").rule == .decoupled)
        #expect(OptimizerTable.info("ademamix").rule == .decoupled)
        #expect(OptimizerTable.info("sgd").rule == .coupledL2)
        #expect(OptimizerTable.info("adagrad").rule == .coupledL2)
        #expect(OptimizerTable.info("rmsprop_bnb").rule == .coupledL2)
        #expect(OptimizerTable.info("flash_adam").rule == .coupledL2)
        #expect(OptimizerTable.info("flash_adamw").rule == .decoupled)
        #expect(OptimizerTable.info("adamc").rule == .lrSquaredOverMax)
        #expect(OptimizerTable.info("polora").rule == DecayRule.none)
        if case .other = OptimizerTable.info("schedule_free_adamw").rule {} else { Issue.record("schedule-free is its own rule") }
        if case .other = OptimizerTable.info("ao_adamw_4bit").rule {} else { Issue.record("ao_adamw_4bit is never built") }
    }

    /// The shrink follows the rule: AdamC's λ·lr_t²/lr_max, none for polora,
    /// not computed for an L2 term through an adaptive step.
    @Test func shrinkFollowsTheRule() throws {
        func summary(_ optimizer: String, args: [String: String] = [:]) throws -> ScheduleSummary {
            var c = TrainingConfig(format: .huggingFace, path: "a.json")
            c.learningRate = 1e-3; c.weightDecay = 0.1; c.maxSteps = 100; c.scheduler.kind = .constant
            c.optimizer = optimizer
            c.optimizerArguments = args
            return try ScheduleSummary(config: c, examples: nil)
        }
        let adamw = try summary("adamw_torch")
        #expect(abs(adamw.remainingFraction! - pow(1 - 1e-4, 100)) < 1e-14)
        // With lr_t = lr_max, AdamC's shrink equals AdamW's.
        #expect(abs(try summary("adamc").remainingFraction! - adamw.remainingFraction!) < 1e-15)
        #expect(try summary("polora").remainingFraction == 1)
        #expect(try summary("rmsprop").remainingFraction == nil)
        #expect(try summary("sgd").remainingFraction != nil)
        #expect(try summary("sgd", args: ["momentum": "0.9"]).remainingFraction == nil)
        #expect(try summary("sgd", args: ["weight_decay": "0.2"]).weightDecay == 0.2)
    }

    /// AxolotlValueCheck against pydantic (make_value_fixtures.py): each
    /// YAML line read as PyYAML reads it, refused exactly when pydantic
    /// refuses the value for that field.
    @Test func valueChecksAgreeWithPydantic() throws {
        let cases = try Fixtures.json("values.json")["cases"] as! [[String: Any]]
        #expect(cases.count >= 40)
        for c in cases {
            let line = c["yaml"] as! String
            let accepted = c["accepted"] as! Bool
            let f = try AxolotlConfigReader.fields(yaml: line, path: "v.yml")
            let key = try #require(f.entries.keys.first)
            var refused = false
            do { try AxolotlValueCheck.check(f) } catch let e as InspectError {
                refused = true
                #expect(e.line == 1 && e.message.contains(key), "\(line): \(e)")
            }
            #expect(refused == !accepted, "\(line)")
            guard accepted, let kind = ConfigSchemas.shared.axolotlFields[key]?.kind else { continue }
            // What pydantic accepts, the readers read.
            switch kind {
            case "bool": #expect(throws: Never.self, "\(line)") { _ = try f.bool(key) }
            case "int": #expect(throws: Never.self, "\(line)") { _ = try f.integer(key, in: Int.min...Int.max, what: "") }
            case "float": #expect(throws: Never.self, "\(line)") { _ = try f.double(key, in: -1e300...1e300, what: "") }
            default: break
            }
        }
    }

    /// PyYAML's YAML 1.1 scalars: a float needs a dot, 010 is octal, yes is true.
    @Test func scalarsResolveAsPyYAMLDoes() {
        func value(_ text: String) -> String {
            switch YAML11Scalar.resolve(text) {
            case .number(let n): return n.integer.map { "int \($0)" } ?? "float \(n.double)"
            case .string(let s): return "str \(s)"
            case .bool(let b): return "bool \(b)"
            case .null: return "null"
            default: return "other"
            }
        }
        #expect(value("2e-4") == "str 2e-4")
        #expect(value("2.0e-4") == "float 0.0002")
        #expect(value("1.0e3") == "str 1.0e3")
        #expect(value("010") == "int 8")
        #expect(value("0x1F") == "int 31")
        #expect(value("1_000") == "int 1000")
        #expect(value("1:30") == "int 90")
        #expect(value(".5") == "float 0.5")
        #expect(value("Yes") == "bool true")
        #expect(value("y") == "str y")
        #expect(value("~") == "null")
    }
}
