/// A checkpoint's tensors under both decay rules, with the totals and the
/// tensors where the rules disagree.
public struct ModelSummary: Sendable {
    public struct Row: Sendable {
        public var tensor: TensorInfo
        public var decayTrainer: Bool
        public var trainerReason: DecayRules.Reason
        public var decayByDimension: Bool
        public var disagrees: Bool { decayTrainer != decayByDimension }
    }

    public var rows: [Row]
    public var totalParameters: Int
    public var decayedByTrainer: Int
    public var decayedByDimension: Int
    public var modelType: String?
    /// True when LayerNorm modules were recognised by name and shape only
    /// (no `config.json`, or a model type this tool does not know).
    public var layerNormsGuessed: Bool
    public var files: [String]

    public init(checkpoint: Checkpoint) {
        let (norms, guessed) = DecayRules.layerNormModules(tensors: checkpoint.tensors, modelType: checkpoint.modelType)
        rows = checkpoint.tensors.map { t in
            let reason = DecayRules.trainerReason(t.name, layerNormModules: norms)
            return Row(tensor: t, decayTrainer: reason == .decayed, trainerReason: reason,
                       decayByDimension: DecayRules.decaysByDimension(t.shape))
        }
        // Sums saturate: counts come from the file, and a hostile header must
        // not trap the sum (each count alone is bounded by the data's size).
        func sum(_ rows: some Sequence<Row>) -> Int {
            rows.reduce(0) { total, r in
                let (s, o) = total.addingReportingOverflow(r.tensor.parameterCount)
                return o ? Int.max : s
            }
        }
        totalParameters = sum(rows)
        decayedByTrainer = sum(rows.lazy.filter(\.decayTrainer))
        decayedByDimension = sum(rows.lazy.filter(\.decayByDimension))
        modelType = checkpoint.modelType
        layerNormsGuessed = guessed
        files = checkpoint.files
    }

    public var disagreements: [Row] { rows.filter(\.disagrees) }
}
