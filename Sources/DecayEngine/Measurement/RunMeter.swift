import DecayKernels

/// How a run measures itself: the computation of every measured metric
/// kind, in one switch, filling the step's row of its history. The row and
/// the parameter snapshot are allocated once, so a step allocates nothing.
struct RunMeter {
    let layout: MetricLayout
    /// The row of the step being measured, in `layout` order.
    private(set) var row: [Float]
    /// The parameters before the update (for ‖Δp‖).
    private var previous: [[Float]]
    private let table: Parameter?
    private let bands: TokenFrequencyBands?
    private let gains: [Parameter]
    private let shifts: [Parameter]
    /// The adapted layers, each with the meter of its update's spectrum.
    private let adapters: [(index: Int, layer: LoRALinear, spectrum: SpectrumMeter)]

    /// What the step itself computed, for the metrics that read it.
    struct StepResults {
        var trainLoss: Float = .nan
        var penalty: Float = .nan
        /// The decay rule's share of the step per group (0 for an undecayed group).
        var decayShares = GroupValues()
        var validation: (loss: Float, accuracy: Float?) = (.nan, nil)
        var training: (loss: Float, accuracy: Float?) = (.nan, nil)
        /// The validation outputs' RMS distance from the starting model's.
        var functionDistance: Float = .nan
    }

    init(network: Network, layout: MetricLayout, bands: TokenFrequencyBands?) {
        self.layout = layout
        row = [Float](repeating: .nan, count: layout.width)
        previous = network.parameters.map { Array(repeating: 0, count: $0.count) }
        table = network.layers.lazy.compactMap { ($0 as? Embedding)?.table }.first
        self.bands = table == nil ? nil : bands
        let norms = network.layers.compactMap { $0 as? LayerNorm }
        gains = norms.map(\.gain)
        shifts = norms.map(\.shift)
        adapters = network.adapterLayers.map { ($0.index, $0.layer, SpectrumMeter(rank: $0.layer.rank)) }
    }

    /// What `network` lets a run measure (`initialParameters`: it keeps θ₀).
    static func scope(_ network: Network, loss: LossKind, bands: TokenFrequencyBands?, initialParameters: Bool) -> MetricScope {
        let hasTable = network.layers.contains { $0 is Embedding }
        return MetricScope(groups: Array(Set(network.parameters.map(\.group))), classification: loss == .crossEntropy,
                           embeddingRows: hasTable && bands != nil, layerNorm: network.layers.contains { $0 is LayerNorm },
                           initialParameters: initialParameters,
                           adapters: network.adapterLayers.map { .init(layer: $0.index, rank: $0.layer.rank) })
    }

    /// Starts a step's row: nothing measured yet.
    mutating func begin() {
        row.withUnsafeMutableBufferPointer { $0.update(repeating: .nan) }
    }

    mutating func measure(_ kinds: [KindSlots], _ run: TrainingRun, _ step: StepResults) {
        // One spectrum per adapted layer serves all the kinds read from it.
        if kinds.contains(where: { Self.readsSpectrum($0.kind) }) {
            for a in adapters { a.spectrum.measure(a.layer) }
        }
        for k in kinds { measure(k, run, step) }
    }

    private static func readsSpectrum(_ kind: Metric.Kind) -> Bool {
        switch kind {
        case .adapterUpdateNorm, .singularValue, .stableRank, .effectiveRank: true
        case .trainLoss, .fullTrainLoss, .validationLoss, .trainAccuracy, .validationAccuracy, .accuracyGap, .gap, .penalty,
             .gainNorm, .shiftNorm, .frequentRowNorm, .rareRowNorm, .norm, .updateNorm, .decayShare, .effectiveStep,
             .distanceFromInit, .functionDistance, .totalShrink, .adapterANorm, .adapterBNorm: false
        }
    }

    /// The computation of each measured kind. Derived kinds are computed
    /// when read (`Metric.Traits.source`), never here.
    private mutating func measure(_ k: KindSlots, _ run: TrainingRun, _ step: StepResults) {
        switch k.kind {
        case .trainLoss: write(k, step.trainLoss)
        case .penalty: write(k, step.penalty)
        case .decayShare: write(k, step.decayShares)
        case .validationLoss: write(k, step.validation.loss)
        case .validationAccuracy: write(k, step.validation.accuracy ?? .nan)
        case .fullTrainLoss: write(k, step.training.loss)
        case .trainAccuracy: write(k, step.training.accuracy ?? .nan)
        case .norm: write(k, run.norms)
        case .updateNorm: write(k, updateNormsSinceSnapshot(run))
        case .gainNorm: write(k, Self.norm(gains))
        case .shiftNorm: write(k, Self.norm(shifts))
        case .frequentRowNorm: write(k, meanRowNorm(bands?.frequent ?? []))
        case .rareRowNorm: write(k, meanRowNorm(bands?.rare ?? []))
        case .distanceFromInit: write(k, run.distanceFromInit ?? .nan)
        case .functionDistance: write(k, step.functionDistance)
        case .totalShrink: write(k, Float(run.totalShrink ?? .nan))
        case .adapterANorm: writeLayers(k) { $0.layer.loraA.sumOfSquares.squareRoot() }
        case .adapterBNorm: writeLayers(k) { $0.layer.loraB.sumOfSquares.squareRoot() }
        case .adapterUpdateNorm: writeLayers(k) { AdapterSpectrum(singularValues: $0.spectrum.values).frobeniusNorm }
        case .stableRank: writeLayers(k) { AdapterSpectrum(singularValues: $0.spectrum.values).stableRank ?? .nan }
        case .effectiveRank: writeLayers(k) { AdapterSpectrum(singularValues: $0.spectrum.values).effectiveRank ?? .nan }
        case .singularValue:
            for m in k.members {
                guard case let .component(l, i) = m.index, let a = adapters.first(where: { $0.index == l }) else { continue }
                row[m.slot] = i < a.spectrum.rank ? a.spectrum.values[i] : .nan
            }
        case .accuracyGap, .gap, .effectiveStep: break
        }
    }

