/// What only an Axolotl config says: how it counts its steps (batch size,
/// validation split, sample packing, streaming, RL trainer) and where
/// training starts.
public struct AxolotlSettings: Equatable, Sendable {
    /// `batch_size`, which Axolotl divides the data by when it is set.
    public var batchSize: Int?
    /// `val_set_size`: a fraction of the data (≤ 1) or a count (> 1) held out before counting steps.
    public var valSetSize: Double = 0
    public var samplePacking = false
    /// `sample_packing_eff_est` and `total_num_tokens`, which let Axolotl
    /// count packed steps without packing the data.
    public var packingEfficiency: Double?
    public var totalTokens: Int?
    public var sequenceLength = 512
    public var streaming = false
    public var pretrainingDataset = false
    /// `rl`: dpo, ipo, kto, orpo, simpo, grpo, gdpo, ebft (nil: supervised fine-tuning).
    public var rl: String?
    public var baseModel: String?
    public var reinitWeights = false
    /// `cosine_min_lr_ratio` and `cosine_constant_lr_ratio` as written.
    public var cosineMinLRRatio: Double?
    public var cosineConstantLRRatio: Double?
    public var quadraticWarmup = false

    /// The batch Axolotl's step count divides the data by: `batch_size`,
    /// or micro batch × accumulation (one device).
    func countingBatch(_ c: TrainingConfig) -> Int { batchSize ?? c.batchSize * c.accumulation }

    /// Whether Axolotl leaves the step count to the trainer (GRPO, EBFT).
    var trainerCountsSteps: Bool { rl == "grpo" || rl == "ebft" }
}
