/// A problem in an `experiment.json`, said so a person can fix the file.
public struct ExperimentFileError: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// At most a line's worth: a message may quote a name from the file.
    public init(_ message: String) { self.message = message.count > 400 ? String(message.prefix(400)) + "…" : message }
    public var description: String { message }
}

extension ExperimentFile {
    /// Records an experiment: its data, its runs' initial parameters and
    /// settings, and every history entry the runs have so far. Run it with
    /// a history capacity of at least its step count, or entries are missing.
    public init(experiment e: Experiment) {
        func split(_ x: Matrix, _ y: Matrix) -> Split {
            Split(x: x.rowArrays, y: y.columns == 1 ? .scalars(y.storage) : .rows(y.rowArrays))
        }
        let base = Self.records(e.initialNetwork)
        let runs = e.runs.enumerated().map { i, run -> RunRecord in
            let s = run.settings
            let initial = e.initialNetwork(ofRun: i).copy()
            initial.setDropout(s.dropout)
            let model = Self.records(initial)
            var groups: [String: GroupRecord] = [:]
            for g in e.groups { groups[g.rawValue] = GroupRecord(decay: s.decay != .none && s.decays(g)) }
            let history = run.history.map { h -> HistoryRecord in
                var norms: [String: Float] = [:]
                for g in e.groups { norms[g.rawValue] = h[.norm(g)] }
                return HistoryRecord(step: h.step, lr: h.learningRate, trainLoss: h[.trainLoss] ?? .nan,
                                     valLoss: h[.validationLoss], valAccuracy: h[.validationAccuracy], norms: norms)
            }
            let o = s.optimizer
            return RunRecord(
                name: run.name, model: model == base ? nil : model,
                optimizer: OptimizerRecord(
                    type: o.kind, lr: s.learningRate, momentum: o.momentum, nesterov: o.nesterov,
                    betas: [o.beta1, o.beta2], eps: o.epsilon,
                    weightDecay: s.decay == .none ? 0 : s.weightDecay, decay: s.decay, decayTo: s.decayTo),
                groups: groups, dropoutSeed: run.dropoutSeed, history: history, finalParams: nil)
        }
        let steps = e.runs.map { $0.history.last?.step ?? 0 }.max() ?? 0
        self.init(
            loss: e.loss,
            data: DataBlock(train: split(e.data.trainX, e.data.trainY), val: split(e.data.validationX, e.data.validationY)),
            model: base, batchOrder: e.batchListing(steps: steps), runs: runs)
    }

    static func records(_ network: Network) -> [LayerRecord] {
        network.layers.map { layer in
            var r = LayerRecord(type: layer.spec.name)
            switch layer {
            case let l as Linear:
                r.inputs = l.inputs
                r.outputs = l.outputs
                r.weight = rows(l.weight.value, l.outputs, l.inputs)
                r.bias = l.bias?.value
                r.weightGroup = l.weight.group
                r.biasGroup = l.bias?.group ?? .biases
            case let l as LoRALinear:
                r = loraRecord(l)
            case let n as LayerNorm:
                r.dim = n.dimension
                r.eps = n.epsilon
                r.gain = n.gain.value
                r.shift = n.shift.value
                r.group = n.gain.group
            case let e as Embedding:
                r.num = e.count
                r.dim = e.dimension
                r.weight = (0..<e.count).map { t in Array(e.table.value[(t * e.dimension)..<((t + 1) * e.dimension)]) }
                r.pool = "mean"
                r.group = e.table.group
            case let d as Dropout:
                r.p = d.p
            default:
                break
            }
            if !(layer is LoRALinear) && !layer.parameters.isEmpty && layer.parameters.allSatisfy(\.isFrozen) { r.frozen = true }
            return r
        }
    }

