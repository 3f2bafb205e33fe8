import TextSupport
import Foundation

/// One `key = value` line of a block.
struct BlockEntry: Equatable, Sendable {
    var key: String
    var value: BlockValue
    var line: Int
    var keyColumn: Int
    var valueColumn: Int
}

/// A `[run "NAME"]` or `[choice "TEXT"]` section and the lines under it.
struct BlockSection: Equatable, Sendable {
    var kind: String
    var name: String
    var line: Int
    var entries: [BlockEntry] = []

    func entry(_ key: String) -> BlockEntry? { entries.first { $0.key == key } }
}

/// A fenced `experiment`, `goal` or `sweep` block, split into its top-level
/// lines and its sections. Duplicate keys have already been reported and
/// dropped, so each key appears at most once per scope.
struct Block: Equatable, Sendable {
    enum Kind: String, CaseIterable, Sendable {
        case experiment, goal, sweep

        /// Which `[kind "…"]` sections the block may have.
        var sectionKinds: [String] {
            switch self {
            case .experiment: ["run"]
            case .goal: ["choice"]
            case .sweep: []
            }
        }
    }

    var kind: Kind
    /// The line of the opening fence.
    var line: Int
    var entries: [BlockEntry] = []
    var sections: [BlockSection] = []
    /// Whether a line could not be read (a malformed value or section
    /// header). Its key or section is missing from the block, so checking
    /// what the block means would report echoes of that one error.
    var hasSyntaxErrors = false

    func entry(_ key: String) -> BlockEntry? { entries.first { $0.key == key } }
}

/// Reads a block's lines into a `Block`, reporting malformed lines.
enum BlockParser {
    /// - Parameters:
    ///   - lines: the lines between the fences.
    ///   - firstLine: the 1-based line number of `lines[0]`.
    static func parse(
        kind: Block.Kind, fenceLine: Int, lines: ArraySlice<Substring>, firstLine: Int,
        diagnostics: inout LessonDiagnostics
    ) -> Block {
        var reader = Reader(block: Block(kind: kind, line: fenceLine))
        for (offset, text) in lines.enumerated() {
            if diagnostics.isFull { break }
            let scalars = Array(text.unicodeScalars)
            var i = 0
            while i < scalars.count, scalars[i] == " " || scalars[i] == "\t" { i += 1 }
            if i == scalars.count || scalars[i] == "#" { continue }
            if scalars[i] == "[" {
                reader.readSectionHeader(scalars, from: i, line: firstLine + offset, diagnostics: &diagnostics)
            } else {
                reader.readEntry(scalars, from: i, line: firstLine + offset, diagnostics: &diagnostics)
            }
        }
        return reader.block
    }

    /// What a block's lines have built so far.
    private struct Reader {
        var block: Block
        /// Set while the lines belong to a section with an unknown kind: they
        /// are skipped, so one typo in a header is one error, not twenty.
        var skippingSection = false
        /// Keys set in the current scope (top level or section), and where.
        var seen: [String: Int] = [:]
        var sectionNames: [String: Int] = [:]

        /// A `[kind "name"]` line: a new section, or an error and its lines skipped.
        mutating func readSectionHeader(
            _ scalars: [Unicode.Scalar], from i: Int, line lineNumber: Int, diagnostics: inout LessonDiagnostics
        ) {
            guard let (sectionKind, name) = parseHeader(scalars, from: i, line: lineNumber, diagnostics: &diagnostics) else {
                skippingSection = true
                block.hasSyntaxErrors = true
                return
            }
            let kind = block.kind
            let allowed = kind.sectionKinds
            guard allowed.contains(sectionKind) else {
                let suggestion = allowed.isEmpty
                    ? "\(articled(kind.rawValue)) block has no sections"
                    : Suggestion.text(for: sectionKind, among: allowed)
                diagnostics.error(lineNumber, column: i + 2,
                                  "unknown section `[\(excerpt(sectionKind)) …]` in \(articled(kind.rawValue)) block",
                                  suggestion: suggestion)
                skippingSection = true
                block.hasSyntaxErrors = true
                return
            }
            if let first = sectionNames[name] {
                diagnostics.error(lineNumber, column: i + 1,
                                  "duplicate \(sectionKind) name \"\(excerpt(name))\" (first on line \(first))",
                                  suggestion: "give each \(sectionKind) its own name")
            }
            sectionNames[name] = sectionNames[name] ?? lineNumber
            skippingSection = false
            block.sections.append(BlockSection(kind: sectionKind, name: name, line: lineNumber))
            seen = [:]
        }

