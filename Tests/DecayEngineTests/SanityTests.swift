import Testing
@testable import DecayEngine

@Test func textbookLinearRegressionOverfitsWithoutDecay() {
    var spec = ExperimentSpec(
        data: DataSpec(kind: .linearRegression),
        model: ModelSpec(kind: .linear, initialization: .normal(std: 1)),
        optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.003),
        weightDecay: 0, groups: [.biases: false], steps: 400, batchSize: 5,
        runs: [RunSpec(name: "λ = 0", weightDecay: 0), RunSpec(name: "λ = 3", weightDecay: 3)])
    spec.seed = 7
    let e = Experiment(spec: spec)
    e.advance(steps: 400)
    for r in e.runs {
        let last = r.history.last!
        print(r.name, last.trainLoss, last.validationLoss, last.norms[.weights]!)
    }
}
