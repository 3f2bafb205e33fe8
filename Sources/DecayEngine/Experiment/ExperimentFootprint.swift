/// The bytes an experiment holds at its peak, counted buffer by buffer from
/// the engine's own layout (nothing is allocated): `ResourceEstimate`'s
/// memory side. Each term names the allocation it stands for, so a new
/// buffer in the engine is a new term here; the estimate is tested as an
/// upper bound on measured peak memory.
///
/// Counts are Doubles: a hostile spec's product of bounded keys overflows Int.
struct ExperimentFootprint {
    /// Bytes of parameters, gradients, optimizer state and the copies the
    /// runs keep (the step before an update, θ₀), for every run at every seed.
    var model = 0.0
    /// Bytes of the data sets (one per seed where seeds draw their own), the
    /// gathered minibatch and the minibatch order.
    var data = 0.0
    /// Bytes of the layers' outputs (for the largest pass: a minibatch, the
    /// validation set or the whole training set), their gradients for a
    /// minibatch, and the LayerNorm and dropout buffers, for every run.
    var activations = 0.0
    /// Bytes of the runs' histories, each at its full capacity.
    var history = 0.0
    /// Bytes the pretraining phase holds on top of the rest (its data set,
    /// its run, the copies made to key and cache the result), when any.
    var pretraining = 0.0

    static let float = 4.0, int = 8.0
    /// A history entry as stored: its record (step and settings) and a row
    /// of one Float per recorded metric — at most every metric any model
    /// measures.
    static let historyEntry = Double(MemoryLayout<History.Record>.stride)
        + float * Double(MetricScope.everything.measured.count)

    /// The shapes of one experiment's network.
    struct Shape {
        var layers: [LayerSpec]
        var inputWidth: Double
        var parameters = 0.0
        /// Σ of each activation's width: the input and every layer's output.
        var activationWidths: Double
        /// Σ of the widths that get a gradient in backward (every layer's output).
        var gradientWidths = 0.0
        /// Widths of the LayerNorm and dropout layers.
        var layerNormWidths = 0.0, layerNorms = 0.0, dropoutWidths = 0.0

        init(spec: ExperimentSpec) {
            let d = spec.data
            let input = switch d.kind {
            case .linearRegression: d.inputs
            case .polynomial: d.degree
            case .moons, .spirals: 2
            case .tokens: d.sequenceLength
            }
            let output = d.isClassification ? d.classes : 1
            layers = spec.model.layers(inputWidth: input, outputWidth: output, vocabulary: d.vocabulary, dropout: spec.dropout)
            inputWidth = Double(input)
            activationWidths = inputWidth
            var width = inputWidth
            for layer in layers {
                switch layer {
                case let .linear(i, o, bias):
                    parameters += Double(i) * Double(o) + (bias ? Double(o) : 0)
                    width = Double(o)
                case let .lora(i, o, bias, r, _, _, _):
                    // W₀ and b counted as if they trained (their gradient
                    // and state are then over-counted, never under), the
                    // factors, and the adapter's own buffers: its input
                    // after dropout and the rank-wide product.
                    parameters += Double(i) * Double(o) + (bias ? Double(o) : 0) + Double(r) * Double(i + o)
                    activationWidths += Double(i + r)
                    gradientWidths += Double(i + r)
                    width = Double(o)
                case let .layerNorm(dimension, _):
                    parameters += 2 * Double(dimension)
                    width = Double(dimension)
                    layerNormWidths += width
                    layerNorms += 1
                case let .embedding(count, dimension):
                    parameters += Double(count) * Double(dimension)
                    width = Double(dimension)
                case .dropout:
                    dropoutWidths += width
                case .relu, .tanh, .gelu:
                    break
                }
                activationWidths += width
                gradientWidths += width
            }
        }
    }

