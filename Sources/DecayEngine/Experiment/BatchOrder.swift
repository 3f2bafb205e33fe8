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
        step += 1
        switch source {
        case .full:
            return nil
        case let .explicit(list):
            return list.isEmpty ? nil : list[(step - 1) % list.count]
        case let .shuffled(b, _):
            let size = min(max(b, 1), rows)
            if permutation.isEmpty || position + size > rows {
                permutation = Array(0..<rows)
                permutation.shuffle(using: &rng)
                position = 0
            }
            defer { position += size }
            return Array(permutation[position..<(position + size)])
        }
    }

    /// The first `steps` batches, as `experiment.json` records them.
    public func listing(steps: Int) -> [[Int]]? {
        if isFullBatch { return nil }
        var copy = BatchOrder(source: source, rows: rows)
        return (0..<steps).map { _ in copy.next() ?? Array(0..<rows) }
    }
}
