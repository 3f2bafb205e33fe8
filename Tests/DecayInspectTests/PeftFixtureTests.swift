import Foundation
import Testing
@testable import DecayInspect

/// Adapter counts against peft itself (make_peft_fixtures.py): on the tiny
/// checkpoints of seven architectures, the trainable and all counts
/// `print_trainable_parameters()` prints, the part the Trainer decays, and
/// the layers adapted, for explicit targets, Axolotl's lora_target_linear,
/// DoRA, rsLoRA with modules saved in full, and peft's default targets.
@Suite struct PeftFixtureTests {
    static let names = Fixtures.names(in: "expected").filter { $0.hasPrefix("peft-") }.map { ($0 as NSString).deletingPathExtension }

    @Test func atLeastFourArchitecturesAreChecked() {
        let architectures = Set(Self.names.map { $0.split(separator: "-").dropFirst().first.map(String.init) ?? "" })
        #expect(architectures.count >= 4, "\(architectures)")
    }

    @Test(arguments: names)
    func countsMatchPeft(_ name: String) throws {
        let expected = try Fixtures.json("expected/\(name).json")
        let config = try TrainingConfig.load(path: Fixtures.path("configs/\(name).yml"))
        let adapter = try #require(config.adapter)
        let checkpoint = try Checkpoint.load(path: Fixtures.path(expected["model"] as! String))
        let count = LoRACount(adapter: adapter, checkpoint: checkpoint, summary: ModelSummary(checkpoint: checkpoint))
        if expected["peft_refuses"] != nil {
            #expect(count.layers.isEmpty, "\(name): peft refuses it, as nothing is adapted")
            #expect(count.notes.contains { $0.message.contains("adapts nothing") })
            return
        }
        #expect(count.trainableParameters == expected["trainable"] as? Int, "\(name)")
        #expect(count.allParameters == expected["all"] as? Int, "\(name)")
        #expect(count.decayedParameters == expected["decayed"] as? Int, "\(name)")
        #expect(count.layers.map(\.module).sorted() == (expected["adapted_modules"] as? [String])?.sorted(), "\(name)")
        #expect(abs(adapter.scaling - exactDouble(expected["scaling"])) < 1e-12, "\(name)")
    }

    /// A PEFT output folder given to --model: its tensors are what was
    /// trained; with the base checkpoint beside it, peft's counts.
    @Test(arguments: ["llama-lora", "gpt2-dora"])
    func adapterFolders(_ name: String) throws {
        let folder = Fixtures.path("adapters/\(name)")
        let expected = try Fixtures.json("adapters/\(name)/expected.json")
        let adapter = try PeftAdapter.load(folder: folder)
        #expect(adapter.trainableParameters == expected["trainable"] as? Int)
        #expect(adapter.decayedParameters == expected["decayed"] as? Int)
        let base = Fixtures.path(expected["model"] as! String)
        let report = try InspectReport.make(.init(modelPaths: [folder, base]))
        let a = try #require(report.adapter)
        #expect(a.trainableParameters == expected["trainable"] as? Int)
        #expect(a.allParameters == expected["all"] as? Int)
        #expect(a.count?.layers.map(\.module).sorted() == (expected["adapted_modules"] as? [String])?.sorted())
        #expect(report.runKind == .adapter)
        #expect(!a.notes.contains { $0.message.contains("is this the adapter's base model") })
    }
}
