import TerminalUI

/// Run names shortened to a column's width with one ellipsis each, so that
/// a cut name never hides what tells it from the others: a number is kept
/// whole or left out whole (never "τ = 20" for "τ = 2000"), the words and
/// numbers the other names lack are kept before those they share, and no
/// two different names come out the same.
///
/// A name is cut by keeping a head and a tail around the ellipsis; of all
/// the cuts that fit, the one hiding the fewest distinguishing numbers,
/// then distinguishing words, then numbers at all wins, the longest (and
/// of those the one with the longest head) first.
enum RunNameFit {
    /// `names` fitted to `width` columns, or nil when no set of cuts keeps
    /// them apart (the caller gives the column more room).
    static func fit(_ names: [String], width: Int, ellipsis: String) -> [String]? {
        guard names.contains(where: { CharacterWidth.of($0) > width }) else { return names }
        let tokenSets = names.map { Set(tokens(Array($0)).map(\.text)) }
        var ranked: [[String]] = []
        for (i, name) in names.enumerated() {
            let others = tokenSets.indices.filter { $0 != i && names[$0] != name }.map { tokenSets[$0] }
            ranked.append(cuts(of: name, width: width, ellipsis: ellipsis, others: others))
        }
        guard ranked.allSatisfy({ !$0.isEmpty }) else { return nil }
        var choice = [Int](repeating: 0, count: names.count)
        // Names that came out equal while different take their next-best cut,
        // until all are apart or one runs out of cuts.
        for _ in 0..<(names.count * 8) {
            let shown = names.indices.map { ranked[$0][choice[$0]] }
            let clash = names.indices.filter { i in
                names.indices.contains { j in j != i && names[j] != names[i] && shown[j] == shown[i] }
            }
            guard let first = clash.first(where: { choice[$0] + 1 < ranked[$0].count }) else {
                return clash.isEmpty ? shown : nil
            }
            choice[first] += 1
        }
        return nil
    }

    struct Token {
        var text: String
        var range: Range<Int>
        var isNumber: Bool
    }

    /// The words and numbers of a name: runs of characters between spaces
    /// and the punctuation that separates them.
    static func tokens(_ chars: [Character]) -> [Token] {
        var out: [Token] = []
        var start: Int?
        func close(_ end: Int) {
            guard let s = start else { return }
            let text = String(chars[s..<end])
            out.append(Token(text: text, range: s..<end, isNumber: text.contains { $0.isNumber }))
            start = nil
        }
        for (i, c) in chars.enumerated() {
            let separates = c.isWhitespace || ",;:()=+·".contains(c)
            if separates { close(i) } else if start == nil { start = i }
        }
        close(chars.count)
        return out
    }

    /// Every cut of `name` that fits, best first (the name itself if it fits).
    static func cuts(of name: String, width: Int, ellipsis: String, others: [Set<String>]) -> [String] {
        let chars = Array(name)
        if CharacterWidth.of(name) <= width { return [name] }
        let room = width - CharacterWidth.of(ellipsis)
        guard room >= 1 else { return [] }
        let words = tokens(chars)
        func inNumber(_ p: Int) -> Bool { words.contains { $0.isNumber && $0.range.lowerBound < p && p < $0.range.upperBound } }
        func distinguishing(_ t: Token) -> Bool { others.contains { !$0.contains(t.text) } }
        var scored: [(cost: [Int], text: String)] = []
        for head in 0...min(room, chars.count) where !inNumber(head) {
            for tailStart in head...chars.count where !inNumber(tailStart) {
                let shown = String(chars[..<head]) + ellipsis + String(chars[tailStart...])
                guard CharacterWidth.of(shown) <= width, tailStart > head else { continue }
                // Tokens wholly inside the cut are hidden; a word cut part-way still shows.
                let hidden = words.filter { $0.range.lowerBound >= head && $0.range.upperBound <= tailStart }
                let cost = [hidden.filter { $0.isNumber && distinguishing($0) }.count,
                            hidden.filter { !$0.isNumber && distinguishing($0) }.count,
                            hidden.filter(\.isNumber).count,
                            -CharacterWidth.of(shown), -head]
                scored.append((cost, shown))
            }
        }
        var seen = Set<String>()
        return scored.sorted { $0.cost.lexicographicallyPrecedes($1.cost) }.map(\.text).filter { seen.insert($0).inserted }
    }
}
