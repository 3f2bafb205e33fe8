/// What a model offers to measure: its parameter groups and the parts some
/// metrics need. A run records every member of every measured kind its
/// scope has; a lesson may name only metrics its experiment's scope has.
public struct MetricScope: Sendable, Equatable {
    /// The parameter groups the model has, in `ParameterGroup` order.
    public var groups: [ParameterGroup]
    public var classification: Bool
    /// An embedding table read by token data (its frequent and rare rows).
    public var embeddingRows: Bool
    public var layerNorm: Bool
    /// Whether the run keeps θ₀ (it does when it decays toward it, or when
    /// a metric of the step needs it).
    public var initialParameters: Bool
    /// The layers with a LoRA adapter, by position in the network, in order.
    public var adapters: [AdaptedLayer]

    /// One layer with a LoRA adapter and its rank (how many singular
    /// values its update has).
    public struct AdaptedLayer: Sendable, Hashable {
        public var layer: Int
        public var rank: Int

        public init(layer: Int, rank: Int) {
            self.layer = layer
            self.rank = rank
        }
    }

    public init(groups: [ParameterGroup], classification: Bool, embeddingRows: Bool, layerNorm: Bool, initialParameters: Bool,
                adapters: [AdaptedLayer] = []) {
        self.groups = groups.sorted()
        self.classification = classification
        self.embeddingRows = embeddingRows
        self.layerNorm = layerNorm
        self.initialParameters = initialParameters
        self.adapters = adapters.sorted { $0.layer < $1.layer }
    }

    /// A model with every group and every probe (for listing every metric;
    /// the per-layer kinds of adapters are left out, as their members
    /// depend on the model's layers).
    public static let everything = MetricScope(groups: ParameterGroup.allCases, classification: true, embeddingRows: true,
                                               layerNorm: true, initialParameters: true)

    public func meets(_ requirement: Metric.Requirement) -> Bool {
        switch requirement {
        case .none: true
        case .classification: classification
        case .embeddingRows: embeddingRows
        case .layerNorm: layerNorm
        case .initialParameters: initialParameters
        case .adapters: !adapters.isEmpty
        }
    }

    /// The layers a per-layer kind with `requirement` has members for, and
    /// how many components each has (for `perComponent` kinds): the
    /// adapted layers, each with its rank.
    public func layers(for requirement: Metric.Requirement) -> [(layer: Int, components: Int)] {
        switch requirement {
        case .none, .classification, .embeddingRows, .layerNorm, .initialParameters: []
        case .adapters: adapters.map { ($0.layer, $0.rank) }
        }
    }

    /// The members of `kind` this model has.
    public func members(of kind: Metric.Kind) -> [Metric] {
        guard meets(kind.requirement) else { return [] }
        let indices: [Metric.Index] = switch kind.shape {
        case .single: [.whole]
        case .perGroup: groups.map { .group($0) }
        case .perLayer: layers(for: kind.requirement).map { .layer($0.layer) }
        case .perComponent:
            layers(for: kind.requirement).flatMap { l in (0..<l.components).map { .component(layer: l.layer, index: $0) } }
        }
        return indices.compactMap { Metric(kind, $0) }
    }

    /// Whether the model has `metric`.
    public func has(_ metric: Metric) -> Bool { members(of: metric.kind).contains(metric) }

    /// Every metric of the model, measured or derived, in `Kind` order.
    public var metrics: [Metric] { Metric.Kind.allCases.flatMap(members(of:)) }

    /// The metrics a run records: the measured ones.
    public var measured: [Metric] { metrics.filter(\.kind.isMeasured) }
}
