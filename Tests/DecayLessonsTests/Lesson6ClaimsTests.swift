import Testing
import BuildMode
import Foundation
import DecayEngine
@testable import DecayLessons

@Suite struct Lesson6ClaimsTests {
    private func seeded(_ step: Int, _ seed: UInt64) throws -> Step { try seededStep("06-tuning-lambda.md", step, seed: seed) }

    /// "The best λ lies strictly inside the range, at 1 on this draw, and both
    /// ends are worse than it by a wide margin"; "at λ = 30 the validation loss
    /// sits at ln 2 ≈ 0.693". "On five draws … the bottom … is 1 in two of
    /// them, 3 in two and 0.3 in one, and λ = 0 and λ = 30 are at least 1.5
    /// times worse than it in every one." On the lesson's draw the goal
    /// (< 0.42) is met at λ = 1 and missed one grid cell either side, and the
    /// sweep's cells and the "yours" run are the same job.
    @Test(.optimizedOnly, arguments: claimSeeds) func l6UCurveAndGoal(seed: UInt64) throws {
        let bestPerSeed: [UInt64: Float] = [1: 1, 2: 3, 3: 1, 4: 0.3, 5: 3]
        let step = try seeded(0, seed)
        let sweepSpec = try #require(step.sweep)
        #expect(sweepSpec.learningRates == [step.spec.optimizer.learningRate])
        let sweep = Sweep(spec: step.spec, learningRates: sweepSpec.learningRates, lambdas: sweepSpec.lambdas, steps: sweepSpec.steps)
        var val: [Float: Float] = [:]
        for lambda in sweepSpec.lambdas {
            val[lambda] = sweep.trainCell(run: 0, learningRate: sweepSpec.learningRates[0], lambda: lambda)
        }
        let best = sweepSpec.lambdas.min { val[$0]! < val[$1]! }!
        #expect(best != sweepSpec.lambdas.first && best != sweepSpec.lambdas.last)
        #expect(best == bestPerSeed[seed], "seed \(seed): \(val)")
        #expect(val[0]! > 1.5 * val[best]! && val[30]! > 1.5 * val[best]!, "seed \(seed): \(val)")
        #expect(abs(val[30]! - 0.6931) < 0.005)
        guard seed == 1 else { return }

        #expect(val[0]! > 2 * val[best]!)
        let goal = try #require(step.goal)
        let atBest = trained(step.spec, set: [(.lambda, 1)])
        #expect(goal.evaluate(atBest) == .met)
        #expect(final(atBest.runs[0])[.validationLoss]! == val[1])
        guard case let .threshold(t) = goal else { Issue.record("threshold goal"); return }
        let met = val.mapValues { t.holds($0) }
        #expect(met[1] == true)
        for lambda: Float in [0.3, 3, 0.1, 10, 0] { #expect(met[lambda] == false, "λ = \(lambda)") }
        #expect(step.spec.weightDecay == 0.01 && met[0.01] == false)
        // "On this draw λ = 0.5 and 1 meet it (1 is the best, 0.35); 0.3 (0.48)
        // is too little and 2 (0.42) already too much."
        let between = trained(lambdaLadder(step.spec, [0.5, 2]))
        let more = finalValidationLoss(between, [0.5, 2])
        #expect(t.holds(more[0.5]!) && !t.holds(more[2]!), "\(more)")
        #expect(abs(val[1]! - 0.35) < 0.005 && abs(val[0.3]! - 0.48) < 0.005 && abs(more[2]! - 0.42) < 0.005)
    }

    /// 6:3: "on this draw λ = 1 has the higher validation accuracy (89.2 %
    /// against 87.8 %), though its validation loss is higher (0.39 against
    /// 0.33)." "The two metrics disagree on two of the five draws; … on the
    /// other three draws the accuracy agrees with it."
    @Test(.optimizedOnly) func l6AccuracyAndLossDisagree() throws {
        var disagree = 0
        for seed in claimSeeds {
            let e = trained(try seeded(2, seed).spec)
            let weak = final(run(e, "λ = 0.1")), strong = final(run(e, "λ = 1"))
            #expect(strong[.validationLoss]! > weak[.validationLoss]!, "seed \(seed)")
            if strong[.validationAccuracy]! > weak[.validationAccuracy]! { disagree += 1 }
            if seed == 1 {
                #expect(abs(strong[.validationAccuracy]! - 0.892) < 0.001 && abs(weak[.validationAccuracy]! - 0.878) < 0.001)
                #expect(abs(strong[.validationLoss]! - 0.39) < 0.005 && abs(weak[.validationLoss]! - 0.33) < 0.005)
            }
        }
        #expect(disagree == 2)
    }

    /// 60 points: "The stronger decay ends with the smaller gap … and the lower
    /// validation loss, in each of five draws." 200 points: "λ = 1 is no longer
    /// better than λ = 0.1 (on each of five draws)".
    @Test(.optimizedOnly, arguments: claimSeeds) func l6SmallDataWantsMoreDecay(seed: UInt64) throws {
        let small = trained(try seeded(1, seed).spec)
        #expect(small.data.trainX.rows == 60)
        func gap(_ r: TrainingRun, _ e: Experiment) -> Float {
            r.evaluate(x: e.data.validationX, y: e.data.validationY).loss - r.evaluate(x: e.data.trainX, y: e.data.trainY).loss
        }
        let weak = run(small, "λ = 0.1"), strong = run(small, "λ = 1")
        #expect(gap(strong, small) < gap(weak, small), "seed \(seed)")
        #expect(final(strong)[.validationLoss]! < final(weak)[.validationLoss]!, "seed \(seed)")

        let large = trained(try seeded(2, seed).spec)
        #expect(large.data.trainX.rows == 200)
        #expect(final(run(large, "λ = 1"))[.validationLoss]! >= final(run(large, "λ = 0.1"))[.validationLoss]!, "seed \(seed)")
    }
}