    /// Builds a network from layer records, checking every shape.
    public static func network(_ records: [LayerRecord]) throws -> Network {
        var width: Int? = nil
        var layers: [any Layer] = []
        for (i, r) in records.enumerated() {
            let at = "model[\(i)] (\(r.type))"
            func need<T>(_ v: T?, _ field: String) throws -> T {
                guard let v else { throw ExperimentFileError("\(at): missing \"\(field)\"") }
                return v
            }
            func flat(_ rows: [[Float]], _ n: Int, _ d: Int, _ field: String) throws -> [Float] {
                guard rows.count == n, rows.allSatisfy({ $0.count == d }) else {
                    throw ExperimentFileError("\(at): \"\(field)\" must be \(n) rows of \(d) numbers")
                }
                return rows.flatMap { $0 }
            }
            switch r.type {
            case "linear":
                let k = try need(r.inputs, "in"), m = try need(r.outputs, "out")
                guard k > 0, m > 0 else { throw ExperimentFileError("\(at): \"in\" and \"out\" must be positive") }
                if let w = width, w != k { throw ExperimentFileError("\(at): takes \(k) inputs but receives \(w)") }
                let w = try flat(try need(r.weight, "weight"), m, k, "weight")
                let weight = Parameter(name: "\(i).weight", group: r.weightGroup ?? .weights, shape: [m, k], value: w)
                var bias: Parameter? = nil
                if let b = r.bias {
                    guard b.count == m else { throw ExperimentFileError("\(at): \"bias\" must have \(m) numbers") }
                    bias = Parameter(name: "\(i).bias", group: r.biasGroup ?? .biases, shape: [m], value: b)
                }
                layers.append(Linear(weight: weight, bias: bias))
                width = m
            case "relu", "tanh", "gelu":
                layers.append(Activation(Activation.Kind(rawValue: r.type)!))
            case "layernorm":
                let d = try need(r.dim, "dim")
                if let w = width, w != d { throw ExperimentFileError("\(at): normalizes \(d) features but receives \(w)") }
                let gain = try need(r.gain, "gain"), shift = try need(r.shift, "shift")
                guard gain.count == d, shift.count == d else {
                    throw ExperimentFileError("\(at): \"gain\" and \"shift\" must have \(d) numbers")
                }
                let g = r.group ?? .layerNorms
                layers.append(LayerNorm(
                    gain: Parameter(name: "\(i).gain", group: g, shape: [d], value: gain),
                    shift: Parameter(name: "\(i).shift", group: g, shape: [d], value: shift),
                    epsilon: r.eps ?? 1e-5))
                width = d
            case "embedding":
                let n = try need(r.num, "num"), d = try need(r.dim, "dim")
                guard n > 0, d > 0 else { throw ExperimentFileError("\(at): \"num\" and \"dim\" must be positive") }
                if let pool = r.pool, pool != "mean" { throw ExperimentFileError("\(at): only \"pool\": \"mean\" is supported") }
                let t = try flat(try need(r.weight, "weight"), n, d, "weight")
                layers.append(Embedding(table: Parameter(name: "\(i).weight", group: r.group ?? .embeddings, shape: [n, d], value: t)))
                width = d
            case "dropout":
                let p = try need(r.p, "p")
                guard p >= 0, p < 1 else { throw ExperimentFileError("\(at): \"p\" must be in [0, 1)") }
                layers.append(Dropout(p: p))
            case "lora":
                let l = try loraLayer(r, index: i, at: at, receives: width)
                layers.append(l)
                width = l.outputs
            default:
                throw ExperimentFileError("\(at): unknown layer type; expected linear, lora, relu, tanh, gelu, layernorm, embedding or dropout")
            }
            if r.frozen == true, r.type != "lora", let last = layers.last { for p in last.parameters { p.isFrozen = true } }
        }
        guard !layers.isEmpty else { throw ExperimentFileError("model: no layers") }
        return Network(layers: layers)
    }
}

extension ExperimentFile {
    /// x and y as tables: every row of x (and of y, when y has rows) equally long.
    static func checkRectangular(_ split: Split, _ name: String) throws {
        let width = split.x.first?.count ?? 0
        guard split.x.allSatisfy({ $0.count == width }) else {
            throw ExperimentFileError("data.\(name).x: every row must have \(width) numbers, as the first does")
        }
        if case let .rows(rows) = split.y, let first = rows.first, !rows.allSatisfy({ $0.count == first.count }) {
            throw ExperimentFileError("data.\(name).y: every row must have \(first.count) targets, as the first does")
        }
    }

    /// Checks that both splits fit a network (input width, token ids, class
    /// ids, target width), so a malformed file is an error here rather than
    /// a trap or a silent clamp inside training.
    static func checkFit(_ network: Network, _ data: DataBlock, loss: LossKind, model: String) throws {
        for (name, split) in [("train", data.train), ("val", data.val)] where !split.x.isEmpty {
            let at = "data.\(name)"
            var width = split.x[0].count
            for (i, layer) in network.layers.enumerated() {
                if let e = layer as? Embedding,
                   let bad = split.x.joined().first(where: { $0 != $0.rounded() || $0 < 0 || $0 >= Float(e.count) }) {
                    throw ExperimentFileError("\(at).x: token id \(bad) is not one of the \(e.count) rows of \(model)[\(i)]")
                }
                guard let next = layer.spec.outputWidth(inputWidth: width) else {
                    throw ExperimentFileError("\(at).x: rows of \(split.x[0].count) numbers do not fit \(model)[\(i)] (\(layer.spec.name))")
                }
                width = next
            }
            switch (loss, split.y) {
            case let (.crossEntropy, .scalars(labels)):
                if let bad = labels.first(where: { $0 != $0.rounded() || $0 < 0 || $0 >= Float(width) }) {
                    throw ExperimentFileError("\(at).y: \(bad) is not a class id of the \(width) outputs (0…\(width - 1))")
                }
            case (.crossEntropy, .rows):
                throw ExperimentFileError("\(at).y: cross_entropy needs one class id per row")
            case (.mse, .scalars):
                guard width == 1 else { throw ExperimentFileError("\(at).y: one target per row, but \(model) has \(width) outputs") }
            case let (.mse, .rows(rows)):
                guard rows.allSatisfy({ $0.count == width }) else {
                    throw ExperimentFileError("\(at).y: rows of targets must have \(width) numbers, one per output of \(model)")
                }
            }
        }
    }
}

