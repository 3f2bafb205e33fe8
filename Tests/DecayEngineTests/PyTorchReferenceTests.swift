import Foundation
import Testing
import DecayKernels
@testable import DecayEngine

// The engine against PyTorch's own trajectories (Fixtures/*.json, written by
// Fixtures/make_fixtures.py through Export/reproduce.py; see Fixtures/README.md).
// Each fixture is an experiment.json whose histories are PyTorch's numbers
// and whose runs carry PyTorch's `final_params`. The engine rebuilds the
// experiment from the file, trains as many steps as the history lists, and
// must agree at every step within 1e-4 relative (absolute floor 1e-6), the
// same tolerance reproduce.py applies; validation accuracy may differ by one
// example (a tie in the last bit of a logit).

private let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
private let relativeTolerance = 1e-4
private let absoluteFloor = 1e-6

private let experimentFixtures: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: fixturesDirectory.path)) ?? []
    return names.filter { $0.hasSuffix(".json") && $0 != "dropout_hash.json" }.sorted()
}()

private func load(_ name: String) throws -> ExperimentFile {
    let data = try Data(contentsOf: fixturesDirectory.appendingPathComponent(name))
    return try JSONDecoder().decode(ExperimentFile.self, from: data)
}

@Suite("Agreement with PyTorch")
struct PyTorchReferenceTests {
    @Test func fixturesArePresent() {
        // The suite must not pass vacuously when the folder moves.
        #expect(experimentFixtures.count >= 10, "found \(experimentFixtures)")
    }

    @Test(arguments: experimentFixtures)
    func trajectoryMatchesPyTorch(_ name: String) throws {
        let file = try load(name)
        let e = try Experiment(file: file)
        let steps = file.runs.map(\.history.count).max() ?? 0
        #expect(steps > 0)
        e.advance(steps: steps)
        var worstHistory = 0.0, worstHistoryWhat = "", worstParameters = 0.0, worstParametersWhat = ""
        var totalFlips = 0
        var absoluteWorst = 0.0
        for (run, reference) in zip(e.runs, file.runs) {
            #expect(!run.status.isDiverged, "\(name) \(run.name): \(run.status)")
            let entries = run.history
            try #require(entries.count == reference.history.count, "\(name) \(run.name): \(entries.count) steps recorded")
            var accuracyFlips = 0
            for (got, want) in zip(entries, reference.history) {
                #expect(got.step == want.step)
                #expect(got.learningRate == want.lr)
                var pairs: [(String, Float?, Float?)] = [("train_loss", got[.trainLoss], want.trainLoss),
                                                          ("val_loss", got[.validationLoss], want.valLoss)]
                for (group, value) in want.norms {
                    pairs.append(("norm[\(group)]", ParameterGroup(rawValue: group).flatMap { got[.norm($0)] }, value))
                }
                for (what, a, b) in pairs {
                    guard let b else { continue }
                    guard let a else { Issue.record("\(name) \(run.name) step \(got.step): \(what) missing"); continue }
                    let d = relativeDifference(Double(a), Double(b), floor: absoluteFloor)
                    if d > worstHistory { worstHistory = d; worstHistoryWhat = "\(run.name) step \(got.step) \(what)" }
                    #expect(d <= relativeTolerance, "\(name) \(run.name) step \(got.step) \(what): \(a) vs PyTorch \(b)")
                }
                // Groups the engine reports must be the ones PyTorch reports.
                #expect(Set(e.groups.filter { got[.norm($0)] != nil }.map(\.rawValue)) == Set(want.norms.keys))
                if let b = want.valAccuracy {
                    let a = try #require(got[.validationAccuracy])
                    let rows = Float(e.data.validationX.rows)
                    #expect(abs(a - b) <= 1 / rows + 1e-6, "\(name) \(run.name) step \(got.step) accuracy \(a) vs \(b)")
                    if a != b { accuracyFlips += 1 }
                }
            }
            #expect(accuracyFlips <= 2, "\(name) \(run.name): accuracy differs at \(accuracyFlips) steps")
            totalFlips += accuracyFlips

            let final = try #require(reference.finalParams, "\(name): no final_params")
            let parameters = run.network.parameters
            try #require(final.count == parameters.count, "\(name): \(final.count) tensors vs \(parameters.count)")
            for (p, want) in zip(parameters, final) {
                try #require(p.count == want.count, "\(name) \(p.name): \(p.count) vs \(want.count) values")
                // Elementwise: 1e-4 relative, or 1e-6 absolute for entries below
                // 0.01 (parameters cross zero; a relative error there means nothing).
                for (a, b) in zip(p.value, want) {
                    absoluteWorst = max(absoluteWorst, abs(Double(a) - Double(b)))
                    let d = abs(Double(a) - Double(b)) / max(abs(Double(b)), 1e-2)
                    if d > worstParameters { worstParameters = d; worstParametersWhat = "\(run.name) \(p.name)" }
                }
            }
        }
        #expect(worstParameters <= relativeTolerance, "\(name): final parameters differ by \(worstParameters) (\(worstParametersWhat))")
        print("PyTorch agreement \(name): history max rel \(String(format: "%.2e", worstHistory)) (\(worstHistoryWhat)); final params max rel (floor 0.01) \(String(format: "%.2e", worstParameters)) (\(worstParametersWhat)); largest absolute difference \(String(format: "%.1e", absoluteWorst)); accuracy differs at \(totalFlips) steps")
    }

