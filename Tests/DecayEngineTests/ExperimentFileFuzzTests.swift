import Foundation
import Testing
import SeededRandom
@testable import DecayEngine

/// `experiment.json` files are outside data (an export may be edited, cut
/// short or replaced): thousands of broken ones must each be a described
/// error or a working experiment — never a trap, a hang, or an allocation
/// sized by a number in the file. A trap here ends the test process, so a
/// passing run is the proof.
@Suite struct ExperimentFileFuzzTests {
    /// A deterministic generator, so a failure is reproducible by its case number.
    typealias Mix = SplitMix64

    static func base(_ data: DataSpec, _ model: ModelSpec, _ kind: OptimizerSpec.Kind) -> Data {
        let spec = ExperimentSpec(data: data, model: model, optimizer: OptimizerSpec(kind: kind, learningRate: 0.01),
                                  weightDecay: 0.01, dropout: 0.1, steps: 3, batchSize: 4,
                                  runs: [RunSpec(name: "a"), RunSpec(name: "b", weightDecay: 0)])
        let e = Experiment(spec: spec, historyCapacity: 8)
        e.advance(steps: 3)
        return try! JSONEncoder().encode(ExperimentFile(experiment: e))
    }

    static let bases: [Data] = [
        base(DataSpec(kind: .moons, trainCount: 8, validationCount: 4),
             ModelSpec(kind: .mlp, hidden: [4], layerNorm: true, dropoutLayers: true), .adamw),
        base(DataSpec(kind: .tokens, trainCount: 8, validationCount: 4, vocabulary: 12, sequenceLength: 3),
             ModelSpec(kind: .embedding, hidden: [4], embeddingDimension: 3), .sgd),
        base(DataSpec(kind: .linearRegression, trainCount: 6, validationCount: 3, inputs: 5), ModelSpec(kind: .linear), .adam),
    ]

    struct Tally { var accepted = 0, rejected = 0 }

    /// Decodes, rebuilds and (when it loads) trains two steps.
    func attempt(_ data: Data, _ label: String, _ tally: inout Tally) {
        do {
            let file = try ExperimentFile.decode(data)
            let e = try Experiment(file: file)
            if data.count < 200_000 { e.advance(steps: 2) }
            tally.accepted += 1
        } catch let error as ExperimentFileError {
            #expect(!error.message.isEmpty && error.message.count < 2_000, "\(label): \(error.message.prefix(200))")
            tally.rejected += 1
        } catch {
            Issue.record("\(label): not an ExperimentFileError: \(error)")
        }
    }

    // MARK: - Mutating the JSON tree

    /// Every path to a value in the tree, as keys and indices.
    static func paths(_ value: Any, _ prefix: [Any] = [], into out: inout [[Any]]) {
        out.append(prefix)
        if let d = value as? [String: Any] {
            for (k, v) in d { paths(v, prefix + [k], into: &out) }
        } else if let a = value as? [Any] {
            for (i, v) in a.enumerated().prefix(6) { paths(v, prefix + [i], into: &out) }
        }
    }

    static func replacing(_ value: Any, at path: ArraySlice<Any>, with new: Any?) -> Any? {
        guard let head = path.first else { return new }
        if var d = value as? [String: Any], let k = head as? String {
            d[k] = replacing(d[k] as Any, at: path.dropFirst(), with: new)
            return d
        }
        if var a = value as? [Any], let i = head as? Int, a.indices.contains(i) {
            if let v = replacing(a[i], at: path.dropFirst(), with: new) { a[i] = v } else { a.remove(at: i) }
            return a
        }
        return value
    }

    nonisolated(unsafe) static let hostileValues: [Any] = [
        "x", "", NSNull(), true, [Any](), [String: Any](), -1, 0, 1 << 40, Int.max, Int.min,
        1e308, -1e308, 1e-45, 3.4e38, 9007199254740993, ["in": 1], [[1e30, -1e30]], [1, "a", NSNull()],
        String(repeating: "λ", count: 5000),
    ]

    @Test func mutatedValuesAreErrorsOrExperiments() throws {
        var rng = Mix(seed: 1)
        var tally = Tally()
        for (b, base) in Self.bases.enumerated() {
            let tree = try JSONSerialization.jsonObject(with: base)
            var all: [[Any]] = []
            Self.paths(tree, into: &all)
            for n in 0..<500 {
                let path = all[rng.below(all.count)]
                let new: Any? = rng.below(8) == 0 ? nil : Self.hostileValues[rng.below(Self.hostileValues.count)]
                guard let mutated = Self.replacing(tree, at: path[...], with: new),
                      mutated is [String: Any] || mutated is [Any], JSONSerialization.isValidJSONObject(mutated),
                      let data = try? JSONSerialization.data(withJSONObject: mutated) else { continue }
                attempt(data, "base \(b) value case \(n) at \(path)", &tally)
            }
        }
        #expect(tally.accepted + tally.rejected >= 1_400)
        #expect(tally.rejected > 500)
    }

