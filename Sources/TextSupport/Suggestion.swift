/// "Did you mean …?" for misspelt keys and words, by edit distance.
package enum Suggestion {
    /// The closest candidate within a distance that still looks like a typo
    /// (about a third of the word), or nil.
    package static func closest(to word: String, among candidates: [String]) -> String? {
        let w = Array(word.lowercased().prefix(64))
        guard !w.isEmpty else { return nil }
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, Array(c.lowercased()))
            if d < (best?.1 ?? .max) { best = (c, d) }
        }
        guard let (candidate, d) = best else { return nil }
        let limit = max(1, min(w.count, candidate.count) / 3)
        return d <= limit ? candidate : nil
    }

    /// "unknown … — did you mean `x`?" text, or the list of valid words.
    package static func text(for word: String, among candidates: [String]) -> String {
        if let c = closest(to: word, among: candidates) { return "did you mean `\(c)`?" }
        return "expected one of \(candidates.joined(separator: ", "))"
    }

    /// Damerau–Levenshtein (optimal string alignment): a swapped pair of
    /// letters ("lamdba") counts as one edit, as people make them.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, previous2[j - 2] + 1) }
                current[j] = v
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
