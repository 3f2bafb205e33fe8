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

    private var firstLoss: Float?
    private var meter: RunMeter
    /// The step `train` measured, until `finishStep` records it.
    private var pending: (step: Int, learningRate: Float, weightDecay: Float)?

    public init(name: String, network: Network, settings: RunSettings, loss: LossKind,
                dropoutSeed: UInt64, historyCapacity: Int = 4096, tokenBands: TokenFrequencyBands? = nil,
                validationInputs: Matrix? = nil) {
        self.name = name
        self.network = network
        self.settings = settings
        self.loss = loss
        self.dropoutSeed = dropoutSeed
        self.optimizer = Optimizer(spec: settings.optimizer, parameters: network.parameters)
        self.initialParameters = settings.storesInitialParameters ? network.parameters.map(\.value) : nil
        let scope = RunMeter.scope(network, loss: loss, bands: tokenBands, initialParameters: settings.storesInitialParameters)
        let layout = MetricLayout(scope: scope)
        self.history = History(layout: layout, capacity: historyCapacity)
        self.meter = RunMeter(network: network, layout: layout, bands: tokenBands)
        network.setDropout(settings.dropout)
        network.setLoRADropout(settings.loraDropout)
        if settings.storesInitialParameters, let x = validationInputs, x.rows > 0 {
            network.forward(x, training: false)
            // A copy of its own: the network reuses its output buffer.
            baseOutputs = network.output.storage.withUnsafeBufferPointer { Array($0) }
        }
    }

    /// Π(1 − lr_t·λ) over the steps so far (1 − η_t·λ for independent
    /// decay): what decay alone has multiplied the decayed parameters by;
    /// nil under Adam + L2, where no one factor says it.
    public private(set) var totalShrink: Double? = 1

    /// f₀ on the validation set: the outputs of the model the run started
    /// as, kept with θ₀ (the function distance is measured against them).
    public private(set) var baseOutputs: [Float]?

    /// √(mean over examples of ‖f(x) − f₀(x)‖²) for the outputs of the last
    /// forward pass over the validation set; NaN without f₀.
    private func functionDistanceOfLastOutputs() -> Float {
        guard let base = baseOutputs else { return .nan }
        let out = network.output
        guard out.storage.count == base.count, out.rows > 0 else { return .nan }
        let squares = out.storage.withUnsafeBufferPointer { o in base.withUnsafeBufferPointer { Kernels.squaredDistance(o, $0) } }
        return (squares / Float(out.rows)).squareRoot()
    }

    /// What this run measures each step.
    public var layout: MetricLayout { history.layout }

    /// The learning rate of step t (from 1).
    public func learningRate(step t: Int) -> Float {
        if let rates = learningRates, t - 1 < rates.count { return rates[t - 1] }
        return Float(Double(settings.learningRate) * settings.schedule.factor(step: t))
    }

    /// What decay pulls toward this run's parameters (nil: zero).
    var anchors: [[Float]]? { settings.decayTo == .initial ? initialParameters : nil }

    /// ‖p‖², or ‖p − p₀‖² when the run decays toward its initial parameters:
    /// what the penalty and the decay's share of the step are measured on.
    func decayedSquares(_ index: Int, _ p: Parameter) -> Float {
        guard let anchors else { return p.sumOfSquares }
        return p.value.withUnsafeBufferPointer { v in
            anchors[index].withUnsafeBufferPointer { Kernels.squaredDistance(v, $0) }
        }
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

    /// ‖p‖ per group, now.
    public var norms: GroupValues {
        var squares = GroupValues()
        for p in network.parameters { squares.accumulate(p.group, p.sumOfSquares) }
        return squares.map { $0.squareRoot() }
    }

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
        let decay = WeightDecay(mode: settings.decay, weightDecay: lambda, learningRate: lr,
                                baseLearningRate: settings.learningRate)
        let layout = meter.layout
        meter.begin()
        var results = RunMeter.StepResults(trainLoss: trainLoss)
        (results.penalty, results.decayShares) = meter.snapshotBeforeUpdate(self, decay)
        meter.measure(layout.beforeUpdate, self, results)
        optimizer.step(network.parameters, decay: decay, decays: settings.decays, anchors: anchors)
        if let shrink = totalShrink, decay.isActive, network.parameters.contains(where: { settings.decays($0.group) }) {
            totalShrink = Self.shrink(decay, optimizer: settings.optimizer.kind).map { shrink * Double($0) }
        }
        meter.measure(layout.afterUpdate, self, results)
        pending = (t, lr, lambda)
        if let m = meter.firstNonFinite(.norm) {
            status = .diverged(step: t, reason: "\(m.memberName) norm is not finite")
            return false
        }
        return true
    }

    /// Measures validation loss and accuracy and the full training loss
    /// (evaluation mode) when due, and records the step.
    func finishStep(trainX: Matrix, trainY: Matrix, validationX: Matrix, validationY: Matrix, evaluate: Bool) {
        guard let p = pending else { return }
        pending = nil
        if evaluate {
            var results = RunMeter.StepResults()
            results.validation = self.evaluate(x: validationX, y: validationY)
            results.functionDistance = functionDistanceOfLastOutputs()
            if !results.validation.loss.isFinite {
                status = .diverged(step: p.step, reason: "validation loss is not finite")
                return
            }
            results.training = self.evaluate(x: trainX, y: trainY)
            let kinds = meter.layout.evaluation
            meter.measure(kinds, self, results)
        }
        meter.row.withUnsafeBufferPointer {
            history.append(step: p.step, learningRate: p.learningRate, weightDecay: p.weightDecay, row: $0)
        }
    }

    /// Loss and accuracy (classification) of the current parameters on a set.
    public func evaluate(x: Matrix, y: Matrix) -> (loss: Float, accuracy: Float?) {
        network.forward(x, training: false)
        let result = Loss.evaluate(loss, output: network.output, target: y, gradient: nil)
        let acc: Float? = loss == .crossEntropy && x.rows > 0 ? Float(result.correct) / Float(x.rows) : nil
        return (result.loss, acc)
    }

    /// The factor one step of `decay` multiplies a decayed parameter by,
    /// when one factor says it: SGD's L2 gradient term λ·p shrinks p by
    /// lr·λ as decoupled decay does; Adam's divides it by √v̂ per coordinate.
    private static func shrink(_ decay: WeightDecay, optimizer: OptimizerSpec.Kind) -> Float? {
        if let f = decay.shrinkFactor { return f }
        guard decay.mode == .l2, optimizer == .sgd else { return nil }
        return Float(1 - Double(decay.learningRate) * Double(decay.weightDecay))
    }

    private func divergence(_ trainLoss: Float) -> String? {
        if !trainLoss.isFinite { return "loss is \(trainLoss)" }
        if let first = firstLoss, trainLoss > 1e4 * max(first, 1) { return "loss exploded to \(trainLoss)" }
        return nil
    }
}
