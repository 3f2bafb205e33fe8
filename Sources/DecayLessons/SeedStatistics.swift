import DecayEngine

/// Per-step statistics over a run's seeds: each field of a history entry
/// reduced across seeds (median, min, max), entries matched by step. The
/// chart draws the median as the run's line and min–max as its band; the
/// numbers panel and the goal read the median.
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

    public static func median(_ seeds: [[HistoryEntry]]) -> [HistoryEntry] { combine(seeds, median) }
    public static func minimum(_ seeds: [[HistoryEntry]]) -> [HistoryEntry] { combine(seeds, minimum) }
    public static func maximum(_ seeds: [[HistoryEntry]]) -> [HistoryEntry] { combine(seeds, maximum) }

    /// Every field of the first seed's entries reduced across the seeds
    /// that have an entry at that step (a seed that stopped early, by
    /// diverging, drops out of the later steps).
    public static func combine(_ seeds: [[HistoryEntry]], _ reduce: ([Float]) -> Float) -> [HistoryEntry] {
        guard let first = seeds.first else { return [] }
        guard seeds.count > 1 else { return first }
        return first.enumerated().map { i, entry in
            let same = seeds.compactMap { h -> HistoryEntry? in
                if i < h.count, h[i].step == entry.step { return h[i] }
                return h.first { $0.step == entry.step }
            }
            return reduced(entry, same, reduce)
        }
    }

    static func reduced(_ entry: HistoryEntry, _ all: [HistoryEntry], _ f: ([Float]) -> Float) -> HistoryEntry {
        var e = entry
        e.trainLoss = f(all.map(\.trainLoss))
        e.penalty = f(all.map(\.penalty))
        e.validationLoss = f(all.map(\.validationLoss))
        e.fullTrainLoss = f(all.map(\.fullTrainLoss))
        if all.allSatisfy({ $0.validationAccuracy != nil }) {
            e.validationAccuracy = f(all.compactMap(\.validationAccuracy))
        }
        if all.allSatisfy({ $0.trainAccuracy != nil }) {
            e.trainAccuracy = f(all.compactMap(\.trainAccuracy))
        }
        e.norms = groups(all.map(\.norms), f)
        e.updateNorms = groups(all.map(\.updateNorms), f)
        e.decayNorms = groups(all.map(\.decayNorms), f)
        let rows = all.compactMap(\.embeddingRows)
        if rows.count == all.count, !rows.isEmpty {
            e.embeddingRows = EmbeddingRowNorms(frequent: f(rows.map(\.frequent)), rare: f(rows.map(\.rare)))
        }
        let ln = all.compactMap(\.layerNorms)
        if ln.count == all.count, !ln.isEmpty {
            e.layerNorms = LayerNormNorms(gains: f(ln.map(\.gains)), shifts: f(ln.map(\.shifts)))
        }
        return e
    }

    static func groups(_ all: [GroupValues], _ f: ([Float]) -> Float) -> GroupValues {
        var out = GroupValues()
        for g in ParameterGroup.allCases {
            let values = all.compactMap { $0[g] }
            if values.count == all.count, !values.isEmpty { out[g] = f(values) }
        }
        return out
    }
}
