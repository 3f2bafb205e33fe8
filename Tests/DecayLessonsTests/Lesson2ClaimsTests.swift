import Testing
import Foundation
import DecayEngine
@testable import DecayLessons

@Suite struct Lesson2ClaimsTests {

    /// "their losses and norms agree to about five significant digits after
    /// 400 steps … after a single step the weights agree to within one part
    /// in a million." "Move λ: both runs follow, and they stay on top of each other."
    @Test func l2PenaltyEqualsShrinkUnderSGD() throws {
        let spec = try load("02-l2-vs-decoupled-sgd.md").steps[0].spec
        #expect(spec.optimizer.kind == .sgd && spec.optimizer.momentum == 0)

        let one = trained(spec, steps: 1)
        for (a, b) in zip(one.runs[0].network.parameters, one.runs[1].network.parameters) {
            let scale = a.value.map(abs).max()!
            let diff = zip(a.value, b.value).map { abs($0 - $1) }.max()!
            #expect(diff <= 1e-6 * scale, "\(a.name)")
        }

        var quiet = spec
        quiet.evaluationInterval = 50
        let e = Experiment(spec: quiet)
        e.advance(steps: 200)
        e.set(.lambda, to: 0.05)
        e.advance(steps: 200)
        let l2 = run(e, "L2 penalty"), dec = run(e, "decoupled")
        #expect(l2.settings.decay == .l2 && dec.settings.decay == .decoupled)
        #expect(l2.settings.weightDecay == 0.05 && dec.settings.weightDecay == 0.05)
        var worst: Float = 0
        for (a, b) in zip(l2.history, dec.history) {
            #expect(a.step == b.step)
            worst = max(worst, abs(a[.trainLoss]! - b[.trainLoss]!) / a[.trainLoss]!,
                        abs(a[.norm(.weights)]! - b[.norm(.weights)]!) / a[.norm(.weights)]!)
            if a[.validationLoss] != nil { worst = max(worst, abs(a[.validationLoss]! - b[.validationLoss]!) / a[.validationLoss]!) }
        }
        #expect(worst < 5e-5, "relative difference \(worst)")

        // The question's claims: "Move λ to 1 and the weights shrink visibly:
        // both runs shrink together"; at λ = 0 too they move together.
        let at001 = weightNorm(trained(spec).runs[0])
        for lambda: Float in [1, 0] {
            let e = trained(spec, set: [(.lambda, lambda)])
            let a = weightNorm(e.runs[0]), b = weightNorm(e.runs[1])
            #expect(abs(a - b) <= 1e-4 * a, "λ = \(lambda): \(a) vs \(b)")
            if lambda == 1 { #expect(a < 0.7 * at001, "λ = 1: \(a) vs λ = 0.01: \(at001)") }
        }
        if case let .question(q) = try load("02-l2-vs-decoupled-sgd.md").steps[0].goal {
            #expect(q.choices.map(\.correct) == [true, false, false])
        } else { Issue.record("question") }
    }

    /// "The copied run ends with the larger weight norm."
    @Test func l2FactorOfTwo() throws {
        let step = try load("02-l2-vs-decoupled-sgd.md").steps[1]
        let e = trained(step.spec)
        let doubled = run(e, "paper λ doubled"), copied = run(e, "paper λ copied")
        #expect(doubled.settings.weightDecay == 2 * copied.settings.weightDecay)
        #expect(weightNorm(copied) > weightNorm(doubled))
        // The penalty reported beside the loss is (λ/2)·‖w‖² over decayed groups.
        let last = doubled.history.last!
        #expect(last[.penalty]! > 0)
        #expect(step.charts.contains(.penalty) && step.charts.contains(.loss))
        if case let .question(q) = step.goal { #expect(q.choices.filter(\.correct).map(\.text) == ["1e-3"]) } else { Issue.record("question") }
    }

    /// "They part: the decoupled one ends with a weight norm more than 25 %
    /// larger (in each of the five seeds the lesson's tests train)."
    /// "(lr 0.01, so the effective step lr/(1 − β) is the same 0.1 as before)".
    /// The goal's hint: "λ = 0.1 lands within 1 %; 0.05 ends about 15 %
    /// larger, 0.2 about 20 % smaller" (this draw).
    @Test(.optimizedOnly, arguments: claimSeeds) func l2MomentumPartsThem(seed: UInt64) throws {
        let step = try seededStep("02-l2-vs-decoupled-sgd.md", 2, seed: seed)
        let spec = step.spec
        #expect(abs(spec.optimizer.learningRate / (1 - spec.optimizer.momentum) - 0.1) < 1e-6)
        let e = trained(spec)
        let l2 = weightNorm(run(e, "L2, λ = 0.01")), dec = weightNorm(run(e, "decoupled, λ = 0.01"))
        #expect(dec > 1.25 * l2, "seed \(seed): \(dec) vs \(l2)")
        #expect(run(e, "decoupled, yours").settings.weightDecay == 0.01 && run(e, "decoupled, yours").settings.decay == .decoupled)
        if seed == 1 {
            func ratio(_ lambda: Float) -> Float {
                let m = trained(spec, set: [(.lambda, lambda)])
                return weightNorm(run(m, "decoupled, yours")) / weightNorm(run(m, "L2, λ = 0.01"))
            }
            #expect(abs(ratio(0.1) - 1) < 0.01)
            #expect(abs(ratio(0.05) - 1.15) < 0.03 && abs(ratio(0.2) - 0.8) < 0.03)
        }
    }

    /// "on this draw the copied run, decaying half as much, ends with the
    /// slightly lower validation loss (0.355 against 0.362), and it does on
    /// four of the five draws the lesson's tests train."
    @Test(.optimizedOnly) func l2CopiedIsNotWorseHere() throws {
        var lower = 0
        for seed in claimSeeds {
            let e = trained(try seededStep("02-l2-vs-decoupled-sgd.md", 1, seed: seed).spec)
            let copied = final(run(e, "paper λ copied"))[.validationLoss]!, doubled = final(run(e, "paper λ doubled"))[.validationLoss]!
            if copied < doubled { lower += 1 }
            if seed == 1 { #expect(abs(copied - 0.355) < 0.0005 && abs(doubled - 0.362) < 0.0005, "\(copied) \(doubled)") }
        }
        #expect(lower == 4)
    }
}
