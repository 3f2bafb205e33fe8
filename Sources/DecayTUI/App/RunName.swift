import TerminalUI

/// One run name as words and numbers, and the ways to cut it with an
/// ellipsis (`RunNameFit` picks among them).
struct RunName {
    struct Token {
        var range: Range<Int>
        var isNumber: Bool
        /// For a number, the word it belongs to ("τ" of "τ=2000", "epochs"
        /// of "40 epochs"); that word is then a label, shown only with it.
        var label: Int?
        var isLabel = false
    }

    /// A shortened name; `cost` orders the cuts (lower first): first by
    /// how many other names it could be taken for, then by how many words
    /// and numbers the others lack it hides, then how many numbers at all,
    /// then the longest, and of those the one with the longer head.
    struct Cut {
        var text: String
        var cost: [Int]
        /// Whether it could be taken for another name, or hides a number another name lacks.
        var hidesDifference: Bool
    }

    let chars: [Character]
    private(set) var tokens: [Token] = []

    /// What each token says: its text, or for a number its word and
    /// itself ("epochs 8" of "r 8, 8 epochs", which "r 8, 40 epochs" lacks).
    func key(_ k: Int) -> String {
        let text = String(chars[tokens[k].range])
        guard let label = tokens[k].label else { return text }
        return String(chars[tokens[label].range]) + " " + text
    }

    /// The name's words and numbers, as `key`s.
    var words: Set<String> { Set(tokens.indices.map(key)) }

    static func separates(_ c: Character) -> Bool { c.isWhitespace || ",;:()=+·/".contains(c) }

    init(_ name: String) {
        chars = Array(name)
        var part: [Int] = []
        var start: Int?, commas = 0
        for i in 0...chars.count {
            let c: Character? = i < chars.count ? chars[i] : nil
            if c.map(Self.separates) ?? true {
                if let s = start {
                    tokens.append(Token(range: s..<i, isNumber: chars[s..<i].contains { $0.isNumber }))
                    part.append(commas)
                    start = nil
                }
                if c == "," { commas += 1 }
            } else if start == nil {
                start = i
            }
        }
        // A number belongs to the word before it in its part, or else the one after.
        for k in tokens.indices where tokens[k].isNumber {
            let word = [k - 1, k + 1].first { tokens.indices.contains($0) && part[$0] == part[k] && !tokens[$0].isNumber }
            if let word, !tokens[word].isLabel {
                tokens[k].label = word
                tokens[word].isLabel = true
            }
        }
    }

    /// Where a head may end: the start, after any token, or inside a word
    /// after its first three letters ("decou…", "lora_dro…0.3"); never
    /// inside a number.
    private var headEnds: [Int] {
        var out = [0]
        for t in tokens {
            if !t.isNumber && t.range.count > 4 { out += (t.range.lowerBound + 3)..<t.range.upperBound }
            out.append(t.range.upperBound)
        }
        return out
    }

    /// Every cut of the name that fits `width`, best first; `others` are the
    /// words of each other (different) name.
    func cuts(width: Int, ellipsis: String, others: [Set<String>]) -> [Cut] {
        if CharacterWidth.of(String(chars)) <= width { return [Cut(text: String(chars), cost: [], hidesDifference: false)] }
        let tailStarts = tokens.map(\.range.lowerBound) + [chars.count]
        let differs = tokens.indices.map { k in others.contains { !$0.contains(key(k)) } }
        var found: [Cut] = []
        for h in headEnds {
            for t in tailStarts where t > h {
                let hidden = tokens.indices.filter { tokens[$0].range.lowerBound >= h && tokens[$0].range.upperBound <= t }
                let partial = tokens.indices.filter { tokens[$0].range.lowerBound < h && h < tokens[$0].range.upperBound }
                // A number is shown with its word (or the word's head), and the word whole only with it.
                let apart = tokens.indices.contains { k in
                    guard let label = tokens[k].label else { return false }
                    return hidden.contains(k) ? !hidden.contains(label) && !partial.contains(label) : hidden.contains(label)
                }
                guard !apart else { continue }
                let text = Self.join(chars[..<h], ellipsis, chars[t...])
                let w = CharacterWidth.of(text)
                guard w <= width else { continue }
                // The names this cut could be taken for: those that have every word it shows.
                let shown = tokens.indices.filter { !hidden.contains($0) }.map { k in
                    partial.contains(k) && tokens[k].label == nil && !tokens[k].isLabel
                        ? (text: String(chars[tokens[k].range.lowerBound..<h]), whole: false) : (text: key(k), whole: true)
                }
                let confusable = others.filter { words in
                    shown.allSatisfy { s in s.whole ? words.contains(s.text) : words.contains { $0.hasPrefix(s.text) } }
                }.count
                let differing = hidden.filter { differs[$0] }
                let hiddenNumbers = differing.filter { tokens[$0].isNumber }.count
                let cost = [confusable, differing.count, hidden.filter { tokens[$0].isNumber }.count, -w, -h]
                found.append(Cut(text: text, cost: cost, hidesDifference: confusable > 0 || hiddenNumbers > 0))
            }
        }
        var seen = Set<String>()
        return found.sorted { $0.cost.lexicographicallyPrecedes($1.cost) }.filter { seen.insert($0.text).inserted }
    }

    /// Head, ellipsis and tail, without the separators that would dangle
    /// beside the ellipsis ("λ=0.5, …" reads "λ=0.5…").
    static func join(_ head: ArraySlice<Character>, _ ellipsis: String, _ tail: ArraySlice<Character>) -> String {
        var head = head, tail = tail
        while let c = head.last, c.isWhitespace || ",;:(=+·/".contains(c) { head.removeLast() }
        while let c = tail.first, c.isWhitespace || ",;".contains(c) { tail.removeFirst() }
        return String(head) + ellipsis + String(tail)
    }
}