extension Experiment {
    /// Rebuilds the experiment an `experiment.json` describes: same data,
    /// initial parameters, minibatches, dropout seeds and per-step learning
    /// rates, so training it reproduces the recorded history.
    public convenience init(file f: ExperimentFile) throws {
        guard f.format == ExperimentFile.formatName else {
            throw ExperimentFileError("format is \"\(f.format)\", expected \"\(ExperimentFile.formatName)\"")
        }
        guard !f.runs.isEmpty else { throw ExperimentFileError("runs: at least one run is needed") }
        let spec = DataSpec(kind: f.loss == .mse ? .linearRegression : .moons)
        try ExperimentFile.checkRectangular(f.data.train, "train")
        try ExperimentFile.checkRectangular(f.data.val, "val")
        let trainX = Matrix(f.data.train.x), valX = Matrix(f.data.val.x)
        let trainY = f.data.train.y.matrix, valY = f.data.val.y.matrix
        guard trainX.rows == trainY.rows, valX.rows == valY.rows, trainX.rows > 0 else {
            throw ExperimentFileError("data: x and y must have the same number of rows, and train at least one")
        }
        let base = try ExperimentFile.network(f.model)
        try ExperimentFile.checkFit(base, f.data, loss: f.loss, model: "model")
        let usesTokens = base.layers.first is Embedding
        let data = DataSet(spec: spec, trainX: trainX, trainY: trainY, validationX: valX, validationY: valY,
                           tokenInputs: usesTokens)
        var settings: [RunSettings] = []
        var networks: [Network?] = []
        var rates: [[Float]?] = []
        for r in f.runs {
            let o = r.optimizer
            guard o.betas.count == 2 else { throw ExperimentFileError("run \"\(r.name)\": \"betas\" must have two numbers") }
            let opt = OptimizerSpec(kind: o.type, learningRate: o.lr, momentum: o.momentum, nesterov: o.nesterov,
                                    beta1: o.betas[0], beta2: o.betas[1], epsilon: o.eps)
            var groups: [ParameterGroup: Bool] = [:]
            for (name, g) in r.groups {
                guard let group = ParameterGroup(rawValue: name) else {
                    throw ExperimentFileError("run \"\(r.name)\": unknown group \"\(name)\"")
                }
                groups[group] = g.decay
            }
            let net = try r.model.map(ExperimentFile.network)
            if let net { try ExperimentFile.checkFit(net, f.data, loss: f.loss, model: "run \"\(r.name)\" model") }
            let dropout = (net ?? base).layers.compactMap { ($0 as? Dropout)?.p }.first ?? 0
            var run = RunSettings(optimizer: opt, decay: o.decay, weightDecay: o.weightDecay,
                                  dropout: dropout, groups: groups, decayTo: o.decayTo ?? .zero)
            run.loraDropout = (net ?? base).adapterLayers.first?.layer.dropout ?? 0
            // A run recorded shorter than the others stopped early.
            if r.history.count > 0, r.history.count < (f.runs.map(\.history.count).max() ?? 0) { run.steps = r.history.count }
            settings.append(run)
            networks.append(net)
            rates.append(r.history.isEmpty ? nil : r.history.map(\.lr))
        }
        let batches: BatchOrder.Source = f.batchOrder.map { order in .explicit(order) } ?? .full
        if let order = f.batchOrder, let bad = order.joined().first(where: { $0 < 0 || $0 >= trainX.rows }) {
            throw ExperimentFileError("batch_order: row \(bad) is outside the \(trainX.rows) training rows")
        }
        let steps = f.runs.map(\.history.count).max() ?? 0
        self.init(
            spec: nil, data: data, network: base, runNetworks: networks, runNames: f.runs.map(\.name),
            settings: settings, batches: batches, dropoutSeeds: f.runs.map { $0.dropoutSeed ?? 0 },
            learningRates: rates, loss: f.loss, historyCapacity: max(steps, 4096))
        // Measure validation where the file did (it may skip steps), so the
        // rebuilt history is the recorded one.
        let measured = f.runs.flatMap { $0.history.compactMap { $0.valLoss == nil ? nil : $0.step } }
        if measured.count < f.runs.reduce(0, { $0 + $1.history.count }) {
            validationSteps = (Set(measured), steps)
        }
    }
}
