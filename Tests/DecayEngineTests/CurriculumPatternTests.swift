import Testing
@testable import DecayEngine

// The textbook patterns the lessons (Lessons/*.md) stand on, reproduced by the
// engine on its own data (the pattern, not the book's exact numbers: our
// MSE is the mean of squares, the book's ½ of it).

@Suite("Curriculum anchors")
struct CurriculumPatternTests {
    /// Dive into Deep Learning, weight decay: 20 training points, 200 inputs,
    /// w ~ N(0, 1), minibatch 5, 100 epochs, lr 0.003, λ ∈ {0, 3}, bias not
    /// decayed. λ = 0 fits the training set and not the validation set, with a
    /// large ‖w‖; λ = 3 trains worse, validates better, with a small ‖w‖.
    @Test func textbookLinearRegression() throws {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .linearRegression),
            model: ModelSpec(kind: .linear, initialization: .normal(std: 1)),
            optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.003),
            weightDecay: 0, groups: [.biases: false], steps: 400, batchSize: 5,
            runs: [RunSpec(name: "λ = 0", weightDecay: 0), RunSpec(name: "λ = 3", weightDecay: 3)])
        spec.seed = 7
        let e = Experiment(spec: spec)
        e.advance(steps: 400)
        let none = try #require(e.runs[0].history.last), decayed = try #require(e.runs[1].history.last)
        let first = try #require(e.runs[0].history.first)
        let normNone = try #require(none[.norm(.weights)]), normDecayed = try #require(decayed[.norm(.weights)])
        #expect(normNone > 10, "‖w‖ without decay: \(normNone)")             // starts at ≈ √200 ≈ 14
        #expect(normDecayed < 1, "‖w‖ with λ = 3: \(normDecayed)")
        #expect(none[.trainLoss]! < 0.1 * first[.trainLoss]!, "λ = 0 fits the training set")
        #expect(none[.trainLoss]! < decayed[.trainLoss]!)
        #expect(decayed[.validationLoss]! < 0.1 * none[.validationLoss]!,
                "validation: λ = 3 \(decayed[.validationLoss]!) vs λ = 0 \(none[.validationLoss]!)")
        // The bias is excluded: the decay part of its update is zero throughout.
        #expect(e.runs[1].history.allSatisfy { $0[.decayShare(.biases)] == 0 })
    }
}
