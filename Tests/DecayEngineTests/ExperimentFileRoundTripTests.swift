import Foundation
import Testing
@testable import DecayEngine

// experiment.json: what an experiment writes must rebuild the same
// experiment — same data, initial parameters, batches, dropout masks and
// per-step learning rates — so training the rebuilt one reproduces the
// recorded history bit for bit. And the file keeps the contract's shape.

private func roundTrip(_ e: Experiment) throws -> (ExperimentFile, Data) {
    let file = ExperimentFile(experiment: e)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(file)
    return (try JSONDecoder().decode(ExperimentFile.self, from: data), data)
}

private func expectSameTraining(_ original: Experiment, steps: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let (file, _) = try roundTrip(original)
    let rebuilt = try Experiment(file: file)
    rebuilt.advance(steps: steps)
    #expect(rebuilt.runs.map(\.name) == original.runs.map(\.name), sourceLocation: sourceLocation)
    for (a, b) in zip(original.runs, rebuilt.runs) {
        #expect(a.history.count == steps, sourceLocation: sourceLocation)
        let diff = Array(zip(bits(a.history), bits(b.history))).firstIndex { $0 != $1 }
        #expect(bits(a.history) == bits(b.history),
                "\(a.name): histories differ from step \(diff.map { a.history[$0].step } ?? -1)",
                sourceLocation: sourceLocation)
        #expect(bitwiseEqual(flatParameters(a.network), flatParameters(b.network)), "\(a.name): parameters",
                sourceLocation: sourceLocation)
    }
}

