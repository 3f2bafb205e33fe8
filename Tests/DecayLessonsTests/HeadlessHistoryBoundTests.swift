import Testing
import Foundation
import DecayEngine
@testable import DecayLessons

/// `run` and `export` keep every step's history only while all of it fits
/// in a fixed budget: a long run of many runs thins its history (`run`) or
/// is refused before training (`export`), instead of growing with steps.
@Suite struct HeadlessHistoryBoundTests {
    /// A small lesson whose runs × seeds is `seeds` × 2.
    static func lesson(seeds: Int, steps: Int) throws -> Step {
        let text = """
        data = linreg
        train = 16
        val = 8
        inputs = 2
        model = linear
        optimizer = sgd
        steps = \(steps)
        seeds = \(seeds)
        controls = []

        [run "a"]
        lambda = 0
        [run "b"]
        lambda = 0.1
        """
        return try parsed(step(text)).steps[0]
    }

    @Test func aShortRunKeepsEveryStep() throws {
        let spec = try Self.lesson(seeds: 1, steps: 2000).spec
        #expect(ResourceEstimate.headlessHistoryCapacity(spec: spec) == 2001)
    }

    /// The case: thousands of runs' worth at 100,000 steps. The
    /// capacity stops where the histories fill the budget, so the bytes
    /// they can take no longer depend on the step count.
    @Test(arguments: [10_000, 100_000])
    func manyLongRunsKeepOnlyWhatFitsTheBudget(steps: Int) throws {
        var spec = try Self.lesson(seeds: 16, steps: steps).spec
        spec.steps = steps
        let capacity = ResourceEstimate.headlessHistoryCapacity(spec: spec)
        let runs = 32
        let oneEntry = ResourceEstimate(spec: spec, historyCapacity: 1).historyBytes / runs
        #expect(oneEntry > 0)
        #expect(capacity >= ResourceEstimate.historyCapacity)
        if steps == 100_000 {
            #expect(capacity <= steps, "every step would be kept: \(capacity)")
            #expect(capacity * runs * oneEntry <= ResourceEstimate.headlessHistoryBudget)
            #expect((capacity + runs) * runs * oneEntry > ResourceEstimate.headlessHistoryBudget / 2)
        } else {
            #expect(capacity == steps + 1)
        }
    }

    /// An entry is counted at no less than the engine stores for it.
    @Test func anEntryIsCountedAtLeastAsLargeAsItIsStored() throws {
        let spec = try Self.lesson(seeds: 1, steps: 10).spec
        let e = Experiment(spec: spec, historyCapacity: 4)
        let width = e.runs[0].history.layout.width
        let perRun = ResourceEstimate(spec: spec, historyCapacity: 1).historyBytes / 2
        #expect(perRun >= 4 * width + 8 + 4 + 4, "counted \(perRun) bytes, stored \(4 * width) + the record")
    }

    @Test func anExportThatCannotKeepEveryStepIsRefusedBeforeTraining() throws {
        let step = try Self.lesson(seeds: 16, steps: 100)
        let clock = ContinuousClock.now
        #expect {
            _ = try StepExport.trainedExperiment(step: step, settings: StepSettings(), steps: 100_000)
        } throws: { error in
            guard let failure = error as? StepExport.Failure else { return false }
            return failure.kind == .usage && failure.message.contains("at most") && failure.message.contains("--steps")
        }
        #expect(ContinuousClock.now - clock < .seconds(5), "it trained before refusing")
    }

    /// A history at its capacity keeps the whole span at a coarser grain:
    /// what `run` prints for a run longer than its history.
    @Test func aThinnedHeadlessRunStillEndsAtItsLastStep() throws {
        var spec = try Self.lesson(seeds: 1, steps: 300).spec
        spec.steps = 300
        let e = try #require(StepExport.trained(spec, historyCapacity: 64))
        for run in e.runs {
            #expect(run.history.count <= 64)
            #expect(run.history.first.map { $0.step <= run.history.stride } == true)
            #expect(run.history.last.map { $0.step >= 300 - run.history.stride } == true)
            #expect(run.history.stride > 1)
        }
    }
}
