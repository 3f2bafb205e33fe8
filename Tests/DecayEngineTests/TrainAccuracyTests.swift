import Foundation
import Testing
@testable import DecayEngine

/// Training-set accuracy is measured where validation is, on the whole
/// training set in evaluation mode; the `acc_gap` metric is train minus
/// validation accuracy. The expected values are counted here from the
/// network's logits, not taken from the engine's loss code.
@Suite struct TrainAccuracyTests {
    static func counted(_ network: Network, x: Matrix, labels: Matrix) -> Float {
        network.forward(x, training: false)
        let out = network.output, c = out.columns
        var correct = 0
        for i in 0..<out.rows {
            let row = Array(out.storage[(i * c)..<((i + 1) * c)])
            let arg = row.indices.max { row[$0] < row[$1] }!
            if arg == Int(labels.storage[i]) { correct += 1 }
        }
        return Float(correct) / Float(out.rows)
    }

    @Test func measuredOnTheWholeTrainingSetAtEvaluationPoints() {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .moons, trainCount: 60, validationCount: 40),
            model: ModelSpec(kind: .mlp, hidden: [16], activation: .tanh, dropoutLayers: true),
            optimizer: OptimizerSpec(kind: .adam, learningRate: 0.02), decay: .decoupled, weightDecay: 0.01,
            dropout: 0.3, steps: 40, batchSize: 8, runs: [RunSpec(name: "a")])
        spec.evaluationInterval = 10
        let e = Experiment(spec: spec)
        e.advance(steps: 40)
        let run = e.runs[0]
        let points = run.history.filter(\.isEvaluationPoint)
        #expect(points.map(\.step) == [10, 20, 30, 40])
        #expect(run.history.filter { !$0.isEvaluationPoint }.allSatisfy { $0[.trainAccuracy] == nil })
        let last = points.last!
        let expected = Self.counted(run.network, x: e.data.trainX, labels: e.data.trainY)
        #expect(last[.trainAccuracy] == expected, "\(String(describing: last[.trainAccuracy])) vs \(expected)")
        // Dropout is off in evaluation mode: counting again gives the same.
        #expect(Self.counted(run.network, x: e.data.trainX, labels: e.data.trainY) == expected)
        #expect(last[.trainAccuracy] == expected)
        let gap = last[.accuracyGap]!
        #expect(abs(gap - (expected - last[.validationAccuracy]!)) < 1e-7)
        #expect(Metric(name: "train_accuracy") == .trainAccuracy && Metric(name: "acc_gap") == .accuracyGap)
        #expect(!Metric.trainAccuracy.lowerIsBetter && Metric.accuracyGap.lowerIsBetter)
    }

    @Test func regressionHasNoAccuracy() {
        let spec = ExperimentSpec(
            data: DataSpec(kind: .linearRegression), model: ModelSpec(kind: .linear),
            optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.003), steps: 10, batchSize: 5, runs: [RunSpec(name: "a")])
        let e = Experiment(spec: spec)
        e.advance(steps: 10)
        let last = e.runs[0].history.last!
        #expect(last.isEvaluationPoint && last[.trainAccuracy] == nil)
        #expect(last[.accuracyGap] == nil)
    }
}
