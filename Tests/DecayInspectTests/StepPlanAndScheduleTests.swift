import Foundation
import Testing
@testable import DecayInspect

/// The step arithmetic and the schedules against hand-computed values.
@Suite struct StepPlanAndScheduleTests {
    func hf(_ edit: (inout TrainingConfig) -> Void) -> TrainingConfig {
        var c = TrainingConfig(format: .huggingFace, path: "args.json")
        edit(&c)
        return c
    }

    @Test func trainerRoundsBatchesAndUpdatesUp() throws {
        // 100 examples / 8 = 12.5 → 13 batches; 13 / 3 → 5 updates; 2.5 epochs → 12.5 → 13 steps.
        let c = hf { $0.batchSize = 8; $0.accumulation = 3; $0.epochs = 2.5; $0.warmup = .trainer(0.1) }
        let p = try StepPlan.make(c, examples: 100)
        #expect(p.updatesPerEpoch == 5)
        #expect(p.steps == 13)
        #expect(p.warmupSteps == 2)             // ⌈0.1 × 13⌉
        #expect(p.epochs == 2.5)
    }

    @Test func dropLastFloorsTheBatches() throws {
        let c = hf { $0.batchSize = 8; $0.accumulation = 5; $0.dropLast = true; $0.epochs = 1 }
        #expect(try StepPlan.make(c, examples: 100).steps == 3)       // ⌊100/8⌋ = 12 → ⌈12/5⌉ = 3
        #expect(throws: InspectError.self) { try StepPlan.make(c, examples: 7) }
    }

    @Test func warmupCountsAreTruncatedAndFractionsRoundedUp() throws {
        #expect(try StepPlan.make(hf { $0.maxSteps = 50; $0.warmup = .trainer(2.7) }, examples: nil).warmupSteps == 2)
        #expect(try StepPlan.make(hf { $0.maxSteps = 50; $0.warmup = .trainer(0.01) }, examples: nil).warmupSteps == 1)
        #expect(try StepPlan.make(hf { $0.maxSteps = 50; $0.warmup = .trainer(0) }, examples: nil).warmupSteps == 0)
    }

    @Test func maxStepsWinsAndGivesFractionalEpochs() throws {
        let p = try StepPlan.make(hf { $0.maxSteps = 30; $0.batchSize = 10 }, examples: 200)
        #expect(p.steps == 30)
        #expect(p.epochs == 1.5)
        #expect(try StepPlan.make(hf { $0.maxSteps = 30 }, examples: nil).epochs == nil)
    }

    @Test func undeterminedStepsNeedExamples() {
        do {
            _ = try StepPlan.make(hf { _ in }, examples: nil)
            Issue.record("expected an error")
        } catch let e as InspectError {
            #expect(e.kind == .usage)
            #expect(e.path == "args.json")
            #expect(e.hint?.contains("--examples") == true)
        } catch { Issue.record("\(error)") }
    }

    @Test func axolotlEstimatesStepsAndItsDefaultWarmup() throws {
        var c = TrainingConfig(format: .axolotl, path: "a.yml")
        c.batchSize = 2; c.accumulation = 8; c.epochs = 1; c.warmup = .axolotlDefault
        let p = try StepPlan.make(c, examples: 1000)
        #expect(p.steps == 63)                  // ⌈1000 / 16⌉
        #expect(p.warmupSteps == 2)             // ⌊0.03 × 63⌋ = 1, which Axolotl turns into 2
        c.warmup = .axolotlRatio(0.1)
        #expect(try StepPlan.make(c, examples: 1000).warmupSteps == 6)   // ⌊6.3⌋
        c.axolotl.batchSize = 100
        #expect(try StepPlan.make(c, examples: 1000).steps == 10)
        c.maxSteps = 40
        c.warmup = .axolotlDefault
        #expect(throws: InspectError.self) { try StepPlan.make(c, examples: nil) }
    }

    @Test func hostileCountsAreRefusedNotLooped() {
        #expect(throws: InspectError.self) { try StepPlan.make(hf { $0.maxSteps = Int.max }, examples: nil) }
        #expect(throws: InspectError.self) { try StepPlan.make(hf { $0.epochs = 1e300 }, examples: 10) }
        #expect(throws: InspectError.self) { try StepPlan.make(hf { $0.maxSteps = 10; $0.warmup = .trainer(1e300) }, examples: nil) }
    }

    func schedule(_ kind: LearningRateSchedule.Kind, warmup: Int = 10, total: Int = 110) -> LearningRateSchedule {
        LearningRateSchedule(kind: kind, peak: 1e-3, warmupSteps: warmup, totalSteps: total)
    }

