import Testing
import Foundation
import DecayEngine
@testable import DecayLessons

/// `seeds = N`: a run trained at several seeds, for a band with its median.
@Suite struct SeedsTests {
    static let block = """
        data = moons
        train = 40
        val = 40
        model = mlp
        hidden = [8]
        optimizer = adamw
        lr = 0.01
        lambda = 0.1
        steps = 30
        batch = 10
        eval_every = 10
        seeds = 3
        controls = [lambda]

        [run "yours"]

        [run "one seed"]
        seeds = 1
        lambda = 1

        [run "five seeds"]
        seeds = 5
        """

    /// Histories equal to the bit (NaN, where validation was skipped, included).
    static func same(_ a: History, _ b: History) -> Bool {
        a.count == b.count && !a.isEmpty && zip(a, b).allSatisfy { x, y in
            x.step == y.step && x[.trainLoss]?.bitPattern == y[.trainLoss]?.bitPattern
                && x[.validationLoss]?.bitPattern == y[.validationLoss]?.bitPattern && x[.norm(.weights)] == y[.norm(.weights)]
        }
    }

    static func spec() throws -> ExperimentSpec {
        try LessonParser.parse(step(block), path: "s.md").get().steps[0].spec
    }

    @Test func theKeyIsReadAtTheTopAndPerRun() throws {
        let spec = try Self.spec()
        #expect(spec.seeds == 3)
        #expect(spec.resolvedRuns.map(\.seeds) == [nil, 1, 5])
        #expect((0..<3).map(spec.seedCount(ofRun:)) == [3, 1, 5] && spec.maxSeedCount == 5)
        #expect(spec.seedSpec(offset: 2)?.runs.map(\.name) == ["yours", "five seeds"])
        #expect(spec.seedSpec(offset: 3)?.runs.map(\.name) == ["five seeds"])
        #expect(spec.seedSpec(offset: 3)?.seed == spec.seed + 3)
        #expect(spec.seedSpec(offset: 1)?.runs.map(\.name) == ["yours", "five seeds"])
        #expect(spec.seedSpec(offset: 5) == nil)
        let plain = try LessonParser.parse(step("data = linreg\nmodel = linear\noptimizer = sgd"), path: "p.md").get()
        #expect(plain.steps[0].spec.maxSeedCount == 1)
    }

    @Test(arguments: ["seeds = 0", "seeds = 17", "seeds = 2.5", "seeds = many"])
    func aBadCountIsALocatedError(line: String) {
        let text = step("data = linreg\nmodel = linear\noptimizer = sgd\n\(line)")
        guard case let .failure(errors) = LessonParser.parse(text, path: "bad.md") else {
            Issue.record("\(line) accepted"); return
        }
        #expect(errors.errors.contains { $0.line == 11 && $0.description.contains("seeds") }, "\(errors)")
    }

    @Test func aBadCountInARunPointsAtItsLine() {
        let text = step("data = linreg\nmodel = linear\noptimizer = sgd\n\n[run \"a\"]\nseeds = 20")
        guard case let .failure(errors) = LessonParser.parse(text, path: "bad.md") else { Issue.record("accepted"); return }
        #expect(errors.errors.contains { $0.line == 13 && $0.description.contains("1") && $0.description.contains("16") }, "\(errors)")
    }