    /// One seeded experiment as `SeededExperiment` (or its flattened form
    /// for `run` and `export`) builds it.
    init(spec: ExperimentSpec, historyCapacity: Int) {
        let shape = Shape(spec: spec)
        let p = shape.parameters
        let runs = spec.resolvedRuns
        let seeds = max(1, runs.map { max(1, $0.seeds ?? spec.seeds) }.max() ?? spec.seeds)
        let train = Double(max(spec.data.trainCount, 0)), val = Double(max(spec.data.validationCount, 0))
        let batch = min(Double(spec.batchSize ?? Int.max), train)
        // Runs at every seed: run i trains at its own count of seeds.
        var instances = 0.0, stateBuffers = 0.0, anchors = 0.0
        for run in runs {
            let settings = RunSettings(run: run, experiment: spec)
            let count = Double(max(1, run.seeds ?? spec.seeds))
            instances += count
            stateBuffers += count * Double(settings.optimizer.kind.makeRule(settings.optimizer).stateBuffersPerParameter)
            if settings.storesInitialParameters { anchors += count }
        }
        // Per run: value, gradient, the snapshot before each update
        // (‖Δp‖), optimizer state and θ₀ where kept; per seed: the shared
        // initial network (value and gradient).
        // Each adapter a seed's runs use is a starting network of its own.
        let adapters = Double(Set(runs.compactMap { spec.adapter(of: $0) }).count)
        model = Self.float * p * (3 * instances + stateBuffers + anchors + (2 + adapters) * Double(seeds))
        let sets = spec.pretrain == nil ? 1 : Double(seeds)   // pretrained steps draw each seed's own data
        data = sets * Self.dataSet(spec, train: train, val: val, inputWidth: shape.inputWidth)
            + Double(seeds) * Self.batchBuffers(train: train, batch: batch, inputWidth: shape.inputWidth)
        activations = instances * Self.activations(shape, rows: max(train, val, batch), batch: batch)
        history = instances * Double(max(historyCapacity, 0)) * Self.historyEntry
        if let pretrain = spec.pretrain {
            pretraining = Self.pretraining(pretrain, spec: spec, parameters: p)
        }
    }

    var total: Double { model + data + activations + history + pretraining }

    /// Inputs and targets of both splits, and what generating them holds
    /// for a moment (token scores, coordinates for the fit chart).
    static func dataSet(_ spec: ExperimentSpec, train: Double, val: Double, inputWidth: Double) -> Double {
        var bytes = float * (train + val) * (inputWidth + 1)
        switch spec.data.kind {
        case .polynomial:
            // Coordinates kept for the fit chart, the truth grid, and one row of features at a time.
            bytes += float * (train + val) + 2 * float * 201 + float * 64
        case .tokens:
            // Token scores (base, fresh draw and mix), the Zipf table, and the frequency bands.
            let v = Double(max(spec.data.vocabulary, 2))
            bytes += 3 * 8 * v + 8 * v + 3 * int * v
        case .linearRegression, .moons, .spirals:
            break
        }
        return bytes
    }

    /// The gathered minibatch, the order it is drawn from and its row list.
    static func batchBuffers(train: Double, batch: Double, inputWidth: Double) -> Double {
        float * batch * (inputWidth + 1) + int * (train + batch)
    }

    /// One run's layer buffers: outputs for the largest pass (`rows`),
    /// gradients for a minibatch, LayerNorm's x̂ and 1/σ, dropout masks.
    static func activations(_ shape: Shape, rows: Double, batch: Double) -> Double {
        float * (rows * shape.activationWidths + batch * shape.gradientWidths
                 + rows * (shape.layerNormWidths + shape.layerNorms) + batch * shape.dropoutWidths)
    }

    /// What pretraining holds while it runs, beside the experiment's own
    /// data and starting network: the pretraining set, its experiment (a
    /// copy of the start and a run with its state and buffers), and the
    /// copies made to key, cache and remember the result.
    static func pretraining(_ pretrain: PretrainSpec, spec: ExperimentSpec, parameters p: Double) -> Double {
        let pspec = pretrain.pretrainingSpec(for: spec)
        let shape = Shape(spec: pspec)
        let train = Double(pspec.data.trainCount), val = Double(pspec.data.validationCount)
        let batch = min(Double(pspec.batchSize ?? Int.max), train)
        let settings = RunSettings(run: pspec.resolvedRuns[0], experiment: pspec)
        let state = Double(settings.optimizer.kind.makeRule(settings.optimizer).stateBuffersPerParameter)
        let run = float * p * (3 + state) + activations(shape, rows: max(train, val, batch), batch: batch) + 16 * historyEntry
        let copies = float * p * (2 + 2 + 3)   // the experiment's initial network, the result's two flat copies and the cache file
        return dataSet(pspec, train: train, val: val, inputWidth: shape.inputWidth)
            + batchBuffers(train: train, batch: batch, inputWidth: shape.inputWidth) + run + copies
    }
}
