import Foundation
import Testing
@testable import DecayEngine

// A Lion run through the export: `"type": "lion"` with its betas round-trips
// bit for bit, and where PyTorch is installed the shipped reproduce.py must
// agree with the engine's numbers (it exits 1 when any step differs).

private func lionExperiment() -> Experiment {
    let spec = ExperimentSpec(
        data: DataSpec(kind: .tokens, trainCount: 48, validationCount: 32, vocabulary: 60, sequenceLength: 5),
        model: ModelSpec(kind: .embedding, hidden: [12], layerNorm: true, embeddingDimension: 8),
        optimizer: OptimizerSpec(kind: .lion, learningRate: 3e-3, beta1: 0.9, beta2: 0.98),
        weightDecay: 0.3, groups: [.layerNorms: false], steps: 30, batchSize: 16,
        runs: [RunSpec(name: "lion"), RunSpec(name: "lion l2", decay: .l2, weightDecay: 0.01)])
    let e = Experiment(spec: spec)
    e.advance(steps: 30)
    return e
}

@Suite("Lion through experiment.json and reproduce.py")
struct LionExportTests {
    @Test func lionRoundTripsThroughTheFile() throws {
        let e = lionExperiment()
        let file = ExperimentFile(experiment: e)
        #expect(file.runs[0].optimizer.type == .lion)
        #expect(file.runs[0].optimizer.betas == [0.9, 0.98])
        let json = try JSONEncoder().encode(file)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("\"type\":\"lion\""))
        let back = try Experiment(file: JSONDecoder().decode(ExperimentFile.self, from: json))
        back.advance(steps: 30)
        for (a, b) in zip(e.runs, back.runs) {
            #expect(a.settings.optimizer == b.settings.optimizer)
            #expect(bits(a.history) == bits(b.history), "\(a.name)")
        }
    }

    @Test func reproduceScriptAgreesWhenTorchIsInstalled() throws {
        guard Self.torchAvailable else {
            print("skipped: python3 with torch is not installed (CI has no torch); the fixtures cover Lion")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lion-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try JSONEncoder().encode(ExperimentFile(experiment: lionExperiment()))
            .write(to: dir.appendingPathComponent("experiment.json"))
        try ReproduceScript.source.write(to: dir.appendingPathComponent("reproduce.py"), atomically: true, encoding: .utf8)
        let (status, output) = try Self.python([dir.appendingPathComponent("reproduce.py").path,
                                                dir.appendingPathComponent("experiment.json").path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("lion"))
    }

    static let torchAvailable: Bool = {
        (try? python(["-c", "import torch, numpy"]).status) == 0
    }()

    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
