import Testing
import Foundation
import DecayEngine
@testable import DecayLessons

@Suite struct Lesson6ClaimsTests {

    /// "The best λ lies strictly inside the range, near 1, and both ends are
    /// worse than it by a wide margin"; "at λ = 30 the validation loss sits at
    /// ln 2 ≈ 0.693". The goal (< 0.42) is met at λ = 1 and missed one grid
    /// cell either side. The sweep's cells and the "yours" run are the same job.
    @Test func l6UCurveAndGoal() throws {
        let step = try load("06-tuning-lambda.md").steps[0]
        let sweepSpec = try #require(step.sweep)
        let goal = try #require(step.goal)
        #expect(sweepSpec.learningRates == [step.spec.optimizer.learningRate])
        let sweep = Sweep(spec: step.spec, learningRates: sweepSpec.learningRates, lambdas: sweepSpec.lambdas, steps: sweepSpec.steps)
        var val: [Float: Float] = [:]
        for lambda in sweepSpec.lambdas {
            val[lambda] = sweep.evaluate(run: 0, learningRate: sweepSpec.learningRates[0], lambda: lambda)
        }
        // The goal on the tutor's own run, at the best λ: the same job as that cell.
        let atBest = trained(step.spec, set: [(.lambda, 1)])
        #expect(goal.evaluate(atBest) == .met)
        #expect(final(atBest.runs[0]).validationLoss == val[1])
        guard case let .threshold(t) = goal else { Issue.record("threshold goal"); return }
        let met = val.mapValues { $0 < t.value }

        let best = sweepSpec.lambdas.min { val[$0]! < val[$1]! }!
        #expect(best != sweepSpec.lambdas.first && best != sweepSpec.lambdas.last)
        #expect(best == 1, "\(val)")
        #expect(val[0]! > 2 * val[best]! && val[30]! > 1.5 * val[best]!)
        #expect(abs(val[30]! - 0.6931) < 0.005)
        #expect(met[1] == true)
        for lambda: Float in [0.3, 3, 0.1, 10, 0] { #expect(met[lambda] == false, "λ = \(lambda)") }
        #expect(step.spec.weightDecay == 0.01 && met[0.01] == false)
    }

    /// 60 points: "The stronger decay ends with the smaller gap … and the lower
    /// validation loss." 200 points: "λ = 1 is no longer better than λ = 0.1".
    @Test func l6SmallDataWantsMoreDecay() throws {
        let lesson = try load("06-tuning-lambda.md")
        let small = trained(lesson.steps[1].spec)
        #expect(small.data.trainX.rows == 60)
        func gap(_ r: TrainingRun, _ e: Experiment) -> Float {
            r.evaluate(x: e.data.validationX, y: e.data.validationY).loss - r.evaluate(x: e.data.trainX, y: e.data.trainY).loss
        }
        let weak = run(small, "λ = 0.1"), strong = run(small, "λ = 1")
        #expect(gap(strong, small) < gap(weak, small))
        #expect(final(strong).validationLoss - final(strong).trainLoss < final(weak).validationLoss - final(weak).trainLoss)
        #expect(final(strong).validationLoss < final(weak).validationLoss)

        let large = trained(lesson.steps[2].spec)
        #expect(large.data.trainX.rows == 200)
        #expect(final(run(large, "λ = 1")).validationLoss >= final(run(large, "λ = 0.1")).validationLoss)
    }
}
