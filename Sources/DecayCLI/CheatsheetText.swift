import DecayLessons
import Foundation
import TerminalUI

/// `decay-tutor cheatsheet` as text: per lesson its title, summary, key
/// points and snippets. Prose wraps to `width`; code keeps its lines (the
/// lesson files hold them to 74 columns). `styled` adds bold and colour
/// (a terminal that wants them); `ascii` spells every symbol in ASCII.
struct CheatsheetText {
    var width: Int
    var styled: Bool
    var ascii: Bool

    func render(_ lessons: [(number: Int, lesson: Lesson)]) -> String {
        var out: [String] = []
        for (i, entry) in lessons.enumerated() {
            if i > 0 { out.append("") }
            out += section(entry.lesson, number: entry.number)
        }
        let text = out.joined(separator: "\n") + "\n"
        return ascii ? AsciiSpelling.spell(text) : text
    }

    func section(_ lesson: Lesson, number: Int) -> [String] {
        let title = "\(number). \(lesson.title)"
        var out = wrap(style(title, bold: true) + "  [\(lesson.id)]", indent: 0)
        out.append(String(repeating: ascii ? "=" : "═", count: min(width, out.map(visibleWidth).max() ?? 0)))
        if let summary = lesson.summary { out += wrap(inline(summary), indent: 0) }
        let points = lesson.keyPoints
        if !points.isEmpty {
            out += ["", style("Key points", bold: true)]
            for point in points { out += wrap(inline(point), indent: 4, first: "  " + (ascii ? "- " : "• ")) }
        }
        for snippet in lesson.snippets {
            out.append("")
            let caption = snippet.caption.isEmpty ? snippet.library.displayName + ":" : snippet.caption
            out += wrap(inline(boldLead(caption)), indent: 0)
            out.append("")
            out += snippet.code.split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.isEmpty ? "" : "    " + style(String($0), color: 36)
            }
        }
        return out
    }

    /// The caption's "PyTorch:" (text before a colon near its start) in bold.
    private func boldLead(_ caption: String) -> String {
        guard let colon = caption.firstIndex(of: ":"), caption.distance(from: caption.startIndex, to: colon) <= 30,
              !caption[..<colon].contains("`") else { return caption }
        return "**" + caption[...colon] + "**" + caption[caption.index(after: colon)...]
    }

    // MARK: - Inline Markdown

    /// `code` kept in backticks when plain, coloured when styled; **bold**
    /// and *emphasis* lose their markers (bold when styled).
    func inline(_ text: String) -> String {
        var s = replace(#"\*\*([^*]+)\*\*"#, in: text) { style($0, bold: true) }
        s = replace(#"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"#, in: s) { $0 }
        if styled { s = replace(#"`([^`]+)`"#, in: s) { style($0, color: 36) } }
        return s
    }

    private func replace(_ pattern: String, in text: String, with transform: (String) -> String) -> String {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
        let ns = text as NSString
        var out = "", last = 0
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            out += transform(ns.substring(with: m.range(at: 1)))
            last = m.range.location + m.range.length
        }
        return out + ns.substring(from: last)
    }

    private func style(_ text: String, bold: Bool = false, color: Int? = nil) -> String {
        guard styled else { return text }
        let codes = (bold ? ["1"] : []) + (color.map { ["\($0)"] } ?? [])
        return "\u{1B}[\(codes.joined(separator: ";"))m" + text + "\u{1B}[0m"
    }

    // MARK: - Wrapping

    /// Words filled to `width`: the first line starts with `first` (default
    /// `indent` spaces), the rest with `indent` spaces. A word longer than a
    /// line stands alone on it.
    func wrap(_ text: String, indent: Int, first: String? = nil) -> [String] {
        let lead = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = first ?? lead
        var lineWidth = visibleWidth(line), empty = true
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let w = visibleWidth(String(word))
            if !empty, lineWidth + 1 + w > width {
                lines.append(line)
                line = lead
                lineWidth = indent
                empty = true
            }
            line += (empty ? "" : " ") + word
            lineWidth += (empty ? 0 : 1) + w
            empty = false
        }
        lines.append(line)
        return lines
    }

    /// Columns on screen: escape sequences take none; in ASCII mode a
    /// symbol takes its spelling's width.
    func visibleWidth(_ text: String) -> Int {
        var plain = text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        if ascii { plain = AsciiSpelling.spell(plain) }
        return CharacterWidth.of(plain)
    }
}
