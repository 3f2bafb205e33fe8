import Foundation
import Testing
@testable import DecayEngine

private func fineTuneSpec(steps: Int = 40) -> ExperimentSpec {
    var spec = ExperimentSpec(
        data: DataSpec(kind: .moons, trainCount: 40, validationCount: 200),
        model: ModelSpec(kind: .mlp, hidden: [16, 16], activation: .tanh),
        optimizer: OptimizerSpec(kind: .adamw, learningRate: 0.001), weightDecay: 0.1, steps: 20,
        runs: [RunSpec(name: "toward init", decayTo: .initial), RunSpec(name: "toward zero")])
    spec.pretrain = PretrainSpec(trainCount: 1000, steps: steps, optimizer: OptimizerSpec(kind: .adamw, learningRate: 0.01),
                                 weightDecay: 0.01, batchSize: 100)
    return spec
}

@Suite("Pretraining")
struct PretrainingTests {
    /// Runs start from the pretrained parameters, which fit the task far
    /// better than the fresh initialization; decay toward init anchors there.
    @Test func runsStartFromThePretrainedModel() throws {
        let spec = fineTuneSpec()
        var fresh = spec
        fresh.pretrain = nil
        let e = Experiment(spec: spec), f = Experiment(spec: fresh)
        guard case .computed = e.pretraining else { Issue.record("\(String(describing: e.pretraining))"); return }
        #expect(f.pretraining == nil)
        let pre = e.runs[0].evaluate(x: e.data.validationX, y: e.data.validationY)
        let raw = f.runs[0].evaluate(x: f.data.validationX, y: f.data.validationY)
        #expect(e.data.validationX.storage == f.data.validationX.storage, "the fine-tuning data does not depend on pretraining")
        #expect(pre.loss < 0.6 * raw.loss && (pre.accuracy ?? 0) > 0.8, "pretrained \(pre), fresh \(raw)")
        let theta0 = try #require(e.runs[0].initialParameters)
        #expect(theta0 == e.initialNetwork.parameters.map(\.value))
        #expect(theta0 != f.initialNetwork.parameters.map(\.value))
        // The export's initial parameters are the pretrained ones.
        let file = ExperimentFile(experiment: e)
        let rebuilt = try Experiment(file: file)
        #expect(rebuilt.initialNetwork.parameters.map(\.value) == theta0)
        #expect(file.runs[0].optimizer.decayTo == .initial && file.runs[1].optimizer.decayTo == .zero)
    }

    /// Computed once, then loaded bit for bit; other settings, another file;
    /// a damaged file is reported, retrained and replaced.
    @Test func cacheRoundTripAndRecovery() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pretrain-cache-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = fineTuneSpec(steps: 15)
        let start = Experiment(spec: { var s = spec; s.pretrain = nil; return s }()).initialNetwork
        let (a, first) = Pretraining.pretrain(spec.pretrain!, experiment: spec, start: start, cacheDirectory: dir)
        guard case .computed = first else { Issue.record("\(first)"); return }
        let (b, second) = Pretraining.pretrain(spec.pretrain!, experiment: spec, start: start, cacheDirectory: dir)
        #expect(second == .loaded)
        #expect(a.parameters.map(\.value) == b.parameters.map(\.value))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".bin") }
        #expect(files.count == 1 && !files[0].hasPrefix("."), "\(files)")

        var longer = spec
        longer.pretrain!.steps = 16
        let (_, other) = Pretraining.pretrain(longer.pretrain!, experiment: longer, start: start, cacheDirectory: dir)
        guard case .computed = other else { Issue.record("another step count must not load: \(other)"); return }

        let path = dir.appendingPathComponent(files[0])
        var bytes = try [UInt8](Data(contentsOf: path))
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: path)
        let (c, third) = Pretraining.pretrain(spec.pretrain!, experiment: spec, start: start, cacheDirectory: dir)
        #expect(third.problem?.contains("checksum") == true, "\(third)")
        #expect(c.parameters.map(\.value) == a.parameters.map(\.value))
        #expect(Pretraining.pretrain(spec.pretrain!, experiment: spec, start: start, cacheDirectory: dir).1 == .loaded)
    }
}
