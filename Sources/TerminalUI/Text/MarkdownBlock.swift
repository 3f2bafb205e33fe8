/// The block part of the Markdown subset lessons are written in.
public enum MarkdownBlock: Hashable, Sendable {
    case heading(level: Int, text: String)
    case paragraph(String)
    /// `marker` is "•" for bullets or "3." for numbered items; `depth` 0
    /// for top-level items, 1 for items indented under them, …
    case listItem(marker: String, ordered: Bool, depth: Int, text: String)
    case quote(String)
    /// A fenced block, lines verbatim.
    case code([String])
    /// One or more blank lines in the source: one empty line on screen.
    case blank

    /// Splits Markdown source into blocks. Paragraph and list-item lines are
    /// joined with spaces (re-wrapped later); code is left alone.
    public static func parse(_ source: String) -> [MarkdownBlock] {
        var blocks: [MarkdownBlock] = []
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0).replacingTabs()
        }
        var i = 0
        func appendBlank() { if let last = blocks.last, last != .blank { blocks.append(.blank) } }

        while i < lines.count {
            let line = lines[i]
            let trimmed = line.drop(while: { $0 == " " })
            let indent = line.count - trimmed.count

            if trimmed.isEmpty { appendBlank(); i += 1; continue }

            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                let fence = String(trimmed.prefix(3))
                var code: [String] = []
                i += 1
                while i < lines.count, !lines[i].drop(while: { $0 == " " }).hasPrefix(fence) {
                    code.append(lines[i])
                    i += 1
                }
                i += 1   // the closing fence (or the end)
                blocks.append(.code(code))
                continue
            }

            if let level = headingLevel(trimmed) {
                blocks.append(.heading(level: level, text: String(trimmed.dropFirst(level + 1)).trimmedSpaces()))
                i += 1
                continue
            }

            if trimmed.hasPrefix(">") {
                var text: [String] = []
                while i < lines.count {
                    let t = lines[i].drop(while: { $0 == " " })
                    guard t.hasPrefix(">") else { break }
                    text.append(String(t.dropFirst()).trimmedSpaces())
                    i += 1
                }
                blocks.append(.quote(text.joined(separator: " ")))
                continue
            }

            if let (marker, ordered, rest) = listMarker(trimmed) {
                var text = [rest]
                let contentIndent = indent + (trimmed.count - rest.count)
                i += 1
                // Continuation lines: indented, and not a new item or block.
                while i < lines.count {
                    let t = lines[i].drop(while: { $0 == " " })
                    let ind = lines[i].count - t.count
                    guard !t.isEmpty, ind >= min(contentIndent, 2), listMarker(t) == nil,
                          !t.hasPrefix("```"), !t.hasPrefix(">"), headingLevel(t) == nil else { break }
                    text.append(String(t))
                    i += 1
                }
                blocks.append(.listItem(marker: marker, ordered: ordered, depth: indent / 2, text: text.joined(separator: " ")))
                continue
            }

            var text = [String(trimmed)]
            i += 1
            while i < lines.count {
                let t = lines[i].drop(while: { $0 == " " })
                guard !t.isEmpty, !t.hasPrefix("```"), !t.hasPrefix("~~~"), !t.hasPrefix(">"),
                      headingLevel(t) == nil, listMarker(t) == nil else { break }
                text.append(String(t))
                i += 1
            }
            blocks.append(.paragraph(text.joined(separator: " ")))
        }
        while blocks.last == .blank { blocks.removeLast() }
        while blocks.first == .blank { blocks.removeFirst() }
        return blocks
    }

    static func headingLevel(_ line: Substring) -> Int? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard hashes >= 1, hashes <= 6, line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    /// "- x", "* x", "+ x" → ("•", false, "x"); "12. x" or "12) x" → ("12.", true, "x").
    static func listMarker(_ line: Substring) -> (String, Bool, String)? {
        if let first = line.first, "-*+".contains(first), line.dropFirst().first == " " {
            // "* x" is a bullet, but "**bold** start" is not.
            return ("•", false, String(line.dropFirst(2)))
        }
        let digits = line.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, digits.count <= 3 else { return nil }
        let after = line.dropFirst(digits.count)
        guard let p = after.first, p == "." || p == ")", after.dropFirst().first == " " else { return nil }
        return (digits + ".", true, String(after.dropFirst(2)))
    }
}

extension String {
    func trimmedSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }

    /// Tabs become four spaces, so code blocks line up and widths are known.
    func replacingTabs() -> String {
        contains("\t") ? split(separator: "\t", omittingEmptySubsequences: false).joined(separator: "    ") : self
    }
}
