/// A run's history: one entry per recorded step, each a row of the
/// layout's metrics (NaN where a metric was not measured that step, e.g.
/// validation between evaluation points).
///
/// Bounded: once `capacity` entries are stored, every other one is dropped
/// and from then on only every `stride`-th step is kept, so a long session
/// keeps its whole span at a coarser grain and constant memory. The rows
/// live in one buffer reserved up front, so recording a step allocates
/// nothing.
public struct History: Sendable, RandomAccessCollection {
    /// What a step records besides its metrics: the settings it ran with.
    struct Record: Sendable {
        var step: Int
        var learningRate: Float
        var weightDecay: Float
    }

    public let layout: MetricLayout
    public let capacity: Int
    public private(set) var stride = 1
    private var records: [Record] = []
    private var values: [Float] = []

    public init(layout: MetricLayout = .empty, capacity: Int = 4096) {
        precondition(capacity >= 2)
        self.layout = layout
        self.capacity = capacity
        records.reserveCapacity(capacity)
        values.reserveCapacity(capacity * layout.width)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { records.count }

    public subscript(i: Int) -> HistoryEntry {
        let r = records[i], w = layout.width
        return HistoryEntry(step: r.step, learningRate: r.learningRate, weightDecay: r.weightDecay,
                            layout: layout, row: values[(i * w)..<((i + 1) * w)])
    }

    /// Records step `step` with its row of values in `layout` order.
    public mutating func append(step: Int, learningRate: Float, weightDecay: Float, row: UnsafeBufferPointer<Float>) {
        precondition(row.count == layout.width)
        guard step % stride == 0 else { return }
        if records.count == capacity {
            thin()
            guard step % stride == 0 else { return }
        }
        records.append(Record(step: step, learningRate: learningRate, weightDecay: weightDecay))
        for v in row { values.append(v) }
    }

    /// Records `entry`, reading its metrics by name (it may come from
    /// another layout); metrics it lacks are NaN.
    public mutating func append(_ entry: HistoryEntry) {
        var row = [Float](repeating: .nan, count: layout.width)
        for (slot, metric) in layout.metrics.enumerated() { row[slot] = entry.recorded(metric) ?? .nan }
        row.withUnsafeBufferPointer { append(step: entry.step, learningRate: entry.learningRate, weightDecay: entry.weightDecay, row: $0) }
    }

    /// Keeps the entries at multiples of twice the stride, in place.
    private mutating func thin() {
        let w = layout.width
        var kept = 0
        for i in records.indices where records[i].step % (2 * stride) == 0 {
            records[kept] = records[i]
            for k in 0..<w { values[kept * w + k] = values[i * w + k] }
            kept += 1
        }
        records.removeLast(records.count - kept)
        values.removeLast(values.count - kept * w)
        stride *= 2
    }

    public mutating func removeAll() {
        records.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        stride = 1
    }

    /// `metric` at every entry that has it: what a chart's line draws.
    public func series(_ metric: Metric) -> [(step: Int, value: Float)] {
        var out: [(step: Int, value: Float)] = []
        out.reserveCapacity(count)
        if let slot = layout.slot(metric) {
            let w = layout.width
            for (i, r) in records.enumerated() where values[i * w + slot].isFinite {
                out.append((r.step, values[i * w + slot]))
            }
        } else {
            for e in self { if let v = e[metric] { out.append((e.step, v)) } }
        }
        return out
    }

    /// The latest entry that has `metric`, and its value.
    public func latest(_ metric: Metric) -> (entry: HistoryEntry, value: Float)? {
        for e in reversed() { if let v = e[metric] { return (e, v) } }
        return nil
    }
}

/// What one run measured at one step: a row of its history.
public struct HistoryEntry: Sendable {
    public let step: Int
    /// The learning rate step `step` used.
    public let learningRate: Float
    public let weightDecay: Float
    public let layout: MetricLayout
    let row: ArraySlice<Float>

    init(step: Int, learningRate: Float, weightDecay: Float, layout: MetricLayout, row: ArraySlice<Float>) {
        self.step = step
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.layout = layout
        self.row = row
    }

    /// An entry of its own, for a history built by hand: `values` holds
    /// the measured metrics; the rest are unmeasured.
    public init(step: Int, learningRate: Float, weightDecay: Float, values: [Metric: Float]) {
        let layout = MetricLayout(values.keys.sorted { ($0.kind.order, $0.index) < ($1.kind.order, $1.index) })
        self.init(step: step, learningRate: learningRate, weightDecay: weightDecay, layout: layout,
                  row: ArraySlice(layout.metrics.map { values[$0]! }))
    }

    /// The metric at this step: recorded, or derived from what was; nil
    /// where it was not measured (or is not finite).
    public subscript(metric: Metric) -> Float? {
        let v: Float? = if let slot = layout.slot(metric) {
            row[row.startIndex + slot]
        } else if case let .derived(derive) = metric.kind.traits.source {
            derive(self, metric.index)
        } else {
            nil
        }
        guard let v, v.isFinite else { return nil }
        return v
    }

    /// The recorded value as stored (NaN included), or nil when the layout
    /// does not record `metric`.
    public func recorded(_ metric: Metric) -> Float? {
        layout.slot(metric).map { row[row.startIndex + $0] }
    }

    /// The value in slot `slot` of the layout, as stored (NaN: not measured).
    public func value(atSlot slot: Int) -> Float { row[row.startIndex + slot] }

    /// Whether validation (and the full training loss) was measured at this step.
    public var isEvaluationPoint: Bool {
        guard let slot = layout.validationLossSlot else { return false }
        return row[row.startIndex + slot].isFinite
    }
}

extension Metric.Kind {
    /// Position in declaration order (for sorting).
    public var order: Int { Self.allCases.firstIndex(of: self)! }
}
