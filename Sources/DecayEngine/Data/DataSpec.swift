/// Which synthetic data set, its size and split. Every data set is generated
/// from the experiment's seed; nothing is downloaded.
public struct DataSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// y = 0.05 + Σ 0.01·xᵢ + ε over many inputs and few examples: the
        /// textbook setting where an unregularized model memorizes noise.
        case linearRegression = "linreg"
        /// A smooth 1-D curve sampled at a few noisy points, fitted through
        /// polynomial features x, x², …, x^degree.
        case polynomial
        /// Two interleaved half circles, two classes.
        case moons
        /// Interleaved spiral arms, one class per arm.
        case spirals
        /// Sequences of token ids with a long tail of rare tokens; the class
        /// is the sign of the sequence's summed hidden token scores.
        case tokens
    }

    public var kind: Kind
    public var trainCount: Int
    public var validationCount: Int
    /// Input features (linreg).
    public var inputs: Int
    /// Polynomial degree of the features (polynomial).
    public var degree: Int
    /// Standard deviation of the additive noise (inputs or targets).
    public var noise: Float
    /// Linreg only: every input's weight in the true function
    /// y = 0.05 + Σ trueWeight·xᵢ + ε. The textbook's 0.01 makes the true
    /// weights so small that shrinking w all the way to zero costs almost
    /// nothing; a larger one gives the data signal that too much decay loses.
    public var trueWeight: Float = 0.01
    /// Fraction of training labels flipped at random (classification).
    public var labelNoise: Float
    /// Arms of the spiral (spirals) or classes.
    public var classes: Int
    /// Vocabulary size and tokens per example (tokens).
    public var vocabulary: Int
    public var sequenceLength: Int
    /// Tokens only: the data set is one of a family of related tasks whose
    /// hidden token scores correlate this much with the family's base task
    /// (1: the base task itself). The scores then come from a fixed task
    /// stream, not from the seed, so a pretraining set (ρ = 1) and a
    /// fine-tuning set (ρ < 1) drawn with different seeds share the task.
    /// nil: the scores are drawn from the seed, as for every other data set.
    public var taskCorrelation: Float? = nil

    public init(
        kind: Kind, trainCount: Int? = nil, validationCount: Int? = nil, inputs: Int? = nil,
        degree: Int? = nil, noise: Float? = nil, labelNoise: Float? = nil, classes: Int? = nil,
        vocabulary: Int? = nil, sequenceLength: Int? = nil
    ) {
        self.kind = kind
        let d = Self.defaults(kind)
        self.trainCount = trainCount ?? d.trainCount
        self.validationCount = validationCount ?? d.validationCount
        self.inputs = inputs ?? d.inputs
        self.degree = degree ?? d.degree
        self.noise = noise ?? d.noise
        self.labelNoise = labelNoise ?? d.labelNoise
        self.classes = classes ?? d.classes
        self.vocabulary = vocabulary ?? d.vocabulary
        self.sequenceLength = sequenceLength ?? d.sequenceLength
    }

    private init(_ kind: Kind, _ train: Int, _ val: Int, inputs: Int = 2, degree: Int = 0, noise: Float,
                 labelNoise: Float = 0, classes: Int = 2, vocabulary: Int = 0, sequenceLength: Int = 0) {
        self.kind = kind
        trainCount = train
        validationCount = val
        self.inputs = inputs
        self.degree = degree
        self.noise = noise
        self.labelNoise = labelNoise
        self.classes = classes
        self.vocabulary = vocabulary
        self.sequenceLength = sequenceLength
    }

    /// The defaults a lesson gets when it names only the kind.
    public static func defaults(_ kind: Kind) -> DataSpec {
        switch kind {
        case .linearRegression: DataSpec(kind, 20, 100, inputs: 200, noise: 0.01)
        case .polynomial: DataSpec(kind, 12, 100, inputs: 1, degree: 12, noise: 0.15)
        case .moons: DataSpec(kind, 100, 400, noise: 0.2, labelNoise: 0.1)
        case .spirals: DataSpec(kind, 150, 450, noise: 0.15, labelNoise: 0.05, classes: 3)
        case .tokens: DataSpec(kind, 300, 600, noise: 0, labelNoise: 0.05, vocabulary: 400, sequenceLength: 8)
        }
    }

    public var isClassification: Bool { kind.isClassification }
    public var loss: LossKind { isClassification ? .crossEntropy : .mse }
}

extension DataSpec.Kind {
    /// Whether the targets are class labels (cross-entropy, accuracy).
    public var isClassification: Bool {
        switch self {
        case .moons, .spirals, .tokens: true
        case .linearRegression, .polynomial: false
        }
    }
}
