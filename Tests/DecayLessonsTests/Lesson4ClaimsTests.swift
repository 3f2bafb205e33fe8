import Testing
import Foundation
import DecayEngine
@testable import DecayLessons

@Suite struct Lesson4ClaimsTests {

    /// "Each of the three regularized runs ends with a smaller gap, and both
    /// ends with the lowest validation loss of the four. decay ends with
    /// smaller weights than neither." "Their gap stays smaller than neither's
    /// either way" (evaluation-mode training loss).
    @Test func l4DropoutAndDecay() throws {
        let e = trained(try load("04-dropout-vs-decay.md").steps[0].spec)
        func gap(_ name: String) -> Float { let l = final(run(e, name)); return l.validationLoss - l.trainLoss }
        func evalGap(_ name: String) -> Float {
            let r = run(e, name)
            return r.evaluate(x: e.data.validationX, y: e.data.validationY).loss - r.evaluate(x: e.data.trainX, y: e.data.trainY).loss
        }
        for name in ["decay", "dropout", "both"] {
            #expect(gap(name) < gap("neither"), "\(name)")
            #expect(evalGap(name) < evalGap("neither"), "\(name)")
        }
        let val = ["neither", "decay", "dropout", "both"].map { final(run(e, $0)).validationLoss }
        #expect(val.min() == val[3], "\(val)")
        #expect(weightNorm(run(e, "decay")) < weightNorm(run(e, "neither")))
        #expect(run(e, "dropout").settings.dropout == 0.3 && run(e, "both").settings.weightDecay == 0.1)
    }

    /// "Yours starts with no regularization at all … λ = 0.1 with p = 0.3
    /// does it." At its defaults (0, 0) *yours* trains exactly as *neither*,
    /// whose validation loss the goal's 0.6 must not admit.
    @Test func l4YourMix() throws {
        let step = try load("04-dropout-vs-decay.md").steps[1]
        let goal = try #require(step.goal)
        let mixed = trained(step.spec, set: [(.lambda, 0.1), (.dropout, 0.3)])
        #expect(goal.evaluate(mixed) == .met)
        let yoursSpec = try #require(step.spec.runs.first { $0.name == "yours" })
        #expect(yoursSpec.weightDecay == nil && yoursSpec.dropout == nil)
        #expect(step.spec.weightDecay == 0 && step.spec.dropout == 0)
        #expect(run(mixed, "neither").settings.weightDecay == 0 && run(mixed, "neither").settings.dropout == 0)
        #expect(final(run(mixed, "neither")).validationLoss >= 0.6)
    }
}