    @Test func warmupStartsAtZeroAndReachesThePeak() {
        // The linear warm-ups of LambdaLR; the other shapes have tests of their own.
        let own: Set<LearningRateSchedule.Kind> = [.constant, .inverseSqrt, .cosineWithMinLR, .cosineWarmupWithMinLR,
                                                   .axolotlQuadraticWarmup, .oneCycle, .rex]
        for kind in LearningRateSchedule.Kind.allCases where !own.contains(kind) {
            let s = schedule(kind)
            #expect(s.rate(0) == 0, "\(kind)")
            #expect(s.rate(5) == 1e-3 * 0.5, "\(kind)")
            #expect(abs(s.rate(10) - 1e-3) < 1e-15, "\(kind)")
        }
        #expect(schedule(.constant).rate(0) == 1e-3)
    }

    @Test func decayShapes() {
        #expect(schedule(.linear).rate(60) == 1e-3 * 0.5)                       // halfway down
        #expect(abs(schedule(.cosine).rate(60) - 0.5e-3) < 1e-15)               // cos(π/2)
        #expect(abs(schedule(.cosineWithRestarts).rate(60) - 0.5e-3) < 1e-15)
        #expect(schedule(.constantWithWarmup).rate(109) == 1e-3)
        var p = schedule(.polynomial)
        p.power = 2
        #expect(abs(p.rate(60) - ((1e-3 - 1e-7) * 0.25 + 1e-7)) < 1e-18)       // (1 − ½)² of the range
        var m = schedule(.cosineWithMinLR)
        m.minLRRate = 0.1
        #expect(abs(m.rate(109) - 1e-4) < 1e-6)
        #expect(abs(schedule(.inverseSqrt).rate(40) - 1e-3 / 2) < 1e-15)       // 1/√(40/10)
    }

    @Test func constantShrinkIsAPower() {
        let s = LearningRateSchedule(kind: .constant, peak: 1e-3, warmupSteps: 0, totalSteps: 1000)
        let expected = pow(1 - 1e-3 * 0.1, 1000)
        #expect(abs(s.remainingFraction(weightDecay: 0.1) - expected) < 1e-13)
        #expect(s.remainingFraction(weightDecay: 0) == 1)
    }

    @Test func fromScratchVerdictsFollowTheGuideline() throws {
        func summary(lr: Double, lambda: Double, examples: Int?) throws -> ScheduleSummary {
            try ScheduleSummary(config: hf {
                $0.learningRate = lr; $0.weightDecay = lambda; $0.maxSteps = 1000; $0.batchSize = 10; $0.scheduler.kind = .constant
            }, examples: examples)
        }
        func kind(lr: Double, lambda: Double, examples: Int?) throws -> String {
            Verdict(summary: try summary(lr: lr, lambda: lambda, examples: examples), runKind: .fromScratch, adapter: nil).kind
        }
        // 1000 examples / 10 = 100 steps per epoch, 1000 steps in the run.
        #expect(try kind(lr: 1e-3, lambda: 0, examples: 1000) == "no_decay")
        #expect(try kind(lr: 1e-3, lambda: 0.1, examples: 1000) == "weak")            // τ = 10,000
        #expect(try kind(lr: 1e-3, lambda: 20, examples: 1000) == "strong")           // τ = 50
        let good = try summary(lr: 1e-3, lambda: 5, examples: 1000)                  // τ = 200
        #expect(Verdict(summary: good, runKind: .fromScratch, adapter: nil).kind == "within_guideline")
        #expect(good.timescaleSteps == 200)
        #expect(good.timescaleEpochs == 2)
        #expect(abs(good.lambdaForOneEpoch! - 10) < 1e-12)
        #expect(abs(good.lambdaForWholeRun! - 1) < 1e-12)
        #expect(try kind(lr: 1e-3, lambda: 5, examples: nil) == "within_run")
        #expect(try kind(lr: 1, lambda: 2, examples: nil) == "broken")
    }

    /// OneCycleLR divides by zero in a phase of length 0; PyTorch fails there, inspect refuses it.
    @Test func oneCycleRefusesAZeroLengthPhase() {
        var s = LearningRateSchedule(kind: .oneCycle, peak: 1e-3, warmupSteps: 1, totalSteps: 100)
        s.oneCycle.pctStart = 0.01          // phase one ends at 0.01 × 100 − 1 = 0
        #expect(s.oneCycleProblem?.contains("divides by zero") == true)
        s.oneCycle.pctStart = 0.3
        #expect(s.oneCycleProblem == nil)
        #expect(abs(s.rate(29) - 1e-3) < 1e-15)        // the peak at pct_start × steps − 1
        s.oneCycle.pctStart = 1.5
        #expect(s.oneCycleProblem?.contains("pct_start") == true)
    }
}
