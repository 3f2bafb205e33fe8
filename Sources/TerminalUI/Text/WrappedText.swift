/// Greedy word wrap of styled text to a column width.
///
/// Words move whole to the next line when they do not fit; a word longer
/// than a whole line (a URL, a long formula without spaces) is broken hard
/// at the width rather than overflowing. Runs of spaces collapse to one, as
/// in Markdown. Each line can start with a prefix — the first line's differs
/// from the rest for hanging indents (`• ` then `  `) and quotes (`│ `).
public enum WrappedText {
    /// - Parameters:
    ///   - characters: the text with a style per character.
    ///   - width: columns available, prefixes included.
    ///   - firstPrefix: put before the first line (e.g. a list bullet).
    ///   - prefix: put before every following line (e.g. the hanging indent).
    public static func wrap(_ characters: [(Character, Style)], width: Int,
                            firstPrefix: [StyledSpan] = [], prefix: [StyledSpan] = []) -> [StyledLine] {
        // Split into words, remembering the style of the space before each
        // (a space inside a code span keeps the code style).
        var words: [(space: Style?, chars: [(Character, Style)])] = []
        var current: [(Character, Style)] = []
        var currentSpace: Style?
        var nextSpace: Style?
        for (c, s) in characters {
            if c == " " || c == "\t" || c == "\n" {
                if !current.isEmpty {
                    words.append((currentSpace, current))
                    current = []
                }
                if nextSpace == nil { nextSpace = s }
            } else {
                if current.isEmpty {
                    currentSpace = nextSpace
                    nextSpace = nil
                }
                current.append((c, s))
            }
        }
        if !current.isEmpty { words.append((currentSpace, current)) }
        words = keepingPercentSigns(words)

        let width = max(1, width)
        var lines: [StyledLine] = []
        var line = StyledLine(firstPrefix)
        var used = CharacterWidth.of(line.text)
        var hasWords = false
        func newLine() {
            lines.append(line)
            line = StyledLine(prefix)
            used = CharacterWidth.of(line.text)
            hasWords = false
        }
        for (index, word) in words.enumerated() {
            let w = word.chars.reduce(0) { $0 + CharacterWidth.of($1.0) }
            let spaceStyle = index == 0 ? nil : word.space
            if hasWords {
                if used + 1 + w <= width {
                    line.append(" ", style: spaceStyle ?? .plain)
                    used += 1
                } else {
                    newLine()
                }
            }
            if used + w <= width {
                for (c, s) in word.chars { line.append(c, style: s) }
                used += w
                hasWords = true
                continue
            }
            // Longer than a line: break it hard.
            for (c, s) in word.chars {
                let cw = CharacterWidth.of(c)
                if used + cw > width, hasWords { newLine() }
                line.append(c, style: s)
                used += cw
                hasWords = true
            }
        }
        if hasWords || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// A word that starts with "%" ("5 %", "5 %)") stays on its number's
    /// line: the space before it does not break, so no line starts with a
    /// bare percent sign.
    static func keepingPercentSigns(_ words: [(space: Style?, chars: [(Character, Style)])])
        -> [(space: Style?, chars: [(Character, Style)])] {
        var out: [(space: Style?, chars: [(Character, Style)])] = []
        for word in words {
            if word.chars.first?.0 == "%", let last = out.last {
                out[out.count - 1].chars = last.chars + [(" ", word.space ?? .plain)] + word.chars
            } else {
                out.append(word)
            }
        }
        return out
    }

    /// Plain text convenience.
    public static func wrap(_ text: String, width: Int, style: Style = .plain) -> [StyledLine] {
        wrap(text.map { ($0, style) }, width: width)
    }
}
