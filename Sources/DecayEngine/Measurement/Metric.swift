/// One measured quantity of a run: what a history records each step, a
/// chart draws, a numbers-panel column shows, a goal watches and a sweep's
/// heatmap colours. One type for all of them, so each labels and reads the
/// same number.
///
/// A metric is a `Kind` (the quantity: the norm of a parameter group) at an
/// `Index` (which one: the weights). Most kinds are one number per run; a
/// kind can also be a small family — one number per parameter group, per
/// layer, or per component of a layer (say each singular value of a layer's
/// update) — and a run records every member its model has (`MetricScope`).
/// How to add a kind: Sources/DecayEngine/README.md.
public struct Metric: Hashable, Sendable {
    public let kind: Kind
    public let index: Index

    /// Which member of its kind's family a metric is.
    public enum Index: Hashable, Sendable, Comparable {
        /// The kind's only member (`Kind.Shape.single`).
        case whole
        /// One parameter group (`perGroup`).
        case group(ParameterGroup)
        /// One layer, by its position in the network (`perLayer`).
        case layer(Int)
        /// Component `index` of one layer (`perComponent`): the `index`-th
        /// of a small vector the layer yields, e.g. its singular values.
        case component(layer: Int, index: Int)
    }

    /// The metric, or nil when `index` is not of the shape `kind` takes.
    public init?(_ kind: Kind, _ index: Index) {
        guard kind.shape.accepts(index) else { return nil }
        self.kind = kind
        self.index = index
    }

    /// The only member of a single-valued kind.
    public init(_ kind: Kind) {
        precondition(kind.shape == .single, "\(kind) takes an index")
        self.kind = kind
        index = .whole
    }

    private init(unchecked kind: Kind, _ index: Index) {
        self.kind = kind
        self.index = index
    }

    public static let trainLoss = Metric(.trainLoss)
    public static let fullTrainLoss = Metric(.fullTrainLoss)
    public static let validationLoss = Metric(.validationLoss)
    public static let trainAccuracy = Metric(.trainAccuracy)
    public static let validationAccuracy = Metric(.validationAccuracy)
    public static let accuracyGap = Metric(.accuracyGap)
    public static let gap = Metric(.gap)
    public static let penalty = Metric(.penalty)
    public static let gainNorm = Metric(.gainNorm)
    public static let shiftNorm = Metric(.shiftNorm)
    public static let frequentRowNorm = Metric(.frequentRowNorm)
    public static let rareRowNorm = Metric(.rareRowNorm)
    public static let distanceFromInit = Metric(.distanceFromInit)
    public static func norm(_ g: ParameterGroup) -> Metric { Metric(unchecked: .norm, .group(g)) }
    public static func updateNorm(_ g: ParameterGroup) -> Metric { Metric(unchecked: .updateNorm, .group(g)) }
    public static func decayShare(_ g: ParameterGroup) -> Metric { Metric(unchecked: .decayShare, .group(g)) }
    public static func effectiveStep(_ g: ParameterGroup) -> Metric { Metric(unchecked: .effectiveStep, .group(g)) }

    /// The parameter group of a per-group metric.
    public var group: ParameterGroup? { if case let .group(g) = index { g } else { nil } }

    /// The lesson-file spelling: the kind's name, then the index
    /// (`val_loss`, `norm.weights`, `singular_value.2.0`).
    public var name: String {
        switch index {
        case .whole: kind.name
        case let .group(g): "\(kind.name).\(g.rawValue)"
        case let .layer(l): "\(kind.name).\(l)"
        case let .component(l, i): "\(kind.name).\(l).\(i)"
        }
    }

    /// Parses the lesson-file spelling.
    public init?(name: String) {
        for kind in Kind.allCases {
            if name == kind.name, let m = Metric(kind, .whole) { self = m; return }
            guard name.hasPrefix(kind.name + ".") else { continue }
            let rest = name.dropFirst(kind.name.count + 1)
            let numbers = rest.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
            let index: Index? = if let g = ParameterGroup(rawValue: String(rest)) {
                .group(g)
            } else if numbers.count == 1, let l = numbers[0], l >= 0 {
                .layer(l)
            } else if numbers.count == 2, let l = numbers[0], let i = numbers[1], l >= 0, i >= 0 {
                .component(layer: l, index: i)
            } else {
                nil
            }
            if let index, let m = Metric(kind, index) { self = m; return }
        }
        return nil
    }

    /// Words for a heatmap's caption or a chart (plain ASCII, so any
    /// terminal shows them): the kind's label, then which member.
    public var label: String {
        switch index {
        case .whole: kind.label
        case let .group(g): "\(kind.label) of \(g.rawValue)"
        case let .layer(l): "\(kind.label), layer \(l)"
        case let .component(l, i): "\(kind.label) \(i + 1), layer \(l)"
        }
    }

    /// The member's own short name where its kind is already said (a
    /// chart's line, a column head): the group, `layer 2`, `2.1`.
    public var memberName: String {
        switch index {
        case .whole: kind.name
        case let .group(g): g.rawValue
        case let .layer(l): "layer \(l)"
        case let .component(l, i): "\(l).\(i + 1)"
        }
    }

    /// Whether a smaller value is the better outcome (a heatmap's colours).
    public var lowerIsBetter: Bool { kind.traits.lowerIsBetter }

    /// Whether values are positive and span decades, so a log axis reads
    /// them best (a sweep's heatmap and curve).
    public var isLogScaled: Bool { kind.traits.scale == .log }

    /// Every metric of a model that has everything (every group, every
    /// probe), in lesson-file order; per-layer kinds are left out, as their
    /// members depend on the model's layers.
    public static var all: [Metric] { MetricScope.everything.metrics }

    public static var allNames: [String] { all.map(\.name) }

    /// The metric in one history entry (`entry[metric]`); nil where it was
    /// not measured.
    public func value(in entry: HistoryEntry) -> Float? { entry[self] }
}

extension Metric: CustomStringConvertible {
    public var description: String { name }
}

extension Metric.Index {
    /// Groups in `ParameterGroup` order, layers and components by number.
    public static func < (a: Self, b: Self) -> Bool {
        if a.order != b.order { return a.order < b.order }
        switch (a, b) {
        case let (.group(x), .group(y)): return x < y
        case let (.layer(x), .layer(y)): return x < y
        case let (.component(l, i), .component(m, j)): return (l, i) < (m, j)
        case (.whole, _), (.group, _), (.layer, _), (.component, _): return false
        }
    }

    private var order: Int {
        switch self {
        case .whole: 0
        case .group: 1
        case .layer: 2
        case .component: 3
        }
    }
}
