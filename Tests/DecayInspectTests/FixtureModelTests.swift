import Foundation
import Testing
@testable import DecayInspect

/// Every committed model, tensor by tensor, against what the safetensors
/// library read from it and what the Trainer's `get_decay_parameter_names`
/// returned for the model that wrote it.
@Suite struct FixtureModelTests {
    static let models = Fixtures.names(in: "models")

    @Test func atLeastEightArchitectures() {
        #expect(Self.models.count >= 9)
    }

    @Test(arguments: models)
    func tensorsAndDecayMatchTheLibraries(_ name: String) throws {
        let record = try Fixtures.json("models/\(name)/decay.json")
        let expected = record["tensors"] as! [String: [String: Any]]
        let decayed = Set(record["decayed"] as! [String])
        let parameters = Set(record["parameters"] as! [String])
        let checkpoint = try Checkpoint.load(path: Fixtures.path("models/\(name)"))
        let summary = ModelSummary(checkpoint: checkpoint)

        #expect(Set(checkpoint.tensors.map(\.name)) == Set(expected.keys))
        for row in summary.rows {
            let t = row.tensor
            let e = try #require(expected[t.name])
            #expect(t.dtype.rawValue == e["dtype"] as? String, "\(name): \(t.name)")
            #expect(t.shape == e["shape"] as? [Int], "\(name): \(t.name)")
            #expect(t.parameterCount == (e["shape"] as! [Int]).reduce(1, *))
            #expect((t.file as NSString).lastPathComponent == e["file"] as? String)
            // The parameter this tensor holds (a few are saved under an older name).
            let parameter = try #require(e["parameter"] as? String)
            #expect(parameters.contains(parameter))
            #expect(row.decayTrainer == decayed.contains(parameter), "\(name): \(t.name) — Trainer rule, \(row.trainerReason)")
            #expect(row.decayByDimension == ((e["shape"] as! [Int]).count >= 2))
        }
        // Parameters missing from the file are tied to one that is there.
        #expect(parameters.subtracting(expected.keys).count <= 3)
        let total = summary.rows.reduce(0) { $0 + $1.tensor.parameterCount }
        #expect(summary.totalParameters == total)
        let decayedCount = summary.rows.filter { decayed.contains(expected[$0.tensor.name]?["parameter"] as? String ?? "") }
            .reduce(0) { $0 + $1.tensor.parameterCount }
        #expect(summary.decayedByTrainer == decayedCount)
    }

    @Test func gpt2LayerNormsAreFoundByModuleType() throws {
        let summary = ModelSummary(checkpoint: try Checkpoint.load(path: Fixtures.path("models/gpt2")))
        let ln = try #require(summary.rows.first { $0.tensor.name == "transformer.h.0.ln_1.weight" })
        #expect(!ln.decayTrainer)
        #expect(ln.trainerReason == .layerNormModule)
        #expect(summary.modelType == "gpt2")
        #expect(!summary.layerNormsGuessed)
    }

    @Test func gpt2WithoutConfigGuessesTheSameNorms() throws {
        let scratch = try ScratchFolder()
        let copy = scratch.path("model.safetensors")
        try FileManager.default.copyItem(atPath: Fixtures.path("models/gpt2/model.safetensors"), toPath: copy)
        let guessed = ModelSummary(checkpoint: try Checkpoint.load(path: copy))
        let known = ModelSummary(checkpoint: try Checkpoint.load(path: Fixtures.path("models/gpt2")))
        #expect(guessed.layerNormsGuessed)
        #expect(guessed.rows.map(\.decayTrainer) == known.rows.map(\.decayTrainer))
    }

    @Test func t5RelativeAttentionBiasIsTheDisagreement() throws {
        let summary = ModelSummary(checkpoint: try Checkpoint.load(path: Fixtures.path("models/t5")))
        let names = summary.disagreements.map(\.tensor.name)
        #expect(names.contains("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"))
        #expect(summary.disagreements.allSatisfy { !$0.decayTrainer && $0.decayByDimension && $0.trainerReason == .bias })
    }

    @Test func shardedCheckpointReadsEveryShard() throws {
        let sharded = try Checkpoint.load(path: Fixtures.path("models/llama-sharded"))
        let index = try Checkpoint.load(path: Fixtures.path("models/llama-sharded/model.safetensors.index.json"))
        #expect(sharded.files.count == 4)
        #expect(sharded.tensors == index.tensors)
        #expect(Set(sharded.tensors.map { ($0.file as NSString).lastPathComponent }).count == 3)
    }
}
