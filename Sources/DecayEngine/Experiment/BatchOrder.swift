/// Which training rows each step sees: all of them (full batch), or
/// minibatches drawn without replacement from a fresh seeded permutation
/// each epoch (the last partial batch of an epoch is dropped, as with
/// `drop_last=True`), or an explicit list (imported experiments).
public struct BatchOrder: Sendable {
    public enum Source: Sendable {
        case full
        case shuffled(batchSize: Int, seed: UInt64)
        case explicit([[Int]])
    }

    public let source: Source
    public let rows: Int
    private var rng: RandomSource
    private var permutation: [Int] = []
    private var position = 0
    private var step = 0

    public init(source: Source, rows: Int) {
        self.source = source
        self.rows = rows
        if case let .shuffled(_, seed) = source {
            rng = RandomSource(seed: seed, stream: "batches")
        } else {
            rng = RandomSource(seed: 0)
        }
    }

    public var isFullBatch: Bool { if case .full = source { true } else { false } }

    /// The rows of the next step, or nil for the whole training set.
    public mutating func next() -> [Int]? {
        var rows: [Int] = []
        return next(into: &rows) ? rows : nil
    }

    /// Writes the rows of the next step into `batch` (reusing its memory);
    /// returns false for the whole training set.
    public mutating func next(into batch: inout [Int]) -> Bool {
        step += 1
        switch source {
        case .full:
            return false
        case let .explicit(list):
            guard !list.isEmpty else { return false }
            batch.removeAll(keepingCapacity: true)
            batch.append(contentsOf: list[(step - 1) % list.count])
            return true
        case let .shuffled(b, _):
            let size = min(max(b, 1), rows)
            if permutation.isEmpty || position + size > rows {
                if permutation.count != rows { permutation = Array(0..<rows) }
                for i in 0..<rows { permutation[i] = i }
                permutation.shuffle(using: &rng)
                position = 0
            }
            batch.removeAll(keepingCapacity: true)
            batch.append(contentsOf: permutation[position..<(position + size)])
            position += size
            return true
        }
    }

    /// The first `steps` batches, as `experiment.json` records them.
    public func listing(steps: Int) -> [[Int]]? {
        if isFullBatch { return nil }
        var copy = BatchOrder(source: source, rows: rows)
        return (0..<steps).map { _ in copy.next() ?? Array(0..<rows) }
    }
}
