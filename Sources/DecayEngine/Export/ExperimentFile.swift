/// `experiment.json`, format "decay-tutor.experiment/1": a self-contained
/// record of an experiment — data, initial parameters in PyTorch's layout,
/// minibatch order, optimizer settings and the tutor's own per-step history —
/// that other tools (the exported `reproduce.py`, the PyTorch fixtures) read
/// and write. Field names are the contract; do not rename them.
public struct ExperimentFile: Codable, Sendable, Equatable {
    public static let formatName = "decay-tutor.experiment/1"

    public var format: String
    public var loss: LossKind
    public var data: DataBlock
    public var model: [LayerRecord]
    /// nil: every step uses the whole training set.
    public var batchOrder: [[Int]]?
    public var runs: [RunRecord]

    enum CodingKeys: String, CodingKey {
        case format, loss, data, model, runs
        case batchOrder = "batch_order"
    }

    public init(loss: LossKind, data: DataBlock, model: [LayerRecord], batchOrder: [[Int]]?, runs: [RunRecord]) {
        self.format = Self.formatName
        self.loss = loss
        self.data = data
        self.model = model
        self.batchOrder = batchOrder
        self.runs = runs
    }

    // `batch_order: null` is part of the contract, so it is written explicitly.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(loss, forKey: .loss)
        try c.encode(data, forKey: .data)
        try c.encode(model, forKey: .model)
        if let batchOrder { try c.encode(batchOrder, forKey: .batchOrder) } else { try c.encodeNil(forKey: .batchOrder) }
        try c.encode(runs, forKey: .runs)
    }

    public struct Split: Codable, Sendable, Equatable {
        /// Rows of features, or of token ids for embedding models.
        public var x: [[Float]]
        /// One value per row (class id, or a scalar target), or a row of targets.
        public var y: Targets

        public init(x: [[Float]], y: Targets) {
            self.x = x
            self.y = y
        }
    }

    public enum Targets: Codable, Sendable, Equatable {
        case scalars([Float])
        case rows([[Float]])

        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let rows = try? c.decode([[Float]].self) { self = .rows(rows) } else { self = .scalars(try c.decode([Float].self)) }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case let .scalars(v): try c.encode(v)
            case let .rows(v): try c.encode(v)
            }
        }

        public var matrix: Matrix {
            switch self {
            case let .scalars(v): Matrix(rows: v.count, columns: 1, storage: v)
            case let .rows(v): Matrix(v)
            }
        }
    }

    public struct DataBlock: Codable, Sendable, Equatable {
        public var train: Split
        public var val: Split

        public init(train: Split, val: Split) {
            self.train = train
            self.val = val
        }
    }

    /// One layer with its initial parameters.
    public struct LayerRecord: Codable, Sendable, Equatable {
        public var type: String
        public var inputs: Int?
        public var outputs: Int?
        public var weight: [[Float]]?
        public var bias: [Float]?
        public var weightGroup: ParameterGroup?
        public var biasGroup: ParameterGroup?
        public var dim: Int?
        public var eps: Float?
        public var gain: [Float]?
        public var shift: [Float]?
        public var group: ParameterGroup?
        public var num: Int?
        public var pool: String?
        public var p: Float?
        /// A LoRA layer ("type": "lora"): W₀ and b in `weight`/`bias`
        /// (frozen), r, lora_alpha, use_rslora, lora_dropout and the
        /// factors A (r rows of `in`) and B (`out` rows of r), in `group`.
        public var rank: Int?
        public var alpha: Float?
        public var rsLoRA: Bool?
        public var loraDropout: Float?
        public var loraA: [[Float]]?
        public var loraB: [[Float]]?
        /// true: this layer's tensors are frozen (no gradient, in no
        /// optimizer group), as peft leaves a model's base. Absent: trained.
        public var frozen: Bool?

        enum CodingKeys: String, CodingKey {
            case type, weight, bias, dim, eps, gain, shift, group, num, pool, p, rank, alpha, frozen
            case inputs = "in", outputs = "out"
            case weightGroup = "weight_group", biasGroup = "bias_group"
            case rsLoRA = "rslora", loraDropout = "lora_dropout", loraA = "lora_A", loraB = "lora_B"
        }

        public init(type: String) { self.type = type }

        // A linear layer's "bias" is written as null when absent, as the contract shows.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(type, forKey: .type)
            try c.encodeIfPresent(inputs, forKey: .inputs)
            try c.encodeIfPresent(outputs, forKey: .outputs)
            try c.encodeIfPresent(weight, forKey: .weight)
            if type == "linear" || type == "lora" {
                if let bias { try c.encode(bias, forKey: .bias) } else { try c.encodeNil(forKey: .bias) }
            }
            try c.encodeIfPresent(weightGroup, forKey: .weightGroup)
            try c.encodeIfPresent(biasGroup, forKey: .biasGroup)
            try c.encodeIfPresent(dim, forKey: .dim)
            try c.encodeIfPresent(eps, forKey: .eps)
            try c.encodeIfPresent(gain, forKey: .gain)
            try c.encodeIfPresent(shift, forKey: .shift)
            try c.encodeIfPresent(group, forKey: .group)
            try c.encodeIfPresent(num, forKey: .num)
            try c.encodeIfPresent(pool, forKey: .pool)
            try c.encodeIfPresent(p, forKey: .p)
            try c.encodeIfPresent(rank, forKey: .rank)
            try c.encodeIfPresent(alpha, forKey: .alpha)
            try c.encodeIfPresent(rsLoRA, forKey: .rsLoRA)
            try c.encodeIfPresent(loraDropout, forKey: .loraDropout)
            try c.encodeIfPresent(loraA, forKey: .loraA)
            try c.encodeIfPresent(loraB, forKey: .loraB)
            try c.encodeIfPresent(frozen, forKey: .frozen)
        }
    }

    public struct OptimizerRecord: Codable, Sendable, Equatable {
        public var type: OptimizerSpec.Kind
        public var lr: Float
        public var momentum: Float
        public var nesterov: Bool
        public var betas: [Float]
        public var eps: Float
        public var weightDecay: Float
        public var decay: DecayMode
        /// What decay pulls toward: "zero", or "init", the run's initial
        /// parameters (its model's, i.e. the pretrained ones when the run
        /// starts from pretraining). Absent in older files: zero.
        public var decayTo: DecayTarget?

        enum CodingKeys: String, CodingKey {
            case type, lr, momentum, nesterov, betas, eps, decay
            case weightDecay = "weight_decay", decayTo = "decay_to"
        }
    }

    public struct GroupRecord: Codable, Sendable, Equatable {
        public var decay: Bool
    }

    public struct HistoryRecord: Codable, Sendable, Equatable {
        public var step: Int
        public var lr: Float
        public var trainLoss: Float
        public var valLoss: Float?
        public var valAccuracy: Float?
        public var norms: [String: Float]

        enum CodingKeys: String, CodingKey {
            case step, lr, norms
            case trainLoss = "train_loss", valLoss = "val_loss", valAccuracy = "val_accuracy"
        }
    }

    public struct RunRecord: Codable, Sendable, Equatable {
        public var name: String
        public var model: [LayerRecord]?
        public var optimizer: OptimizerRecord
        public var groups: [String: GroupRecord]
        public var dropoutSeed: UInt64?
        public var history: [HistoryRecord]
        /// Every parameter tensor flattened, in model order, after the last
        /// step (written by the reference fixtures; optional elsewhere).
        public var finalParams: [[Float]]?

        enum CodingKeys: String, CodingKey {
            case name, model, optimizer, groups, history
            case dropoutSeed = "dropout_seed", finalParams = "final_params"
        }
    }
}
