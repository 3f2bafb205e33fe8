/// What one run measured at one step.
public struct HistoryEntry: Sendable, Equatable {
    public var step: Int
    /// The learning rate step `step` used.
    public var learningRate: Float
    public var weightDecay: Float
    /// The data loss of this step's forward pass (parameters before the
    /// update), without any penalty.
    public var trainLoss: Float
    /// (λ/2)·Σ‖p‖² over the decayed groups: the term coupled L2 adds to the
    /// objective, reported beside the data loss, never inside it.
    public var penalty: Float
    /// Measured after the update, in evaluation mode (NaN when skipped).
    public var validationLoss: Float
    public var validationAccuracy: Float?
    /// ‖p‖ per group, after the update.
    public var norms: GroupValues
    /// ‖Δp‖ per group for the whole step, and the part the decay rule did.
    public var updateNorms: GroupValues
    public var decayNorms: GroupValues
    /// The data loss on the whole training set in evaluation mode (no
    /// dropout), after the update, measured where validation is (NaN
    /// elsewhere). `trainLoss` is the step's minibatch, before the update,
    /// in training mode.
    public var fullTrainLoss: Float = .nan
    /// Accuracy on the whole training set in evaluation mode, measured with
    /// `fullTrainLoss` (classification only; nil elsewhere).
    public var trainAccuracy: Float? = nil
    /// Mean ‖row‖ of frequent and rare embedding rows, after the update
    /// (see `TokenFrequencyBands`); nil for a model without embeddings.
    public var embeddingRows: EmbeddingRowNorms? = nil
    /// ‖γ‖ and ‖β‖ of the LayerNorm layers, after the update; nil without LayerNorm.
    public var layerNorms: LayerNormNorms? = nil
    /// ‖θ − θ₀‖ over every parameter, after the update; nil when the run
    /// keeps no copy of θ₀ (see `RunSettings.storesInitialParameters`).
    public var distanceFromInit: Float? = nil

    public var objective: Float { trainLoss + penalty }

    /// Whether validation (and the full training loss) was measured at this step.
    public var isEvaluationPoint: Bool { !validationLoss.isNaN }
}

/// A run's history, bounded: once `capacity` entries are stored, every other
/// one is dropped and from then on only every `stride`-th step is kept, so a
/// long session keeps its whole span at a coarser grain and constant memory.
public struct History: Sendable {
    public private(set) var entries: [HistoryEntry] = []
    public let capacity: Int
    public private(set) var stride = 1

    public init(capacity: Int = 4096) {
        precondition(capacity >= 2)
        self.capacity = capacity
        entries.reserveCapacity(capacity)
    }

    public mutating func append(_ entry: HistoryEntry) {
        guard entry.step % stride == 0 else { return }
        if entries.count == capacity {
            var kept = 0
            for i in entries.indices where entries[i].step % (2 * stride) == 0 {
                entries[kept] = entries[i]
                kept += 1
            }
            entries.removeLast(entries.count - kept)
            stride *= 2
            guard entry.step % stride == 0 else { return }
        }
        entries.append(entry)
    }

    public var last: HistoryEntry? { entries.last }
    public var count: Int { entries.count }

    public mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        stride = 1
    }
}
