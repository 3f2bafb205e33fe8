/// Plain-ASCII spellings of the symbols the lessons and the interface use,
/// for `--ascii` and for terminals whose locale is not UTF-8 (where curses
/// would print each of them as a blank, and "the λ knob" would read
/// "the   knob").
///
/// Every symbol becomes something a reader can still read aloud: λ → lambda,
/// ‖w‖ → |w|, ≈ → ~, √ → sqrt, · → *, × → x, – → -, … → ... A Greek letter
/// glued to a word keeps a space so "λ·w" reads "lambda*w", not "lambdaw".
/// Anything not in the table falls back to `?`, so no byte above 0x7F ever
/// reaches an ASCII terminal.
public enum AsciiSpelling {
    /// The spelling of one Unicode scalar (nil: already ASCII).
    static let table: [Unicode.Scalar: String] = {
        var t: [Unicode.Scalar: String] = [:]
        let pairs: [(String, String)] = [
            ("λ", "lambda"), ("Λ", "Lambda"), ("α", "alpha"), ("β", "beta"), ("γ", "gamma"), ("δ", "delta"),
            ("Δ", "Delta"), ("ε", "eps"), ("η", "eta"), ("θ", "theta"), ("μ", "mu"), ("π", "pi"),
            ("σ", "sigma"), ("Σ", "sum "), ("τ", "tau"), ("∇", "grad "), ("∂", "d"), ("ω", "omega"),
            ("‖", "|"), ("≈", "~"), ("√", "sqrt"), ("·", "*"), ("×", "x"), ("–", "-"), ("—", " - "),
            ("−", "-"), ("…", "..."), ("→", "->"), ("←", "<-"), ("↑", "^"), ("↓", "v"), ("⇒", "=>"),
            ("≤", "<="), ("≥", ">="), ("≠", "!="), ("±", "+/-"), ("∞", "inf"), ("∈", " in "),
            ("²", "^2"), ("³", "^3"), ("¹", "^1"), ("⁰", "^0"), ("⁴", "^4"), ("⁵", "^5"), ("⁶", "^6"),
            ("⁷", "^7"), ("⁸", "^8"), ("⁹", "^9"), ("⁻", "^-"), ("⁺", "^+"), ("ᵀ", "^T"),
            ("₀", "0"), ("₁", "1"), ("₂", "2"), ("₃", "3"), ("ᵢ", "_i"), ("ₜ", "_t"), ("ⱼ", "_j"),
            ("½", "1/2"), ("¼", "1/4"), ("¾", "3/4"), ("′", "'"), ("″", "\""),
            ("‘", "'"), ("’", "'"), ("“", "\""), ("”", "\""), ("«", "\""), ("»", "\""),
            ("✓", "*"), ("✗", "x"), ("•", "*"), ("●", "o"), ("○", "o"), ("▸", ">"), ("│", "|"),
            ("─", "-"), ("╌", "."), ("┊", ":"), ("█", "#"), ("░", "."), ("▒", ":"), ("▓", "*"),
            ("■", "#"), ("▲", "^"), ("◆", "@"), ("□", "o"), ("△", "^"), ("◇", "@"),
            ("\u{00A0}", " "), ("\u{2009}", " "), ("\u{202F}", " "),
            ("÷", "/"), ("∝", " prop. to "), ("Π", "prod "), ("∏", "prod "), ("∑", "sum "),
            ("é", "e"), ("è", "e"), ("ü", "u"), ("ö", "o"), ("ä", "a"),
        ]
        for (k, v) in pairs { t[k.unicodeScalars.first!] = v }
        return t
    }()

    /// `text` with every non-ASCII scalar spelled in ASCII.
    public static func spell(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII }) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (i, s) in scalars.enumerated() {
            if s.isASCII { out.append(s); continue }
            // Combining marks (the hat of v̂) have no spelling of their own.
            if (0x0300...0x036F).contains(s.value) { continue }
            let spelled = table[s] ?? "?"
            // A spelled-out word glued to a letter or digit before it keeps them apart.
            if spelled.first?.isLetter == true, spelled.count > 1, let last = out.last,
               last.properties.isAlphabetic || ("0"..."9").contains(Character(last)) {
                out.append(" ")
            }
            out.append(contentsOf: spelled.unicodeScalars)
            if spelled.last?.isLetter == true, spelled.count > 1, i + 1 < scalars.count {
                let next = scalars[i + 1]
                // A plural "s" belongs to the word: "the λs" reads "the lambdas".
                let after = i + 2 < scalars.count ? scalars[i + 2] : nil
                let plural = next == "s" && !(after?.properties.isAlphabetic ?? false)
                if next.properties.isAlphabetic && next.isASCII && !plural { out.append(" ") }
            }
        }
        return String(out)
    }

    /// `markdown` spelled in ASCII without changing its meaning as Markdown:
    /// outside code, a spelling that holds an emphasis character is escaped,
    /// so "lr_t·λ and η·λ" reads "lr_t*lambda and eta*lambda" instead of
    /// turning the words between the two `*` into italics. Inside code spans
    /// and fenced blocks, where a backslash is literal, the plain spelling.
    public static func spellMarkdown(_ markdown: String) -> String {
        guard markdown.unicodeScalars.contains(where: { !$0.isASCII }) else { return markdown }
        var inFence = false
        return markdown.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                return spell(String(line))
            }
            if inFence { return spell(String(line)) }
            // Alternate between prose and code spans at each run of backticks.
            var out = "", piece = "", inCode = false
            var i = line.startIndex
            while i < line.endIndex {
                if line[i] == "`" {
                    var j = i
                    while j < line.endIndex, line[j] == "`" { j = line.index(after: j) }
                    out += inCode ? spell(piece) : escapedSpelling(piece)
                    out += line[i..<j]
                    piece = ""
                    inCode.toggle()
                    i = j
                } else {
                    piece.append(line[i])
                    i = line.index(after: i)
                }
            }
            return out + (inCode ? spell(piece) : escapedSpelling(piece))
        }.joined(separator: "\n")
    }

    /// Prose spelled in ASCII with the `*` and `_` that a spelling
    /// introduces escaped (those already in the text keep their meaning):
    /// a backslash goes before each symbol whose spelling holds one.
    static func escapedSpelling(_ prose: String) -> String {
        var marked = String.UnicodeScalarView()
        for s in prose.unicodeScalars {
            if !s.isASCII, let spelled = table[s], spelled.contains(where: { $0 == "*" || $0 == "_" }) {
                marked.append("\\")
            }
            marked.append(s)
        }
        return spell(String(marked))
    }
}
