import Foundation

/// A learning-rate × λ grid trained in the background: every cell is its own
/// single-run experiment (same data, same initial parameters, same batches as
/// the step it comes from), trained for a fixed number of steps, then
/// measured. Workers pull cells from a shared counter, so two cores stay busy
/// whatever the cells cost.
public final class Sweep: @unchecked Sendable {
    public struct Cell: Sendable, Equatable {
        public var run: Int
        public var learningRateIndex: Int
        public var lambdaIndex: Int
        /// The metric at the end; NaN when the cell diverged.
        public var value: Float
    }

    public let spec: ExperimentSpec
    public let learningRates: [Float]
    public let lambdas: [Float]
    public let steps: Int
    public let metric: Metric
    public var runNames: [String] { spec.resolvedRuns.map(\.name) }
    public var cellCount: Int { spec.resolvedRuns.count * learningRates.count * lambdas.count }

    private let lock = NSLock()
    private var next = 0
    private var cancelled = false
    private var results: [Cell] = []
    private var busy = 0

    public init(spec: ExperimentSpec, learningRates: [Float], lambdas: [Float], steps: Int, metric: Metric = .validationLoss) {
        self.spec = spec
        self.learningRates = learningRates
        self.lambdas = lambdas
        self.steps = steps
        self.metric = metric
    }

    /// Trains one cell from the step's start and returns its metric (NaN if
    /// it diverged), or nil if the sweep is cancelled meanwhile: cancelling
    /// stops a cell between two training steps, so a worker is free within
    /// one step of `cancel()` however long the cell is.
    public func trainCell(run r: Int, learningRate lr: Float, lambda: Float) -> Float? {
        var s = spec
        var run = s.resolvedRuns[r]
        run.learningRate = lr
        run.weightDecay = lambda
        s.runs = [run]
        s.steps = steps
        s.evaluationInterval = steps
        // Room for every step: a thinned history could drop the last one, the
        // only step that measures validation.
        let e = Experiment(spec: s, historyCapacity: steps + 1)
        for _ in 0..<steps {
            if isCancelled { return nil }
            e.advance()
        }
        let runResult = e.runs[0]
        guard !runResult.status.isDiverged, let last = runResult.history.last else { return .nan }
        return metric.value(in: last) ?? .nan
    }

    /// Cells are handed out with the runs interleaved (run 0's first cell,
    /// run 1's first, …), so every heatmap of a step fills at the same pace
    /// instead of the second waiting for the whole of the first.
    private func cell(at index: Int) -> (run: Int, lr: Int, lambda: Int) {
        let runs = spec.resolvedRuns.count, within = index / runs
        return (index % runs, within / lambdas.count, within % lambdas.count)
    }

    private func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard !cancelled, next < cellCount else { return nil }
        next += 1
        return next - 1
    }

    private var isCancelled: Bool { lock.withLock { cancelled } }

    /// Trains every cell on `workers` threads, calling `onCell` (from a
    /// worker thread) as each finishes. Blocks until done or cancelled.
    public func run(workers: Int = ProcessInfo.processInfo.activeProcessorCount, onCell: @Sendable (Cell) -> Void = { _ in }) {
        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
            lock.withLock { busy += 1 }
            defer { lock.withLock { busy -= 1 } }
            while let index = take() {
                let (r, i, j) = cell(at: index)
                guard let value = trainCell(run: r, learningRate: learningRates[i], lambda: lambdas[j]) else { return }
                let c = Cell(run: r, learningRateIndex: i, lambdaIndex: j, value: value)
                lock.withLock { results.append(c) }
                onCell(c)
            }
        }
    }

    /// Starts `run` on a background thread and returns at once.
    public func start(workers: Int = ProcessInfo.processInfo.activeProcessorCount, onCell: @escaping @Sendable (Cell) -> Void) {
        Thread.detachNewThread { [self] in run(workers: workers, onCell: onCell) }
    }

    /// Stops the sweep: no cell is handed out any more, and the cells in
    /// training stop at their next step, unrecorded.
    public func cancel() {
        lock.withLock { cancelled = true }
    }

    /// Workers inside `run` now (training a cell or about to take one); 0
    /// once a cancelled or finished sweep has let go of its threads.
    public var busyWorkers: Int { lock.withLock { busy } }

    /// How many cells have finished (without copying them).
    public var finishedCount: Int { lock.withLock { results.count } }

    /// The finished cells so far.
    public var finished: [Cell] {
        lock.lock()
        defer { lock.unlock() }
        return results
    }

    /// The grid of one run, `[lr][λ]`, NaN where unfinished or diverged.
    public func grid(run r: Int) -> [[Float]] {
        var g = Array(repeating: Array(repeating: Float.nan, count: lambdas.count), count: learningRates.count)
        for c in finished where c.run == r { g[c.learningRateIndex][c.lambdaIndex] = c.value }
        return g
    }
}
