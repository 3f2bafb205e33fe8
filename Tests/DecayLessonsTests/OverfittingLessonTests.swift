import Testing
import BuildMode
import Foundation
import DecayEngine
@testable import DecayLessons

/// Every number the prose of `Lessons/01-overfitting.md` states, checked
/// against the engine on the real file's experiments.
@Suite struct OverfittingLessonTests {
    let lesson: Lesson

    init() throws {
        lesson = try LessonParser.parse(fileAt: (lessonsDirectory as NSString).appendingPathComponent("01-overfitting.md")).get()
    }

    private func trained(_ step: Int, steps: Int? = nil, lambda: Float? = nil, seed: UInt64 = 1) -> Experiment {
        var spec = lesson.steps[step].spec
        #expect(spec.seed == 1, "the lesson's own seed is claimSeeds' first")
        spec.seed = seed
        let e = Experiment(spec: spec)
        if let lambda { e.set(.lambda, to: lambda) }
        e.advance(steps: steps ?? spec.steps)
        return e
    }

    private func last(_ e: Experiment, _ run: String) -> HistoryEntry {
        e.runs.first { $0.name == run }!.history.last!
    }

    @Test func shape() {
        #expect(lesson.id == "overfitting")
        #expect(lesson.steps.map(\.title) == [
            "Watch a model memorize noise", "Find a λ that generalizes", "The same thing, as a picture",
        ])
        let spec = lesson.steps[0].spec
        #expect(spec.data.trainCount == 20 && spec.data.validationCount == 100 && spec.data.inputs == 200)
        #expect(spec.model.initialization == .normal(std: 1))
        #expect(spec.optimizer.kind == .sgd && spec.optimizer.learningRate == 0.003 && spec.batchSize == 5)
        #expect(spec.groups[.biases] == false)
        #expect(lesson.steps[2].charts == [.fit, .loss])
        #expect(!lesson.steps[0].prose.contains("```experiment"))
    }

    /// "the true weights are small (‖w‖ ≈ 0.14) … starts from w ~ N(0, 1):
    /// ‖w‖ ≈ 14.7 here, near √200 ≈ 14.1"; "1 − lr·λ = 0.991"; "400 steps (100 epochs)".
    @Test func step1Arithmetic() throws {
        let spec = lesson.steps[0].spec, prose = words(lesson.steps[0].prose)
        let e = Experiment(spec: spec)
        // The targets follow the prose's formula: what is left after it is
        // the noise alone (RMS within a fifth of σ over all 120 examples).
        let formula = try #require(captured(#"y = ([\d.]+) \+ ([\d.]+)·Σxᵢ \+ noise"#, in: prose))
        var residuals: [Double] = []
        for (x, y) in [(e.data.trainX, e.data.trainY), (e.data.validationX, e.data.validationY)] {
            for i in 0..<x.rows {
                let sum = (0..<x.columns).reduce(0.0) { $0 + Double(x[i, $1]) }
                residuals.append(Double(y[i, 0]) - formula[0] - formula[1] * sum)
            }
        }
        let rms = (residuals.map { $0 * $0 }.reduce(0, +) / Double(residuals.count)).squareRoot()
        #expect(abs(rms / Double(spec.data.noise) - 1) < 0.2, "residual RMS \(rms), noise \(spec.data.noise)")
        let inputs = Double(spec.data.inputs)
        #expect(prose.contains("(‖w‖ ≈ \(String(format: "%.2f", formula[1] * inputs.squareRoot())))"))
        let w0 = e.initialNetwork.parameters.first { $0.group == .weights }!
        #expect(prose.contains("‖w‖ ≈ \(String(format: "%.1f", w0.sumOfSquares.squareRoot())) here, near √\(spec.data.inputs) ≈ \(String(format: "%.1f", inputs.squareRoot()))"))
        let lambda = decimal(spec.resolvedRuns[1].weightDecay ?? spec.weightDecay)
        #expect(prose.contains("λ = \(written(lambda))**: each step also shrinks w by the factor 1 − lr·λ = \(written(1 - decimal(spec.optimizer.learningRate) * lambda))"))
        #expect(prose.contains("for \(spec.steps) steps (\(spec.steps * spec.batchSize! / spec.data.trainCount) epochs)"))
    }

    /// "λ = 0: training loss falls below 10⁻⁶ while validation loss stays
    /// above 100, and ‖w‖ stays above 13." "λ = 3: ‖w‖
    /// falls to ≈ 0.4 and validation loss ends near 0.2, over 500 times lower."
    /// "all of the above holds in each [of five draws]: with λ = 3, ‖w‖ ends
    /// between 0.35 and 0.41 and validation loss between 0.12 and 0.27,
    /// always over 500 times below λ = 0's."
    @Test(.optimizedOnly, arguments: claimSeeds) func step1Claims(seed: UInt64) {
        let e = trained(0, seed: seed)
        let free = last(e, "λ = 0"), decayed = last(e, "λ = 3")
        let start = e.initialNetwork.parameters.first { $0.group == .weights }!.sumOfSquares.squareRoot()
        #expect(free.step == 400)
        #expect(free[.trainLoss]! < 1e-6, "seed \(seed)")
        #expect(free[.validationLoss]! > 100, "seed \(seed)")
        #expect(free[.norm(.weights)]! > 13 && free[.norm(.weights)]! < start, "seed \(seed)")
        #expect(decayed[.norm(.weights)]! > 0.35 && decayed[.norm(.weights)]! < 0.41, "seed \(seed)")
        #expect(decayed[.validationLoss]! > 0.12 && decayed[.validationLoss]! < 0.27, "seed \(seed)")
        #expect(free[.validationLoss]! / decayed[.validationLoss]! > 500, "seed \(seed)")
        if seed == 1 {
            #expect(abs(decayed[.norm(.weights)]! - 0.4) < 0.05)
            #expect(abs(decayed[.validationLoss]! - 0.2) < 0.05)
        }
    }

    /// "The gradient of the training loss only moves w within the 20
    /// directions spanned by the training inputs; the other 180 keep their
    /// random start": w − w₀ of the λ = 0 run lies in the row space of X.
    @Test func step1UpdateStaysInTheSpanOfTheTrainingInputs() {
        let e = trained(0)
        let w0 = e.initialNetwork.parameters.first { $0.group == .weights }!.value.map(Double.init)
        let w = e.runs[0].network.parameters.first { $0.group == .weights }!.value.map(Double.init)
        var delta = zip(w, w0).map { $0 - $1 }
        let deltaNorm = delta.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(deltaNorm > 1, "training moved w")
        // Gram–Schmidt on the 20 training rows, then remove their span from Δw.
        var basis: [[Double]] = []
        for row in e.data.trainX.rowArrays {
            var v = row.map(Double.init)
            for b in basis {
                let d = zip(v, b).map(*).reduce(0, +)
                v = zip(v, b).map { $0 - d * $1 }
            }
            let n = v.map { $0 * $0 }.reduce(0, +).squareRoot()
            basis.append(v.map { $0 / n })
        }
        for b in basis {
            let d = zip(delta, b).map(*).reduce(0, +)
            delta = zip(delta, b).map { $0 - d * $1 }
        }
        let outside = delta.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(outside / deltaNorm < 1e-3)
    }

    /// "The yours run starts at λ = 0.01 … after 400 steps its validation
    /// loss is still above 100." "λ = 3 meets the goal by step 400; λ = 1
    /// gets there too, but needs more steps (about 1,100). Both hold on each
    /// of the five draws the tests train." The λ = 0 run is pinned.
    @Test(.optimizedOnly, arguments: claimSeeds) func step2Goal(seed: UInt64) throws {
        let step = lesson.steps[1]
        let goal = try #require(step.goal)
        #expect(step.spec.weightDecay == 0.01)

        let start = trained(1, seed: seed)
        #expect(last(start, "yours")[.validationLoss]! > 100, "seed \(seed)")
        #expect(goal.evaluate(start) != .met)

        let three = trained(1, lambda: 3, seed: seed)
        #expect(three.step == 400 && goal.evaluate(three) == .met, "seed \(seed)")
        #expect(three.runs.first { $0.name == "λ = 0" }!.settings.weightDecay == 0)

        let one = trained(1, lambda: 1, seed: seed)
        #expect(goal.evaluate(one) != .met)
        var metAt: Int?
        for _ in 0..<8 where metAt == nil {
            one.advance(steps: 100)
            if goal.evaluate(one) == .met { metAt = one.step }
        }
        #expect(metAt == 1100 || metAt == 1200, "seed \(seed): λ = 1 meets the goal at about 1,100 steps, not \(metAt ?? 0)")
    }

    /// "After 3000 steps, the λ = 0 fit has the lower training loss, yet its
    /// validation loss is more than three times higher: … it strays from the
    /// true curve by more than 3, while the λ = 0.003 fit stays within 0.3 of
    /// it everywhere on [−1, 1]. Its ‖w‖ is less than half." (this draw);
    /// on each of the five draws: "λ = 0 has the lower training loss and the
    /// higher validation loss (1.3 to 4.4 times), and λ = 0.003's ‖w‖ is less
    /// than half of λ = 0's". And: "thirteen parameters for twelve points".
    @Test(.optimizedOnly, arguments: claimSeeds) func step3Claims(seed: UInt64) {
        let spec = lesson.steps[2].spec
        #expect(spec.steps == 3000 && spec.data.trainCount == 12 && spec.data.degree == 12)
        let e = trained(2, seed: seed)
        #expect(e.initialNetwork.parameters.map(\.count).reduce(0, +) == 13)
        let free = last(e, "λ = 0"), decayed = last(e, "λ = 0.003")
        #expect(free[.trainLoss]! < decayed[.trainLoss]!, "seed \(seed)")
        let ratio = free[.validationLoss]! / decayed[.validationLoss]!
        #expect(ratio > 1.3 && ratio < 4.4, "seed \(seed): \(ratio)")
        #expect(decayed[.norm(.weights)]! < 0.5 * free[.norm(.weights)]!, "seed \(seed)")

        func maximumDeviation(_ run: TrainingRun) -> Float {
            let xs = (0...400).map { -1 + 2 * Double($0) / 400 }
            let x = Matrix(xs.map { v in (1...spec.data.degree).map { Float(pow(v, Double($0))) } })
            run.network.forward(x, training: false)
            return xs.indices.map { abs(run.network.output[$0, 0] - Float(DataSet.polynomialTruth(xs[$0]))) }.max()!
        }
        let strays = maximumDeviation(e.runs[0]), stays = maximumDeviation(e.runs[1])
        print("SEEDDEV \(seed) free \(strays) decayed \(stays) ratio \(ratio)")
        if seed == 1 {
            #expect(ratio > 3)
            #expect(strays > 3)
            #expect(stays < 0.3)
        }
    }
}