    @Test func declaredSizesFarLargerThanTheContentsAllocateNothing() throws {
        var tally = Tally()
        for (b, base) in Self.bases.enumerated() {
            let text = String(decoding: base, as: UTF8.self)
            for key in ["\"in\"", "\"out\"", "\"num\"", "\"dim\"", "\"step\"", "\"dropout_seed\""] {
                for huge in ["1099511627776", "9223372036854775807", "-9223372036854775808", "4294967296"] {
                    let mutated = text.replacingOccurrences(of: "\(key):", with: "\(key):\(huge),\"_was\":")
                    attempt(Data(mutated.utf8), "base \(b) \(key)=\(huge)", &tally)
                }
            }
        }
        #expect(tally.accepted + tally.rejected == Self.bases.count * 24)
    }

    @Test func truncatedAndCorruptedBytesAreErrors() {
        var rng = Mix(seed: 2)
        var tally = Tally()
        for (b, base) in Self.bases.enumerated() {
            for n in 0..<150 {
                attempt(base.prefix(rng.below(base.count)), "base \(b) truncated \(n)", &tally)
                var flipped = base
                for _ in 0...rng.below(4) {
                    let i = rng.below(flipped.count)
                    flipped[i] = UInt8(truncatingIfNeeded: rng.next())
                }
                attempt(flipped, "base \(b) flipped \(n)", &tally)
            }
        }
        #expect(tally.rejected > 400)
    }

    @Test func nonJSONAndDeepNestingAreErrors() {
        var rng = Mix(seed: 3)
        var tally = Tally()
        var cases: [Data] = [Data(), Data([0xEF, 0xBB, 0xBF]) + Self.bases[0], Data("null".utf8), Data("[]".utf8), Data("{}".utf8),
                             Data("\"decay-tutor.experiment/1\"".utf8), Data(String(repeating: "[", count: 100_000).utf8),
                             Data(("{\"format\":" + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000) + "}").utf8),
                             Data(String(repeating: "{\"a\":", count: 20_000).utf8), Data("1e999999".utf8)]
        if let utf16 = String(decoding: Self.bases[2], as: UTF8.self).data(using: .utf16) { cases.append(utf16) }
        for n in 0..<200 {
            cases.append(Data((0..<rng.below(400)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }))
            let depth = 20 + rng.below(2_000)
            let text = String(decoding: Self.bases[n % 3], as: UTF8.self)
                .replacingOccurrences(of: "\"x\":", with: "\"x\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + ",\"_x\":")
            cases.append(Data(text.utf8))
        }
        for (n, data) in cases.enumerated() { attempt(data, "non-JSON case \(n)", &tally) }
        #expect(tally.accepted == 0 || tally.rejected > 200)
        #expect(tally.accepted + tally.rejected == cases.count)
    }

    @Test func onlyRegularFilesAreRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let good = dir.appendingPathComponent("experiment.json")
        try Self.bases[0].write(to: good)
        #expect(throws: Never.self) { _ = try ExperimentFile.read(contentsOf: good.path) }
        let link = dir.appendingPathComponent("link.json")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: good)
        #expect(throws: Never.self) { _ = try ExperimentFile.read(contentsOf: link.path) }
        let fifo = dir.appendingPathComponent("fifo.json").path
        #expect(mkfifo(fifo, 0o600) == 0)
        for path in [fifo, dir.path, "/dev/zero", dir.appendingPathComponent("missing.json").path] {
            let error = #expect(throws: ExperimentFileError.self) { _ = try ExperimentFile.read(contentsOf: path) }
            #expect(error?.message.hasPrefix(path) == true)
        }
        let toFifo = dir.appendingPathComponent("to-fifo.json")
        try FileManager.default.createSymbolicLink(atPath: toFifo.path, withDestinationPath: fifo)
        #expect(throws: ExperimentFileError.self) { _ = try ExperimentFile.read(contentsOf: toFifo.path) }
    }

    @Test func aWrongTypeNamesItsField() {
        let text = String(decoding: Self.bases[0], as: UTF8.self).replacingOccurrences(of: "\"lr\":", with: "\"lr\":\"fast\",\"_lr\":")
        let error = #expect(throws: ExperimentFileError.self) { _ = try ExperimentFile.decode(Data(text.utf8)) }
        #expect(error?.message.contains("lr") == true)
        #expect(error?.message.contains("expected a number") == true)
    }
}
