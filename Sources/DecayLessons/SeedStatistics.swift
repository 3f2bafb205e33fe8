import DecayEngine

/// Per-step statistics over a run's seeds: every recorded metric reduced
/// across seeds (median, min, max), entries matched by step. The chart
/// draws the median as the run's line and min–max as its band; the numbers
/// panel and the goal read the median. Derived metrics (the gaps) derive
/// from the reduced ones, as they do from a single seed's.
public enum SeedStatistics {
    /// The median of `values` (the mean of the middle two for an even count);
    /// NaN if any value is NaN (a step without validation, a diverged seed).
    public static func median(_ values: [Float]) -> Float {
        guard !values.isEmpty, !values.contains(where: \.isNaN) else { return .nan }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    public static func minimum(_ values: [Float]) -> Float {
        values.contains(where: \.isNaN) ? .nan : values.min() ?? .nan
    }

    public static func maximum(_ values: [Float]) -> Float {
        values.contains(where: \.isNaN) ? .nan : values.max() ?? .nan
    }

    public static func median(_ seeds: [History]) -> History { combine(seeds, median) }
    public static func minimum(_ seeds: [History]) -> History { combine(seeds, minimum) }
    public static func maximum(_ seeds: [History]) -> History { combine(seeds, maximum) }

    /// Every metric of the first seed's entries reduced across the seeds
    /// that have an entry at that step (a seed that stopped early, by
    /// diverging, drops out of the later steps). The step's settings
    /// (learning rate, λ) are the first seed's.
    public static func combine(_ seeds: [History], _ reduce: ([Float]) -> Float) -> History {
        guard let first = seeds.first else { return History() }
        guard seeds.count > 1 else { return first }
        let layout = first.layout
        let slots = seeds.map { h in layout.metrics.map { h.layout.slot($0) } }
        var out = History(layout: layout, capacity: max(first.count, 2))
        var row = [Float](repeating: .nan, count: layout.width)
        var values: [Float] = []
        values.reserveCapacity(seeds.count)
        for (i, entry) in first.enumerated() {
            let same = seeds.indices.compactMap { s -> (Int, HistoryEntry)? in
                let h = seeds[s]
                if i < h.count, h[i].step == entry.step { return (s, h[i]) }
                return h.first { $0.step == entry.step }.map { (s, $0) }
            }
            for slot in row.indices {
                values.removeAll(keepingCapacity: true)
                for (s, e) in same { values.append(slots[s][slot].map { e.value(atSlot: $0) } ?? .nan) }
                row[slot] = reduce(values)
            }
            row.withUnsafeBufferPointer {
                out.append(step: entry.step, learningRate: entry.learningRate, weightDecay: entry.weightDecay, row: $0)
            }
        }
        return out
    }
}
