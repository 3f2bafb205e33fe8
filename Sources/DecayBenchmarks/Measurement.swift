/// Repeated timings of one benchmark and their order statistics.
///
/// Benchmarks on a shared machine are noisy in one direction (something else
/// took the core), so the median is the figure; min/max and the interquartile
/// range say how noisy the run was.
public struct Measurement: Sendable {
    /// The JSON key, e.g. `adamw_ns_per_param_4M_t1`.
    public var key: String
    /// What a person reads in the table.
    public var label: String
    public var unit: String
    /// Whether a larger value is better (throughputs) or worse (times).
    public var higherIsBetter: Bool
    /// One value per repetition, after warm-up, in the order measured.
    public var samples: [Double]
    /// How the figure was taken (validation cadence, threads, …).
    public var note: String
    /// The comparison figure and the target from the performance issue, if any.
    public var reference: Double?
    public var target: Double?

    public init(key: String, label: String, unit: String, higherIsBetter: Bool, samples: [Double],
                note: String = "", reference: Double? = nil, target: Double? = nil) {
        self.key = key
        self.label = label
        self.unit = unit
        self.higherIsBetter = higherIsBetter
        self.samples = samples
        self.note = note
        self.reference = reference
        self.target = target
    }

    /// NaN when there are no samples (e.g. a benchmark that is not wired in).
    public var median: Double { quantile(0.5) }
    public var minimum: Double { samples.min() ?? .nan }
    public var maximum: Double { samples.max() ?? .nan }
    public var lowerQuartile: Double { quantile(0.25) }
    public var upperQuartile: Double { quantile(0.75) }
    public var isAvailable: Bool { !samples.isEmpty && median.isFinite }

    /// Whether the median meets the target (nil without a target or samples).
    public var meetsTarget: Bool? {
        guard let target, isAvailable else { return nil }
        return higherIsBetter ? median >= target : median <= target
    }

    /// Linear interpolation between order statistics (type 7, R's default).
    public func quantile(_ q: Double) -> Double {
        let s = samples.sorted()
        guard !s.isEmpty else { return .nan }
        let h = Double(s.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, s.count - 1)
        return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
    }
}
