import TextSupport

/// Reads a lesson's `### Snippets` section: each fenced block in it is a
/// snippet whose info string names its language and library
/// (```` ```python pytorch ````, ```` ```python transformers ````,
/// ```` ```yaml axolotl ````); the prose before a fence is its caption. The
/// section runs to the next heading of level 1–3 or the end of the file.
/// Problems are reported at their line; the parse never traps.
enum SnippetSection {
    static let heading = "### Snippets"
    /// Code lines fit the summary screen on an 80-column terminal: its
    /// 76-column pane indents code by 2.
    static let maximumLineWidth = 74

    private struct OpenFence {
        var marker: Character
        var length: Int
        var line: Int
        var library: Snippet.Library?
        var code: [Substring] = []
    }

    /// The snippets of the lines `lines[start...]` (line numbers count from
    /// the file's first line as 1).
    static func scan(_ lines: [Substring], from start: Int, diagnostics d: inout LessonDiagnostics) -> [Snippet] {
        var snippets: [Snippet] = []
        var sectionLine: Int?
        var inSection = false
        var caption: [String] = []
        var fence: OpenFence?
        for i in start..<max(start, lines.count) {
            let line = lines[i], number = i + 1
            if var f = fence {
                if LessonBody.isClosingFence(line, marker: f.marker, length: f.length) {
                    if let library = f.library {
                        close(f, library: library, caption: caption, into: &snippets, diagnostics: &d)
                    }
                    caption = []
                    fence = nil
                } else {
                    f.code.append(line)
                    fence = f
                }
                continue
            }
            if let (marker, length, info) = LessonBody.openingFence(line) {
                fence = OpenFence(marker: marker, length: length, line: number)
                if inSection { fence?.library = library(info, line: number, column: length + 1, seen: snippets, diagnostics: &d) }
                continue
            }
            if let level = headingLevel(line) {
                if isSectionHeading(line) {
                    if let first = sectionLine {
                        d.error(number, "a lesson has one `\(heading)` section (the first is on line \(first))",
                                suggestion: "put all the lesson's snippets under the first")
                    } else {
                        sectionLine = number
                        inSection = true
                    }
                    continue
                }
                if level <= 3 { inSection = false }
            }
            if inSection {
                let text = line.trimmingCharacters(in: .whitespaces)
                if !text.isEmpty { caption.append(text) }
            }
        }
        if let sectionLine, snippets.isEmpty {
            d.error(sectionLine, "the `\(heading)` section has no snippets",
                    suggestion: "add a fence such as ```python pytorch, ```python transformers or ```yaml axolotl")
        }
        return snippets
    }

    private static func close(_ f: OpenFence, library: Snippet.Library, caption: [String], into snippets: inout [Snippet],
                              diagnostics d: inout LessonDiagnostics) {
        var code = f.code
        while let last = code.last, last.allSatisfy(\.isWhitespace) { code.removeLast() }
        while let first = code.first, first.allSatisfy(\.isWhitespace) { code.removeFirst() }
        guard !code.isEmpty else {
            d.error(f.line, "the `\(library.rawValue)` snippet is empty")
            return
        }
        for (offset, codeLine) in f.code.enumerated() where codeLine.count > maximumLineWidth {
            d.error(f.line + 1 + offset, column: maximumLineWidth + 1,
                    "a snippet line is \(codeLine.count) characters; at most \(maximumLineWidth) fit the summary screen",
                    suggestion: "break the line")
        }
        snippets.append(Snippet(library: library, caption: caption.joined(separator: " "),
                                code: code.joined(separator: "\n"), line: f.line))
    }

    /// The library an opening fence in the section names, or nil after
    /// reporting why it names none.
    private static func library(_ info: Substring, line: Int, column: Int, seen: [Snippet],
                                diagnostics d: inout LessonDiagnostics) -> Snippet.Library? {
        let words = info.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let names = Snippet.Library.allCases.map(\.rawValue)
        let forms = "```python pytorch, ```python transformers or ```yaml axolotl"
        if let word = words.first, Block.Kind(rawValue: word) != nil {
            d.error(line, column: column, "\(articled(word)) block inside the `\(heading)` section",
                    suggestion: "the snippets close the lesson: move the block above the heading")
            return nil
        }
        guard words.count >= 2 else {
            d.error(line, column: column, "a fence in the `\(heading)` section names its library", suggestion: "write \(forms)")
            return nil
        }
        guard let library = Snippet.Library(rawValue: words[1]) else {
            d.error(line, column: column + words[0].count + 1, "unknown snippet library `\(excerpt(words[1]))`",
                    suggestion: Suggestion.text(for: words[1], among: names))
            return nil
        }
        if words[0] != library.language {
            d.error(line, column: column, "\(articled(library.rawValue)) snippet is written in \(library.language)",
                    suggestion: "open it with ```\(library.language) \(library.rawValue)")
            return nil
        }
        if words.count > 2 {
            d.error(line, column: column, "unexpected `\(excerpt(words[2]))` after the snippet's library",
                    suggestion: "write \(forms)")
            return nil
        }
        if let first = seen.first(where: { $0.library == library }) {
            d.error(line, column: column, "a second `\(library.rawValue)` snippet (the first is on line \(first.line))",
                    suggestion: "one snippet per library: merge the two")
            return nil
        }
        return library
    }

    /// The step with its prose's snippets section taken out.
    static func removing(from step: Step) -> Step {
        var step = step
        step.prose = removing(from: step.prose)
        return step
    }

    /// `prose` without its snippets section (the heading, captions and
    /// fences), for the step's prose pane.
    static func removing(from prose: String) -> String {
        var kept: [Substring] = []
        var inSection = false
        var fence: (Character, Int)?
        for line in prose.split(separator: "\n", omittingEmptySubsequences: false) {
            if let (marker, length) = fence {
                if LessonBody.isClosingFence(line, marker: marker, length: length) { fence = nil }
            } else if let (marker, length, _) = LessonBody.openingFence(line) {
                fence = (marker, length)
            } else if let level = headingLevel(line) {
                if isSectionHeading(line) {
                    inSection = true
                    continue
                }
                if level <= 3 { inSection = false }
            }
            if !inSection { kept.append(line) }
        }
        while kept.last?.allSatisfy(\.isWhitespace) == true { kept.removeLast() }
        return kept.joined(separator: "\n")
    }

    static func isSectionHeading(_ line: Substring) -> Bool {
        line.trimmingCharacters(in: .whitespaces).lowercased() == heading.lowercased()
    }

    /// The level of an ATX heading (`#` … `######` then a space), indented ≤ 3.
    static func headingLevel(_ line: Substring) -> Int? {
        let trimmed = line.drop(while: { $0 == " " })
        guard line.count - trimmed.count <= 3 else { return nil }
        let hashes = trimmed.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let rest = trimmed.dropFirst(hashes)
        return rest.isEmpty || rest.first == " " || rest.first == "\t" ? hashes : nil
    }
}