    /// The extra seeds start elsewhere but train on the step's data and
    /// minibatches; seed offset 0 is exactly the step's experiment.
    @Test func seedsShareDataAndBatchesAndDifferInTheirStart() throws {
        let spec = try Self.spec()
        let seeded = SeededExperiment(spec: spec)
        #expect(seeded.all.count == 5 && seeded.extra.map { $0.runs.count } == [2, 2, 1, 1])
        let plain = Experiment(spec: spec)
        seeded.advance(steps: 30)
        plain.advance(steps: 30)
        for (a, b) in zip(seeded.base.runs, plain.runs) { #expect(Self.same(a.history, b.history)) }
        for e in seeded.extra {
            #expect(e.data.trainX.storage == seeded.base.data.trainX.storage && e.data.validationY.storage == seeded.base.data.validationY.storage)
            #expect(e.batchListing(steps: 30) == seeded.base.batchListing(steps: 30))
            #expect(e.initialNetwork.parameters[0].value != seeded.base.initialNetwork.parameters[0].value)
        }
        let five = seeded.seeds(of: "five seeds").map { $0.history.last![.validationLoss]! }
        #expect(five.count == 5 && Set(five).count == 5, "\(five)")
        #expect(seeded.seeds(of: "one seed").count == 1 && seeded.seeds(of: "yours").count == 3)
    }

    /// The median history takes the middle seed at each step, field by field.
    @Test func medianIsTheMiddleSeed() throws {
        let seeded = SeededExperiment(spec: try Self.spec())
        seeded.advance(steps: 30)
        let runs = seeded.seeds(of: "five seeds")
        let median = seeded.medianHistory(of: "five seeds")
        #expect(median.count == runs[0].history.count)
        for (i, entry) in median.enumerated() {
            let val = runs.map { $0.history[i][.validationLoss] ?? .nan }
            if val[0].isNaN { #expect(entry[.validationLoss] == nil); continue }
            #expect(entry[.validationLoss]! == val.sorted()[2])
            #expect(entry[.norm(.weights)] == runs.map { $0.history[i][.norm(.weights)]! }.sorted()[2])
        }
        #expect(SeedStatistics.median([3, 1, 2, 10]) == 2.5 && SeedStatistics.median([1, .nan]).isNaN)
        let low = SeedStatistics.minimum(runs.map(\.history)), high = SeedStatistics.maximum(runs.map(\.history))
        #expect(low.last![.validationLoss]! == runs.map { $0.history.last![.validationLoss]! }.min())
        #expect(high.last![.validationLoss]! == runs.map { $0.history.last![.validationLoss]! }.max())
    }

    /// Every recorded metric is reduced across seeds, the distance from θ₀
    /// included (it once kept seed 0's value, so a band of it had no width).
    @Test func everyRecordedMetricIsReduced() throws {
        let text = step(Self.block.replacingOccurrences(of: "controls = [lambda]", with: "controls = [lambda]\ncharts = [loss, distance]"))
        let spec = try LessonParser.parse(text, path: "s.md").get().steps[0].spec
        #expect(spec.measuresDistanceFromInit)
        let seeded = SeededExperiment(spec: spec)
        seeded.advance(steps: 30)
        let runs = seeded.seeds(of: "five seeds")
        let layout = runs[0].layout
        #expect(layout.records(.distanceFromInit))
        let median = seeded.medianHistory(of: "five seeds")
        let low = SeedStatistics.minimum(runs.map(\.history)), high = SeedStatistics.maximum(runs.map(\.history))
        for i in [0, 9, 29] {
            for metric in layout.metrics {
                let seen = runs.compactMap { $0.history[i][metric] }
                guard seen.count == runs.count else {
                    #expect(median[i][metric] == nil, "\(metric) at step \(i + 1)"); continue
                }
                #expect(median[i][metric] == seen.sorted()[2], "\(metric) at step \(i + 1)")
                #expect(low[i][metric] == seen.min() && high[i][metric] == seen.max(), "\(metric) at step \(i + 1)")
            }
        }
        let spread = try #require(high.last?[.distanceFromInit]) - #require(low.last?[.distanceFromInit])
        #expect(spread > 0)
    }

    @Test func controlsMoveEverySeed() throws {
        let seeded = SeededExperiment(spec: try Self.spec())
        seeded.advance(steps: 5)
        seeded.set(.lambda, to: 0.5)
        seeded.advance(steps: 5)
        #expect(seeded.seeds(of: "five seeds").allSatisfy { $0.settings.weightDecay == 0.5 && $0.history.last!.weightDecay == 0.5 })
        #expect(seeded.seeds(of: "one seed").allSatisfy { $0.settings.weightDecay == 1 })
        seeded.restart()
        #expect(seeded.all.allSatisfy { $0.step == 0 })
    }

    /// A goal on a banded run is judged on its median: a threshold between
    /// the best seed and the median is not met.
    @Test func goalsJudgeTheMedian() throws {
        let seeded = SeededExperiment(spec: try Self.spec())
        seeded.advance(steps: 30)
        let finals = seeded.seeds(of: "five seeds").map { $0.history.last![.validationLoss]! }.sorted()
        let between = (finals[0] + finals[2]) / 2
        let goal = Goal.threshold(.init(run: "five seeds", metric: .validationLoss, comparison: .below, value: between, minSteps: 30, prompt: "p"))
        #expect(goal.evaluate(seeded) != .met)
        // The best seed alone meets it: the median is what keeps it unmet.
        #expect(finals[0] < between)
        let above = Goal.threshold(.init(run: "five seeds", metric: .validationLoss, comparison: .below, value: finals[2] * 1.0001, minSteps: 30, prompt: "p"))
        #expect(above.evaluate(seeded) == .met)
    }

    /// Headless output and export see each seed as a run of its own, trained
    /// exactly as in the tutor.
    @Test func flattenedHoldsEverySeedAsARun() throws {
        let spec = try Self.spec()
        let flat = SeededExperiment.flattened(spec: spec)
        #expect(flat.runs.map(\.name) == ["yours, seed 1", "yours, seed 2", "yours, seed 3", "one seed",
                                          "five seeds, seed 1", "five seeds, seed 2", "five seeds, seed 3", "five seeds, seed 4", "five seeds, seed 5"])
        let seeded = SeededExperiment(spec: spec)
        flat.advance(steps: 30)
        seeded.advance(steps: 30)
        let same = zip(flat.runs.suffix(5), seeded.seeds(of: "five seeds")).allSatisfy { Self.same($0.history, $1.history) }
        #expect(same)
        #expect(Self.same(flat.runs[3].history, seeded.base.runs[1].history))
        #expect(!Self.same(flat.runs[4].history, flat.runs[5].history))
        let file = ExperimentFile(experiment: flat)
        #expect(file.runs.count == 9 && file.runs[0].model == nil && file.runs[1].model != nil)
    }
}