        /// A `key = value` line, added to the current scope.
        mutating func readEntry(
            _ scalars: [Unicode.Scalar], from start: Int, line lineNumber: Int, diagnostics: inout LessonDiagnostics
        ) {
            var i = start
            guard ValueParser.isWordStart(scalars[i]) else {
                block.hasSyntaxErrors = true
                diagnostics.error(lineNumber, column: i + 1,
                                  "expected `key = value`, found `\(ValueParser.printable(scalars[i]))`",
                                  suggestion: "write one `key = value` per line; `#` starts a comment")
                return
            }
            let keyStart = i
            while i < scalars.count, ValueParser.isWordPart(scalars[i]) { i += 1 }
            let key = ValueParser.string(scalars[keyStart..<i])
            while i < scalars.count, scalars[i] == " " || scalars[i] == "\t" { i += 1 }
            guard i < scalars.count, scalars[i] == "=" else {
                block.hasSyntaxErrors = true
                diagnostics.error(lineNumber, column: i + 1, "expected `=` after `\(excerpt(key))`",
                                  suggestion: "write `\(excerpt(key)) = value`")
                return
            }
            i += 1
            if skippingSection { return }
            let value: BlockValue
            switch ValueParser.parse(scalars, from: i) {
            case let .success(v): value = v
            case let .failure(f):
                block.hasSyntaxErrors = true
                diagnostics.error(lineNumber, column: f.column, f.message)
                return
            }
            if let first = seen[key] {
                diagnostics.error(lineNumber, column: keyStart + 1,
                                  "duplicate key `\(excerpt(key))` (first set on line \(first))",
                                  suggestion: "keep one of the two lines")
                return
            }
            seen[key] = lineNumber
            var valueColumn = i
            while valueColumn < scalars.count, scalars[valueColumn] == " " || scalars[valueColumn] == "\t" { valueColumn += 1 }
            let entry = BlockEntry(key: key, value: value, line: lineNumber, keyColumn: keyStart + 1, valueColumn: valueColumn + 1)
            if block.sections.isEmpty {
                block.entries.append(entry)
            } else {
                block.sections[block.sections.count - 1].entries.append(entry)
            }
        }
    }

    /// `[kind "name"]` → (kind, name), or nil after reporting why not.
    private static func parseHeader(
        _ s: [Unicode.Scalar], from start: Int, line: Int, diagnostics: inout LessonDiagnostics
    ) -> (String, String)? {
        var i = start + 1
        func skipSpace() { while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 } }
        skipSpace()
        let kindStart = i
        while i < s.count, ValueParser.isWordPart(s[i]) { i += 1 }
        let kind = ValueParser.string(s[kindStart..<i])
        guard !kind.isEmpty else {
            diagnostics.error(line, column: start + 1, "expected a section such as `[run \"NAME\"]`")
            return nil
        }
        skipSpace()
        guard i < s.count, s[i] == "\"" else {
            diagnostics.error(line, column: i + 1, "a section's name is a quoted string",
                              suggestion: "write `[\(excerpt(kind)) \"NAME\"]`")
            return nil
        }
        let name: String
        switch ValueParser.quoted(s, from: i) {
        case let .failure(f):
            diagnostics.error(line, column: f.column, f.message)
            return nil
        case let .success((text, end)):
            name = text
            i = end
        }
        skipSpace()
        guard i < s.count, s[i] == "]" else {
            diagnostics.error(line, column: i + 1, "expected `]` to close the section header")
            return nil
        }
        i += 1
        skipSpace()
        if i < s.count, s[i] != "#" {
            diagnostics.error(line, column: i + 1, "unexpected text after the section header")
            return nil
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty {
            diagnostics.error(line, column: start + 1, "a \(kind)'s name must not be empty")
            return nil
        }
        return (kind, name)
    }
}
