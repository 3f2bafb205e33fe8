import DecayKernels

/// Why a run stopped early.
public enum RunStatus: Sendable, Equatable {
    case training
    case diverged(step: Int, reason: String)

    public var isDiverged: Bool { if case .diverged = self { true } else { false } }
}

/// One model trained with one set of hyperparameters.
public final class TrainingRun {
    public let name: String
    public let network: Network
    public let optimizer: Optimizer
    public let loss: LossKind
    public var settings: RunSettings
    public internal(set) var history: History
    public internal(set) var status: RunStatus = .training
    /// Seed of the dropout masks (shared by every run of an experiment, so
    /// runs that differ only in λ see the same masks).
    public let dropoutSeed: UInt64
    /// A schedule given step by step (imported experiments); overrides `settings.schedule`.
    public var learningRates: [Float]?
    /// θ₀, the parameters the run started from, in `network.parameters`
    /// order: kept only when the run decays toward them or measures its
    /// distance from them (`RunSettings.storesInitialParameters`).
    public let initialParameters: [[Float]]?

    private var previous: [[Float]]
    private var firstLoss: Float?
    private let probes: RunProbes

    public init(name: String, network: Network, settings: RunSettings, loss: LossKind,
                dropoutSeed: UInt64, historyCapacity: Int = 4096, tokenBands: TokenFrequencyBands? = nil) {
        self.name = name
        self.network = network
        self.settings = settings
        self.loss = loss
        self.dropoutSeed = dropoutSeed
        self.optimizer = Optimizer(spec: settings.optimizer, parameters: network.parameters)
        self.history = History(capacity: historyCapacity)
        self.previous = network.parameters.map { Array(repeating: 0, count: $0.count) }
        self.initialParameters = settings.storesInitialParameters ? network.parameters.map(\.value) : nil
        self.probes = RunProbes(network: network, bands: tokenBands)
        network.setDropout(settings.dropout)
        network.setLoRADropout(settings.loraDropout)
    }

    /// The learning rate of step t (from 1).
    public func learningRate(step t: Int) -> Float {
        if let rates = learningRates, t - 1 < rates.count { return rates[t - 1] }
        return Float(Double(settings.learningRate) * settings.schedule.factor(step: t))
    }

    /// What decay pulls toward this run's parameters (nil: zero).
    var anchors: [[Float]]? { settings.decayTo == .initial ? initialParameters : nil }

    /// ‖p‖², or ‖p − p₀‖² when the run decays toward its initial parameters:
    /// what the penalty and the decay's share of the step are measured on.
    private func decayedSquares(_ index: Int, _ p: Parameter) -> Float {
        guard let anchors else { return p.sumOfSquares }
        return p.value.withUnsafeBufferPointer { v in
            anchors[index].withUnsafeBufferPointer { Kernels.squaredDistance(v, $0) }
        }
    }

    /// (λ/2)·Σ‖p‖² over the decayed groups ((λ/2)·Σ‖p − p₀‖² toward init).
    public var penalty: Float {
        var s: Float = 0
        for (i, p) in network.parameters.enumerated() where settings.decays(p.group) { s += decayedSquares(i, p) }
        return DecayRule(mode: settings.decay, weightDecay: settings.weightDecay, learningRate: settings.learningRate)
            .penalty(decayedSumOfSquares: s)
    }

    /// ‖θ − θ₀‖ over the model's weights: how far the run has moved from
    /// where it started (nil when the run does not keep θ₀). For a layer
    /// with a LoRA adapter that is ‖ΔW − ΔW₀‖_F (its frozen base does not
    /// move), not the factors' own distance, so a LoRA run and a full
    /// fine-tune are measured in the same space.
    public var distanceFromInit: Float? {
        guard let initial = initialParameters else { return nil }
        var s: Float = 0
        var adapted = 0.0
        for (i, p) in network.parameters.enumerated() {
            if let l = adapterOfFactor[i] {
                if p === l.loraA { adapted += l.squaredUpdateDistance(a0: initial[i], b0: initial[i + 1]) }
                continue
            }
            p.value.withUnsafeBufferPointer { v in initial[i].withUnsafeBufferPointer { s += Kernels.squaredDistance(v, $0) } }
        }
        return (s + Float(adapted)).squareRoot()
    }

    /// The LoRA layer each of `network.parameters` is a factor of (A is
    /// always followed by its B there).
    private lazy var adapterOfFactor: [LoRALinear?] = network.parameters.map { p in
        network.adapterLayers.first { $0.layer.loraA === p || $0.layer.loraB === p }?.layer
    }

    /// ‖p‖ per group.
    public var norms: GroupValues {
        var squares = GroupValues()
        for p in network.parameters { squares.accumulate(p.group, p.sumOfSquares) }
        return squares.map { $0.squareRoot() }
    }

