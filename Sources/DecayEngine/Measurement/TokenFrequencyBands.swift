/// Which embedding rows count as frequent and which as rare, from how often
/// each token occurs in the training inputs.
///
/// Tokens are ranked by count (most frequent first, ties by smaller id); the
/// top quartile of the vocabulary is `frequent`, the bottom quartile `rare`
/// (at least one token each). With Zipf-distributed tokens the rare quartile
/// is mostly tokens the training set never shows: rows that get no gradient,
/// only decay — where L2 under Adam and AdamW part ways.
public struct TokenFrequencyBands: Sendable, Equatable {
    public var frequent: [Int]
    public var rare: [Int]

    /// - Parameter counts: occurrences of each token id (index = id).
    public init(counts: [Int]) {
        let quarter = max(1, counts.count / 4)
        let ranked = counts.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        frequent = Array(ranked.prefix(quarter)).sorted()
        rare = Array(ranked.suffix(quarter)).sorted()
    }

    /// Counts the token ids in `inputs` (clamped into the vocabulary, as the
    /// embedding layer reads them) and ranks them.
    public init(tokenInputs inputs: Matrix, vocabulary: Int) {
        var counts = [Int](repeating: 0, count: max(vocabulary, 1))
        for v in inputs.storage {
            counts[min(max(Int(v), 0), counts.count - 1)] += 1
        }
        self.init(counts: counts)
    }
}