    /// Fixtures/dropout_hash.json: known answers from the Python side's hash.
    @Test func dropoutHashKnownAnswers() throws {
        struct HashFile: Decodable {
            struct Pair: Decodable { var z: String; var out: String }
            struct Case: Decodable {
                var seed: UInt64, step: Int, layer: Int, p: Float
                var key: String, hashes: [String], threshold: UInt64, keep: String, scale: Float
            }
            var splitmix64: [Pair]
            var cases: [Case]
        }
        func hex(_ s: String) -> UInt64 { UInt64(s.dropFirst(2), radix: 16)! }
        let data = try Data(contentsOf: fixturesDirectory.appendingPathComponent("dropout_hash.json"))
        let file = try JSONDecoder().decode(HashFile.self, from: data)
        for pair in file.splitmix64 {
            #expect(DropoutHash.mix(hex(pair.z)) == hex(pair.out))
        }
        for c in file.cases {
            let key = DropoutHash.key(seed: c.seed, step: c.step, layer: c.layer)
            #expect(key == hex(c.key), "key of \(c.seed)/\(c.step)/\(c.layer)")
            for (i, h) in c.hashes.enumerated() {
                #expect(DropoutHash.mix(key &+ UInt64(i)) == hex(h))
            }
            var mask = [Float](repeating: 0, count: c.keep.count)
            mask.withUnsafeMutableBufferPointer { Kernels.dropoutMask($0, key: key, p: c.p) }
            let keep = String(mask.map { $0 != 0 ? "1" : "0" })
            #expect(keep == c.keep, "mask of p=\(c.p)")
            #expect(mask.first { $0 != 0 } == c.scale, "scale of p=\(c.p)")
            // The threshold both sides must use is ⌊float32(p)·2²⁴⌋: p is a
            // float32 in the engine and in the file. Flooring the double parsed
            // from the file's decimal instead is one lower for p = 0.3
            // (5033164 vs 5033165; also 0.6, 0.8, and about a third of all p).
            let floatThreshold = UInt64((c.p * 16_777_216).rounded(.down))
            #expect(DropoutHash.threshold(p: c.p) == floatThreshold)
            #expect(c.threshold == floatThreshold,
                    "p=\(c.p): file threshold \(c.threshold), ⌊float32(p)·2²⁴⌋ = \(floatThreshold)")
        }
    }
}
