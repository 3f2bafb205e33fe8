/// The inline part of the Markdown subset: `**bold**`, `*italic*`,
/// `` `code` `` and `\` escapes.
///
/// Lesson prose is full of formulas (`p ← p·(1 − lr·λ)`, `‖w‖²`,
/// `λ * p`), so a marker only counts when it can open and close: `*`
/// followed by a space never opens, and a marker without a partner is
/// kept as text. Inside code spans nothing is interpreted. Underscores are
/// never emphasis, so `train_loss` stays intact.
public enum InlineMarkdown {
    /// The text split into styled characters.
    public static func parse(_ text: String, base: Style, theme: ProseTheme) -> [(Character, Style)] {
        let chars = Array(text)
        var out: [(Character, Style)] = []
        var bold = false, italic = false
        var i = 0

        func style() -> Style {
            var s = base
            if bold { s.bold = true }
            if italic {
                s.underline = s.underline || theme.emphasis.underline
                s.dim = s.dim || theme.emphasis.dim
            }
            return s
        }
        func isSpace(_ c: Character?) -> Bool { c == nil || c == " " || c == "\t" }
        /// Whether a closing `marker` occurs after `from` with a non-space before it.
        func hasCloser(_ marker: String, from: Int) -> Bool {
            let m = Array(marker)
            var j = from
            while j + m.count <= chars.count {
                if chars[j] == "`" { // skip code spans
                    if let end = chars[(j + 1)...].firstIndex(of: "`") { j = end + 1; continue }
                }
                if Array(chars[j..<(j + m.count)]) == m, j > from, !isSpace(chars[j - 1]) {
                    // a single `*` must not be half of `**`
                    if m.count == 1, (j + 1 < chars.count && chars[j + 1] == "*") || chars[j - 1] == "*" { j += 1; continue }
                    return true
                }
                j += 1
            }
            return false
        }

        while i < chars.count {
            let c = chars[i]
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if c == "\\", let next, "*`\\_#".contains(next) {
                out.append((next, style())); i += 2; continue
            }
            if c == "`", let end = chars[(i + 1)...].firstIndex(of: "`") {
                var codeStyle = theme.code
                if bold { codeStyle.bold = true }
                for k in (i + 1)..<end { out.append((chars[k], codeStyle)) }
                i = end + 1
                continue
            }
            if c == "*", next == "*" {
                let after: Character? = i + 2 < chars.count ? chars[i + 2] : nil
                if bold, i > 0, !isSpace(chars[i - 1]) { bold = false; i += 2; continue }
                if !bold, !isSpace(after), hasCloser("**", from: i + 2) { bold = true; i += 2; continue }
            } else if c == "*" {
                if italic, i > 0, !isSpace(chars[i - 1]) { italic = false; i += 1; continue }
                if !italic, !isSpace(next), hasCloser("*", from: i + 1) { italic = true; i += 1; continue }
            }
            out.append((c, style()))
            i += 1
        }
        return out
    }
}