    /// Writes a per-layer kind: `value` of each adapted layer it has a member for.
    private mutating func writeLayers(_ k: KindSlots,
                                      _ value: ((index: Int, layer: LoRALinear, spectrum: SpectrumMeter)) -> Float) {
        for m in k.members {
            guard case let .layer(l) = m.index, let a = adapters.first(where: { $0.index == l }) else { continue }
            row[m.slot] = value(a)
        }
    }

    private mutating func write(_ k: KindSlots, _ value: Float) {
        for m in k.members { row[m.slot] = value }
    }

    private mutating func write(_ k: KindSlots, _ values: GroupValues) {
        for m in k.members {
            if case let .group(g) = m.index { row[m.slot] = values[g] ?? .nan }
        }
    }

    /// The first recorded member of `kind` whose value is not finite.
    func firstNonFinite(_ kind: Metric.Kind) -> Metric? {
        for (slot, m) in layout.metrics.enumerated() where m.kind == kind && !row[slot].isFinite { return m }
        return nil
    }

    // MARK: - Computations shared by several kinds

    /// One pass over the parameters before the update: snapshots them (for
    /// ‖Δp‖), and sums the penalty (λ/2)·Σ‖p‖² over decayed groups and the
    /// decay rule's share of the step per group (on ‖p − p₀‖ for a run that
    /// decays toward its initial parameters). Every group the model has
    /// is present in the shares, NaN included when the numbers ran away.
    mutating func snapshotBeforeUpdate(_ run: TrainingRun, _ decay: WeightDecay) -> (penalty: Float, decayShares: GroupValues) {
        let share = decay.stepShareFactor
        var decaySquares = GroupValues()
        var decayedTotal: Float = 0
        for (i, p) in run.network.parameters.enumerated() {
            if run.settings.decays(p.group) && decay.mode != .none {
                let sq = run.decayedSquares(i, p)
                decayedTotal += sq
                decaySquares.accumulate(p.group, share * share * sq)
            } else {
                decaySquares.accumulate(p.group, 0)
            }
            p.value.withUnsafeBufferPointer { src in
                previous[i].withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: src) }
            }
        }
        return (decay.penalty(decayedSumOfSquares: decayedTotal), decaySquares.map { $0.squareRoot() })
    }

    /// ‖Δp‖ per group between the snapshot and now.
    private mutating func updateNormsSinceSnapshot(_ run: TrainingRun) -> GroupValues {
        var updateSquares = GroupValues()
        for (i, p) in run.network.parameters.enumerated() {
            var s: Float = 0
            p.value.withUnsafeBufferPointer { now in
                previous[i].withUnsafeMutableBufferPointer { before in
                    Kernels.axpy(-1, now, into: before)
                    s = Kernels.sumOfSquares(UnsafeBufferPointer(before))
                }
            }
            updateSquares.accumulate(p.group, s)
        }
        return updateSquares.map { $0.squareRoot() }
    }

    /// ‖·‖ over several parameters together (NaN for none).
    private static func norm(_ ps: [Parameter]) -> Float {
        ps.isEmpty ? .nan : ps.reduce(0) { $0 + $1.sumOfSquares }.squareRoot()
    }

    /// Mean ‖row‖ of the embedding rows `ids` (NaN without a table).
    private func meanRowNorm(_ ids: [Int]) -> Float {
        guard let table, bands != nil, table.shape.count == 2 else { return .nan }
        let width = table.shape[1], rows = table.shape[0]
        return table.value.withUnsafeBufferPointer { pv in
            var sum: Float = 0
            var n = 0
            for id in ids where id < rows {
                sum += Kernels.sumOfSquares(UnsafeBufferPointer(rebasing: pv[(id * width)..<((id + 1) * width)])).squareRoot()
                n += 1
            }
            return n > 0 ? sum / Float(n) : 0
        }
    }
}
