import Foundation
import Testing
@testable import DecayEngine

/// The background lr × λ grid: worker threads must give exactly the numbers a
/// serial training of each cell gives, and stop when cancelled, mid-cell.
@Suite struct SweepTests {
    static let spec = ExperimentSpec(
        data: DataSpec(kind: .moons, trainCount: 40, validationCount: 40),
        model: ModelSpec(kind: .mlp, hidden: [8]),
        optimizer: OptimizerSpec(kind: .adam, learningRate: 0.01),
        steps: 30, batchSize: 10,
        runs: [RunSpec(name: "Adam + L2", optimizer: .adam), RunSpec(name: "AdamW", optimizer: .adamw)])

    @Test func workersAgreeWithSerialEvaluationCellByCell() {
        let sweep = Sweep(spec: Self.spec, learningRates: [0.003, 0.01, 0.03], lambdas: [0, 0.01, 0.1, 1], steps: 30)
        let seen = Counter()
        sweep.run(workers: 2) { _ in seen.increment() }
        #expect(sweep.finished.count == 24)
        #expect(seen.value == 24)
        for r in 0..<2 {
            let grid = sweep.grid(run: r)
            #expect(grid.count == 3 && grid.allSatisfy { $0.count == 4 })
            for (i, lr) in sweep.learningRates.enumerated() {
                for (j, lambda) in sweep.lambdas.enumerated() {
                    let serial = sweep.trainCell(run: r, learningRate: lr, lambda: lambda)
                    #expect(grid[i][j].bitPattern == serial?.bitPattern, "run \(r) lr \(lr) λ \(lambda)")
                }
            }
        }
        // A sweep's cells are real trainings: decay changes the result.
        #expect(sweep.grid(run: 1)[1][0] != sweep.grid(run: 1)[1][3])
    }

    /// A cell's value is the metric the sweep names, read from a training
    /// done here by hand: the gap is validation minus training loss, a norm
    /// the parameters' norm — not validation loss under another label.
    @Test(arguments: [Metric.gap, .norm(.weights), .norm(.biases), .trainLoss, .validationAccuracy])
    func cellsMeasureTheNamedMetric(metric: Metric) throws {
        let sweep = Sweep(spec: Self.spec, learningRates: [0.01], lambdas: [0.1], steps: 12, metric: metric)
        var single = Self.spec
        single.runs = [RunSpec(name: "AdamW", optimizer: .adamw, weightDecay: 0.1, learningRate: 0.01)]
        single.steps = 12
        single.evaluationInterval = 12
        let e = Experiment(spec: single)
        e.advance(steps: 12)
        let last = try #require(e.runs[0].history.last)
        let expected: Float = switch metric {
        case .gap: last[.validationLoss]! - last[.trainLoss]!
        case .norm(.weights): e.runs[0].network.parameters.filter { $0.group == .weights }
            .reduce(0) { $0 + $1.sumOfSquares }.squareRoot()
        case .norm(.biases): e.runs[0].network.parameters.filter { $0.group == .biases }
            .reduce(0) { $0 + $1.sumOfSquares }.squareRoot()
        case .trainLoss: last[.trainLoss]!
        default: try #require(last[.validationAccuracy])
        }
        let value = try #require(sweep.trainCell(run: 1, learningRate: 0.01, lambda: 0.1))
        #expect(abs(value - expected) <= 1e-6 * max(abs(expected), 1), "\(metric.name)")
        #expect(value != last[.validationLoss]!)
    }

    @Test func metricsLabelWhatTheyMeasure() {
        #expect(Metric.gap.label.contains("gap"))
        #expect(!Metric.gap.isLogScaled)
        #expect(Metric.norm(.weights).label == "norm of weights")
        #expect(Metric.validationAccuracy.lowerIsBetter == false)
        for m in Metric.all {
            #expect(Metric(name: m.name) == m)
            #expect(m.label.allSatisfy { $0.isASCII })
        }
        #expect(Set(Metric.all.map(\.label)).count == Metric.all.count)
    }

    @Test func cancelStopsHandingOutCells() {
        let sweep = Sweep(spec: Self.spec, learningRates: [0.003, 0.01, 0.03, 0.1], lambdas: [0, 0.01, 0.1, 1, 3], steps: 30)
        sweep.run(workers: 2) { _ in sweep.cancel() }
        // The first cell to finish cancels; the other worker's cell is
        // recorded only if it had finished too.
        #expect(sweep.finished.count >= 1 && sweep.finished.count <= 2)
        #expect(sweep.busyWorkers == 0)
    }

    /// Cancelling stops the cells in training, not only the handing out:
    /// cells far too long to finish are in training, and every worker has
    /// let go within 100 ms of `cancel()`, recording nothing more.
    /// `concurrentPerform` may start the second worker late when the test
    /// run keeps the thread pool busy, so the test waits for both but
    /// needs only one in a cell, and counts the cells finished before the
    /// cancel instead of assuming none.
    @Test func aCancelledSweepsWorkersAreIdleWithin100Milliseconds() throws {
        let sweep = Sweep(spec: Self.spec, learningRates: [0.01, 0.03], lambdas: [0, 0.1], steps: 200_000)
        sweep.start(workers: 2) { _ in }
        let started = Date()
        while sweep.busyWorkers < 2 && Date().timeIntervalSince(started) < 10 { usleep(1000) }
        try #require(sweep.busyWorkers >= 1, "the workers never started")
        usleep(20_000)                                     // well inside a cell
        let finishedBefore = sweep.finished.count
        sweep.cancel()
        let cancelled = Date()
        while sweep.busyWorkers > 0 && Date().timeIntervalSince(cancelled) < 5 { usleep(500) }
        let idleAfter = Date().timeIntervalSince(cancelled)
        #expect(sweep.busyWorkers == 0)
        #expect(idleAfter < 0.1, "workers busy \(Int(idleAfter * 1000)) ms after cancel()")
        #expect(sweep.finished.count == finishedBefore, "a cell in training when cancelled was recorded")
        #expect(finishedBefore < 4, "every cell finished before the cancel: the cells are too short to test it")
    }

    /// The heatmaps of a step fill together: the runs' cells are handed out
    /// in turn, so the first cells to finish are one per run, in the order
    /// lr-major then λ within each run.
    @Test func runsFillTheirHeatmapsInTurn() {
        let sweep = Sweep(spec: Self.spec, learningRates: [0.003, 0.01, 0.03], lambdas: [0, 0.1], steps: 5)
        sweep.run(workers: 1) { _ in if sweep.finished.count == 4 { sweep.cancel() } }
        let order = sweep.finished.map { [$0.run, $0.learningRateIndex, $0.lambdaIndex] }
        #expect(order == [[0, 0, 0], [1, 0, 0], [0, 0, 1], [1, 0, 1]])
    }

    @Test func startRunsInTheBackgroundAndPostsEveryCell() {
        let sweep = Sweep(spec: Self.spec, learningRates: [0.01], lambdas: [0, 0.1], steps: 20)
        let done = DispatchSemaphore(value: 0)
        let seen = Counter()
        sweep.start(workers: 2) { _ in
            if seen.increment() == 4 { done.signal() }
        }
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(sweep.finished.count == 4)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    @discardableResult
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
