import TextSupport
import Foundation

/// The `---` block that opens a lesson file: `id`, `title` and an optional
/// `summary`, one `key: value` per line.
struct FrontMatter {
    static let keys = ["id", "title", "summary"]

    var id: String?
    var title: String?
    var summary: String?
    /// The line of `id:` (for duplicate-id errors); 1 when it is missing.
    var idLine = 1
    /// Index of the first line after the closing `---` (0 without front matter).
    var bodyStart = 0

    /// Reads the front matter at the top of `lines`, reporting every problem.
    /// Returns nil when it is opened and never closed: then there is no
    /// telling where the body starts, and nothing more is worth reporting.
    static func read(_ lines: [Substring], diagnostics d: inout LessonDiagnostics) -> FrontMatter? {
        var front = FrontMatter()
        guard lines.first.map({ $0.trimmingCharacters(in: .whitespaces) }) == "---" else {
            d.error(1, "a lesson starts with front matter",
                    suggestion: "begin the file with `---`, `id: …`, `title: …`, `---`")
            return front
        }
        var seen: [String: Int] = [:]
        for i in 1..<lines.count {
            let line = lines[i]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "---" {
                front.bodyStart = i + 1
                if seen["id"] == nil { d.error(1, "missing `id:` in the front matter", suggestion: "add e.g. `id: overfitting`") }
                if seen["title"] == nil { d.error(1, "missing `title:` in the front matter") }
                return front
            }
            if trimmed.isEmpty { continue }
            front.readEntry(line, number: i + 1, seen: &seen, diagnostics: &d)
        }
        d.error(1, "the front matter opened here is never closed with `---`")
        return nil
    }

    /// One `key: value` line.
    private mutating func readEntry(
        _ line: Substring, number: Int, seen: inout [String: Int], diagnostics d: inout LessonDiagnostics
    ) {
        guard let colon = line.firstIndex(of: ":") else {
            d.error(number, column: 1, "expected `key: value` in the front matter", suggestion: "front matter keys are id, title, summary")
            return
        }
        let key = line[..<colon].trimmingCharacters(in: .whitespaces)
        var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
        guard Self.keys.contains(key) else {
            d.error(number, column: 1, "unknown front matter key `\(excerpt(key))`",
                    suggestion: Suggestion.text(for: key, among: Self.keys))
            return
        }
        if let first = seen[key] {
            d.error(number, column: 1, "duplicate key `\(key)` (first set on line \(first))")
            return
        }
        seen[key] = number
        switch key {
        case "id":
            idLine = number
            if LessonParser.isValidID(value) {
                id = value
            } else {
                d.error(number, column: line.distance(from: line.startIndex, to: colon) + 3,
                        "lesson id `\(excerpt(value))` must be lowercase letters, digits and `-`",
                        suggestion: "for example `id: \(Self.suggestedID(value))`")
            }
        case "title":
            if value.isEmpty { d.error(number, "the title is empty") } else { title = value }
        default:
            summary = value.isEmpty ? nil : value
        }
    }

    private static func suggestedID(_ s: String) -> String {
        let mapped = s.lowercased().unicodeScalars.map { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") ? Character($0) : "-" }
        let t = String(mapped.prefix(40)).split(separator: "-").joined(separator: "-")
        return t.isEmpty || t.allSatisfy(\.isNumber) ? "my-lesson" : t
    }
}
