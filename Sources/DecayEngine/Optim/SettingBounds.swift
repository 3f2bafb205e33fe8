/// The ranges a run's live settings may take, wherever they come from — a
/// lesson file, a command-line option or a control — with the words that
/// say so. Outside them a run is not a lesson any more (λ = 3e38 makes
/// every step a NaN).
public enum SettingBounds {
    public static let lambda: ClosedRange<Double> = 0...1e4
    public static let lambdaText = "λ must be ≥ 0 (and at most 1e4)"

    /// lr > 0; the closed range's lower end is the smallest positive Double.
    public static let learningRate: ClosedRange<Double> = Double.leastNonzeroMagnitude...10
    public static let learningRateText = "lr must be > 0 and ≤ 10"

    /// Dropout p in [0, 1).
    public static let dropout: Range<Double> = 0..<1
    public static let dropoutText = "dropout p must be in [0, 1)"

    /// lora_dropout in [0, 1), as torch's Dropout takes it.
    public static let loraDropoutText = "lora_dropout must be in [0, 1)"

    /// LoRA rank r, and lora_alpha.
    public static let rank: ClosedRange<Int> = 1...256
    public static let alpha: ClosedRange<Double> = Double.leastNonzeroMagnitude...4096
    public static let alphaText = "lora_alpha must be > 0 (and at most 4096)"

    /// Training steps of a run, a sweep's cell, a goal's replay or a command line.
    public static let steps: ClosedRange<Int> = 1...100_000
    /// Seeds: the integers a Double (JSON, Python) holds exactly.
    public static let seed: ClosedRange<Int> = 0...(1 << 53)

    /// Whether a control may take `value` (NaN and infinities never).
    public static func allows(_ control: Control, _ value: Double) -> Bool {
        switch control {
        case .lambda: lambda.contains(value)
        case .learningRate: learningRate.contains(value)
        case .dropout, .loraDropout: dropout.contains(value)
        }
    }

    /// The range's words for a control's value, or nil when it is allowed.
    public static func check(_ control: Control, _ value: Double) -> String? {
        guard !allows(control, value) else { return nil }
        switch control {
        case .lambda: return lambdaText
        case .learningRate: return learningRateText
        case .dropout: return dropoutText
        case .loraDropout: return loraDropoutText
        }
    }
}