    /// Mean ‖row‖ of the frequent and rare embedding rows (nil without embeddings).
    public var embeddingRowNorms: EmbeddingRowNorms? { probes.embeddingRows }

    /// ‖γ‖ and ‖β‖ of the LayerNorm layers (nil without LayerNorm).
    public var layerNormNorms: LayerNormNorms? { probes.layerNorms }

    /// One training step on a batch. Returns false when the run diverged.
    @discardableResult
    func train(step t: Int, x: Matrix, y: Matrix) -> Bool {
        guard !status.isDiverged else { return false }
        network.zeroGradients()
        network.forward(x, training: true, step: t, seed: dropoutSeed)
        let kind = loss
        let result = network.withOutputGradient { out, grad in
            grad.storage.withUnsafeMutableBufferPointer { Loss.evaluate(kind, output: out, target: y, gradient: $0) }
        }
        let trainLoss = result.loss
        if let reason = divergence(trainLoss) {
            status = .diverged(step: t, reason: reason)
            return false
        }
        if firstLoss == nil { firstLoss = trainLoss }
        network.backward()

        let lr = learningRate(step: t)
        let lambda = settings.weightDecay
        let decay = DecayRule(mode: settings.decay, weightDecay: lambda, learningRate: lr,
                              baseLearningRate: settings.learningRate)
        let before = measureBeforeUpdate(decay)
        optimizer.step(network.parameters, decay: decay, decays: settings.decays, anchors: anchors)
        var entry = HistoryEntry(
            step: t, learningRate: lr, weightDecay: lambda, trainLoss: trainLoss, penalty: before.penalty,
            validationLoss: .nan, validationAccuracy: nil, norms: norms,
            updateNorms: updateNormsSinceSnapshot(), decayNorms: before.decayNorms,
            embeddingRows: probes.embeddingRows, layerNorms: probes.layerNorms)
        entry.distanceFromInit = distanceFromInit
        pending = entry
        if let reason = nonFiniteNorm(entry.norms) {
            status = .diverged(step: t, reason: reason)
            return false
        }
        return true
    }

    /// One pass over the parameters before the update: snapshots them (for
    /// ‖Δp‖), and sums the penalty (λ/2)·Σ‖p‖² over decayed groups and the
    /// decay rule's share of the step per group (on ‖p − p₀‖ for a run that
    /// decays toward its initial parameters). Every group the model has
    /// is present in `decayNorms`, NaN included when the numbers ran away.
    private func measureBeforeUpdate(_ decay: DecayRule) -> (penalty: Float, decayNorms: GroupValues) {
        let share = decay.stepShareFactor
        var decaySquares = GroupValues()
        var decayedTotal: Float = 0
        for (i, p) in network.parameters.enumerated() {
            if settings.decays(p.group) && decay.mode != .none {
                let sq = decayedSquares(i, p)
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

    /// ‖Δp‖ per group between the snapshot `measureBeforeUpdate` took and now.
    private func updateNormsSinceSnapshot() -> GroupValues {
        var updateSquares = GroupValues()
        for (i, p) in network.parameters.enumerated() {
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

    /// The entry of the last `train` call, completed by `evaluate` or
    /// recorded as is.
    private var pending: HistoryEntry?

    /// Measures validation loss and accuracy and the full training loss
    /// (evaluation mode) when due, and records the step.
    func finishStep(trainX: Matrix, trainY: Matrix, validationX: Matrix, validationY: Matrix, evaluate: Bool) {
        guard var entry = pending else { return }
        pending = nil
        if evaluate {
            let (vl, acc) = self.evaluate(x: validationX, y: validationY)
            entry.validationLoss = vl
            entry.validationAccuracy = acc
            if !vl.isFinite {
                status = .diverged(step: entry.step, reason: "validation loss is not finite")
                return
            }
            let train = self.evaluate(x: trainX, y: trainY)
            entry.fullTrainLoss = train.loss
            entry.trainAccuracy = train.accuracy
        }
        history.append(entry)
    }

    /// Loss and accuracy (classification) of the current parameters on a set.
    public func evaluate(x: Matrix, y: Matrix) -> (loss: Float, accuracy: Float?) {
        network.forward(x, training: false)
        let result = Loss.evaluate(loss, output: network.output, target: y, gradient: nil)
        let acc: Float? = loss == .crossEntropy && x.rows > 0 ? Float(result.correct) / Float(x.rows) : nil
        return (result.loss, acc)
    }

    private func divergence(_ trainLoss: Float) -> String? {
        if !trainLoss.isFinite { return "loss is \(trainLoss)" }
        if let first = firstLoss, trainLoss > 1e4 * max(first, 1) { return "loss exploded to \(trainLoss)" }
        return nil
    }

    private func nonFiniteNorm(_ norms: GroupValues) -> String? {
        for g in GroupValues.all { if let n = norms[g], !n.isFinite { return "\(g.rawValue) norm is not finite" } }
        return nil
    }
}