@Suite("experiment.json round trip and shape")
struct ExperimentFileRoundTripTests {
    @Test func fullBatchRoundTripIsBitwise() throws {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .spirals, trainCount: 45, validationCount: 30),
            model: ModelSpec(kind: .mlp, hidden: [10, 8], activation: .gelu, layerNorm: true),
            optimizer: OptimizerSpec(kind: .adamw, learningRate: 0.02), weightDecay: 0.1,
            groups: [.biases: false, .layerNorms: false], schedule: .cosine(warmup: 3, total: 20, floor: 0.1), steps: 20,
            runs: [RunSpec(name: "AdamW"), RunSpec(name: "Adam + L2", optimizer: .adam, weightDecay: 0.01),
                   RunSpec(name: "SGD nesterov", optimizer: .sgd, learningRate: 0.1, momentum: 0.9, nesterov: true)])
        spec.seed = 21
        let e = Experiment(spec: spec)
        e.advance(steps: 20)
        try expectSameTraining(e, steps: 20)
    }

    @Test func minibatchAndDropoutRoundTripIsBitwise() throws {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .moons, trainCount: 64, validationCount: 32),
            model: ModelSpec(kind: .mlp, hidden: [16], activation: .relu, dropoutLayers: true),
            optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.05, momentum: 0.9), decay: .decoupled,
            weightDecay: 0.01, dropout: 0.3, steps: 30, batchSize: 16,
            runs: [RunSpec(name: "p 0.3"), RunSpec(name: "p 0.6", dropout: 0.6), RunSpec(name: "independent", decay: .independent)])
        spec.seed = 22
        let e = Experiment(spec: spec)
        e.advance(steps: 30)
        try expectSameTraining(e, steps: 30)
        let (file, _) = try roundTrip(e)
        #expect(file.batchOrder?.count == 30)
        #expect(file.runs[1].model != nil, "a run whose dropout p differs records its own model")
    }

    @Test func embeddingRoundTripIsBitwise() throws {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .tokens, trainCount: 40, validationCount: 40, vocabulary: 30, sequenceLength: 5),
            model: ModelSpec(kind: .embedding, hidden: [8], activation: .tanh, layerNorm: true, embeddingDimension: 6),
            optimizer: OptimizerSpec(kind: .adamw, learningRate: 0.05), weightDecay: 0.05, steps: 15, batchSize: 10)
        spec.seed = 23
        let e = Experiment(spec: spec)
        e.advance(steps: 15)
        try expectSameTraining(e, steps: 15)
    }

    /// Lessons measure validation every few steps (`evaluationInterval`);
    /// the file then has `val_loss: null` in between, and the rebuilt
    /// experiment must measure at the same steps, not at every step.
    @Test func sparseValidationRoundTrips() throws {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .moons, trainCount: 32, validationCount: 16),
            model: ModelSpec(kind: .mlp, hidden: [6]), optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.1),
            steps: 20, evaluationInterval: 5)
        spec.seed = 27
        let e = Experiment(spec: spec)
        e.advance(steps: 20)
        let measured = e.runs[0].history.filter { $0[.validationLoss] != nil }.map(\.step)
        #expect(measured == [5, 10, 15, 20])
        let (file, _) = try roundTrip(e)
        #expect(file.runs[0].history.compactMap { $0.valLoss == nil ? nil : $0.step } == [5, 10, 15, 20])
        let rebuilt = try Experiment(file: file)
        rebuilt.advance(steps: 20)
        let a = e.runs[0].history, b = rebuilt.runs[0].history
        // The training itself is reproduced exactly…
        #expect(a.map { $0[.trainLoss]?.bitPattern } == b.map { $0[.trainLoss]?.bitPattern })
        #expect(a.map { e in ParameterGroup.allCases.map { e[.norm($0)]?.bitPattern } }
                == b.map { e in ParameterGroup.allCases.map { e[.norm($0)]?.bitPattern } })
        // …and validation must be measured at the recorded steps only, with the recorded values.
        let rebuiltMeasured = b.filter { $0[.validationLoss] != nil }.map(\.step)
        #expect(rebuiltMeasured == measured, "rebuilt experiment measures validation at steps \(rebuiltMeasured)")
        for (x, y) in zip(a, b) where x[.validationLoss] != nil {
            #expect(x[.validationLoss]?.bitPattern == y[.validationLoss]?.bitPattern)
        }
    }

    /// A learner's λ change mid-run is not representable in the file (one λ
    /// per run); the file records the current λ. This pins that down: the
    /// rebuilt run follows the *final* λ from step 1.
    @Test func fileRecordsTheCurrentControlValues() throws {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .moons, trainCount: 20, validationCount: 20), model: ModelSpec(kind: .linear),
            optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.1), weightDecay: 0.01, steps: 10)
        spec.seed = 24
        let e = Experiment(spec: spec)
        e.advance(steps: 5)
        e.set(.lambda, to: 0.2)
        e.advance(steps: 5)
        let (file, _) = try roundTrip(e)
        #expect(file.runs[0].optimizer.weightDecay == 0.2)
    }

    /// The contract's keys, read back with JSONSerialization (as any other
    /// tool would), for a full-batch and a minibatch experiment.
    @Test(arguments: [nil, 8] as [Int?])
    func jsonShapeFollowsTheContract(batch: Int?) throws {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .moons, trainCount: 24, validationCount: 12),
            model: ModelSpec(kind: .mlp, hidden: [4], activation: .tanh, layerNorm: true, dropoutLayers: true),
            optimizer: OptimizerSpec(kind: .adamw, learningRate: 0.01), weightDecay: 0.01, dropout: 0.25,
            groups: [.biases: false], steps: 6, batchSize: batch)
        spec.seed = 25
        let e = Experiment(spec: spec)
        e.advance(steps: 6)
        let (_, data) = try roundTrip(e)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(root["format"] as? String == "decay-tutor.experiment/1")
        #expect(root["loss"] as? String == "cross_entropy")
        let dataBlock = try #require(root["data"] as? [String: Any])
        for split in ["train", "val"] {
            let s = try #require(dataBlock[split] as? [String: Any], "data.\(split)")
            let x = try #require(s["x"] as? [[Double]], "data.\(split).x")
            let y = try #require(s["y"] as? [Double], "data.\(split).y")
            #expect(x.count == y.count && x.allSatisfy { $0.count == 2 })
        }
        let model = try #require(root["model"] as? [[String: Any]])
        #expect(model.map { $0["type"] as? String } == ["linear", "layernorm", "tanh", "dropout", "linear"])
        let linear = model[0]
        for key in ["in", "out", "weight", "bias"] { #expect(linear[key] != nil, "linear.\(key)") }
        for key in ["dim", "eps", "gain", "shift"] { #expect(model[1][key] != nil, "layernorm.\(key)") }
        #expect(model[3]["p"] as? Double == 0.25)
        // batch_order: present in both cases, null for full batch.
        #expect(root.keys.contains("batch_order"))
        if batch == nil {
            #expect(root["batch_order"] is NSNull)
        } else {
            let order = try #require(root["batch_order"] as? [[Int]])
            #expect(order.count == 6 && order.allSatisfy { $0.count == 8 })
        }
        let runs = try #require(root["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let run = runs[0]
        #expect(run["name"] as? String == "run")
        #expect(run["dropout_seed"] is NSNumber)
        let optimizer = try #require(run["optimizer"] as? [String: Any])
        for key in ["type", "lr", "momentum", "nesterov", "betas", "eps", "weight_decay", "decay"] {
            #expect(optimizer[key] != nil, "optimizer.\(key)")
        }
        #expect(optimizer["type"] as? String == "adamw" && optimizer["decay"] as? String == "decoupled")
        #expect(optimizer["betas"] as? [Double] == [0.9, 0.999])
        let groups = try #require(run["groups"] as? [String: [String: Bool]])
        #expect(groups["weights"]?["decay"] == true && groups["biases"]?["decay"] == false && groups["norms"]?["decay"] == true)
        let history = try #require(run["history"] as? [[String: Any]])
        #expect(history.count == 6)
        for (i, h) in history.enumerated() {
            #expect(h["step"] as? Int == i + 1)
            for key in ["lr", "train_loss", "val_loss"] { #expect(h[key] is NSNumber, "history.\(key)") }
            let norms = try #require(h["norms"] as? [String: Double])
            #expect(Set(norms.keys) == ["weights", "biases", "norms"])
        }
    }

    /// Files whose data do not fit the model are rejected when read. Without
    /// that check they trap later, inside training (a label past the last
    /// logit indexes out of the row; a target row of the wrong width fails
    /// the loss's precondition; a token id past the table is silently
    /// clamped to the last row, where PyTorch raises). The rebuilt
    /// experiment is never trained here, so a missing check fails the test
    /// instead of crashing the test process.
    @Test func dataThatDoesNotFitTheModelIsRejected() throws {
        var spec = ExperimentSpec(data: DataSpec(kind: .spirals, trainCount: 9, validationCount: 9, classes: 3),
                                  model: ModelSpec(kind: .linear), optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.1), steps: 1)
        spec.seed = 28
        let e = Experiment(spec: spec)
        var badLabel = ExperimentFile(experiment: e)
        badLabel.data.train.y = .scalars([0, 1, 2, 0, 1, 7, 0, 1, 2])
        var fractionalLabel = ExperimentFile(experiment: e)
        fractionalLabel.data.val.y = .scalars([0, 1, 2, 0, 1.5, 2, 0, 1, 2])

        var tokenSpec = ExperimentSpec(
            data: DataSpec(kind: .tokens, trainCount: 6, validationCount: 6, vocabulary: 10, sequenceLength: 3),
            model: ModelSpec(kind: .embedding, embeddingDimension: 4), optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.1), steps: 1)
        tokenSpec.seed = 29
        var badToken = ExperimentFile(experiment: Experiment(spec: tokenSpec))
        badToken.data.train.x[2][1] = 10

        var mseSpec = ExperimentSpec(data: DataSpec(kind: .linearRegression, trainCount: 4, validationCount: 4, inputs: 3),
                                     model: ModelSpec(kind: .linear), optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.1), steps: 1)
        mseSpec.seed = 30
        var wideTargets = ExperimentFile(experiment: Experiment(spec: mseSpec))
        wideTargets.data.train.y = .rows([[1, 2], [3, 4], [5, 6], [7, 8]])

        var narrowInputs = ExperimentFile(experiment: Experiment(spec: mseSpec))
        narrowInputs.data.val.x = narrowInputs.data.val.x.map { Array($0.prefix(2)) }

        var ragged = ExperimentFile(experiment: Experiment(spec: mseSpec))
        ragged.data.train.x[1].append(9)

        for (name, file) in [("ragged train x", ragged), ("val x of 2 numbers for 3 inputs", narrowInputs), ("label 7 of 3 classes", badLabel), ("label 1.5", fractionalLabel),
                             ("token 10 of 10", badToken), ("2 targets for 1 output", wideTargets)] {
            #expect(throws: ExperimentFileError.self, "\(name) was accepted") { _ = try Experiment(file: file) }
        }
    }

    /// The reader says what is wrong, instead of trapping.
    @Test func badFilesAreErrorsWithAMessage() throws {
        var spec = ExperimentSpec(data: DataSpec(kind: .moons, trainCount: 8, validationCount: 8),
                                  model: ModelSpec(kind: .mlp, hidden: [3]), optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.1),
                                  steps: 2, batchSize: 4)
        spec.seed = 26
        let e = Experiment(spec: spec)
        e.advance(steps: 2)
        let good = ExperimentFile(experiment: e)
        var wrongFormat = good
        wrongFormat.format = "something/2"
        var badShape = good
        badShape.model[0].weight = [[1, 2, 3]]
        var badRow = good
        badRow.batchOrder = [[0, 99]]
        var badLayer = good
        badLayer.model[1].type = "sigmoid"
        var noRuns = good
        noRuns.runs = []
        for (bad, expected) in [(wrongFormat, "format"), (badShape, "weight"), (badRow, "batch_order"), (badLayer, "unknown layer"), (noRuns, "runs")] {
            do {
                _ = try Experiment(file: bad)
                Issue.record("accepted a file with a bad \(expected)")
            } catch let error as ExperimentFileError {
                #expect(error.description.contains(expected), "\(error)")
            }
        }
    }
}
