/// Which metrics a history records, and where each sits in an entry's row
/// of values. Fixed for a run (its model's measured metrics), shared by
/// every entry, so an entry is a row of Floats and recording a step
/// allocates nothing.
public final class MetricLayout: Sendable {
    public let metrics: [Metric]
    /// The model's scope, when the layout was made from one: it also
    /// names the members of derived kinds.
    public let scope: MetricScope?
    private let slots: [Metric: Int]
    /// The recorded kinds by timing, each with its members' slots, so a
    /// training step measures without looking anything up.
    let beforeUpdate: [KindSlots]
    let afterUpdate: [KindSlots]
    let evaluation: [KindSlots]
    let validationLossSlot: Int?

    public init(_ metrics: [Metric], scope: MetricScope? = nil) {
        self.scope = scope
        var unique: [Metric] = []
        for m in metrics where m.kind.isMeasured && !unique.contains(m) { unique.append(m) }
        self.metrics = unique
        slots = Dictionary(uniqueKeysWithValues: unique.enumerated().map { ($1, $0) })
        func kinds(_ t: Metric.Timing) -> [KindSlots] {
            var out: [KindSlots] = []
            for (slot, m) in unique.enumerated() {
                guard case .measured(t) = m.kind.traits.source else { continue }
                if let i = out.firstIndex(where: { $0.kind == m.kind }) {
                    out[i].members.append((m.index, slot))
                } else {
                    out.append(KindSlots(kind: m.kind, members: [(m.index, slot)]))
                }
            }
            return out
        }
        beforeUpdate = kinds(.beforeUpdate)
        afterUpdate = kinds(.afterUpdate)
        evaluation = kinds(.evaluation)
        validationLossSlot = slots[.validationLoss]
    }

    /// The layout of everything `scope` measures.
    public convenience init(scope: MetricScope) { self.init(scope.measured, scope: scope) }

    /// A layout that records nothing (an empty history).
    public static let empty = MetricLayout([])

    public var width: Int { metrics.count }

    /// The slot of a recorded metric.
    @inline(__always)
    public func slot(_ metric: Metric) -> Int? { slots[metric] }

    public func records(_ metric: Metric) -> Bool { slots[metric] != nil }

    /// The members of `kind` an entry of this layout has: from the scope,
    /// else the recorded ones.
    public func members(of kind: Metric.Kind) -> [Metric] {
        scope?.members(of: kind) ?? metrics.filter { $0.kind == kind }
    }

    /// Same metrics in the same slots.
    public func matches(_ other: MetricLayout) -> Bool { self === other || (metrics == other.metrics && scope == other.scope) }
}

/// One recorded kind and where each of its members goes in a row.
struct KindSlots: Sendable {
    var kind: Metric.Kind
    var members: [(index: Metric.Index, slot: Int)]
}
