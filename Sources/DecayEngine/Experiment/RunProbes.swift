import DecayKernels

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

/// Mean ‖row‖ of the frequent and of the rare embedding rows.
public struct EmbeddingRowNorms: Sendable, Equatable {
    public var frequent: Float
    public var rare: Float

    public init(frequent: Float, rare: Float) {
        self.frequent = frequent
        self.rare = rare
    }
}

/// ‖γ‖ (gains) and ‖β‖ (shifts) over every LayerNorm layer: the `norms`
/// group mixes both, and decay acts on them differently (γ starts at 1 and
/// is pulled toward 0, β starts at 0).
public struct LayerNormNorms: Sendable, Equatable {
    public var gains: Float
    public var shifts: Float

    public init(gains: Float, shifts: Float) {
        self.gains = gains
        self.shifts = shifts
    }
}

/// The measurements a run takes of its own parameters beyond ‖p‖ per group.
struct RunProbes {
    private let table: Parameter?
    private let bands: TokenFrequencyBands?
    private let gains: [Parameter]
    private let shifts: [Parameter]

    init(network: Network, bands: TokenFrequencyBands?) {
        table = network.layers.lazy.compactMap { ($0 as? Embedding)?.table }.first
        self.bands = table == nil ? nil : bands
        let norms = network.layers.compactMap { $0 as? LayerNorm }
        gains = norms.map(\.gain)
        shifts = norms.map(\.shift)
    }

    var embeddingRows: EmbeddingRowNorms? {
        guard let table, let bands, table.shape.count == 2 else { return nil }
        let width = table.shape[1], rows = table.shape[0]
        return table.value.withUnsafeBufferPointer { pv in
            func meanNorm(_ ids: [Int]) -> Float {
                var sum: Float = 0
                var n = 0
                for id in ids where id < rows {
                    sum += Kernels.sumOfSquares(UnsafeBufferPointer(rebasing: pv[(id * width)..<((id + 1) * width)])).squareRoot()
                    n += 1
                }
                return n > 0 ? sum / Float(n) : 0
            }
            return EmbeddingRowNorms(frequent: meanNorm(bands.frequent), rare: meanNorm(bands.rare))
        }
    }

    var layerNorms: LayerNormNorms? {
        guard !gains.isEmpty else { return nil }
        func norm(_ ps: [Parameter]) -> Float { ps.reduce(0) { $0 + $1.sumOfSquares }.squareRoot() }
        return LayerNormNorms(gains: norm(gains), shifts: norm(shifts))
    }
}
