import Foundation

/// Reads one lesson file: front matter, `## ` steps, and the fenced
/// `experiment`, `goal` and `sweep` blocks (every other fence is prose).
/// Every problem found is reported with its line; the parse never traps,
/// whatever the bytes.
public enum LessonParser {
    public static let maximumSteps = 16

    /// Parses the file at `path`.
    public static func parse(fileAt path: String) -> Result<Lesson, LessonErrors> {
        switch LessonFileReader.bytes(atPath: path) {
        case let .success(bytes): return parse(bytes, path: path)
        case let .failure(error): return .failure(LessonErrors([error]))
        }
    }

    /// Parses a lesson's text (as UTF-8).
    public static func parse(_ text: String, path: String) -> Result<Lesson, LessonErrors> {
        parse(Array(text.utf8), path: path)
    }

    /// Parses a lesson's bytes; `path` is what errors and `Lesson.file` say.
    public static func parse(_ bytes: [UInt8], path: String) -> Result<Lesson, LessonErrors> {
        var d = LessonDiagnostics(path: path)
        guard let source = SourceText.decode(bytes, diagnostics: &d),
              let front = FrontMatter.read(source.lines, diagnostics: &d) else {
            return .failure(LessonErrors(d.sorted))
        }
        var body = LessonBody(lines: source.lines)
        body.read(from: front.bodyStart, diagnostics: &d)

        // Steps: typed and cross-checked.
        var steps: [Step] = []
        for raw in body.steps.prefix(maximumSteps) {
            if d.isFull { break }
            if let step = raw.build(diagnostics: &d) { steps.append(step) }
        }
        let snippets = SnippetSection.scan(source.lines, from: front.bodyStart, diagnostics: &d)
        guard d.errors.isEmpty, let id = front.id, let title = front.title else { return .failure(LessonErrors(d.sorted)) }
        return .success(Lesson(id: id, title: title, summary: front.summary, introduction: prose(body.introduction),
                               file: path, steps: steps.map { SnippetSection.removing(from: $0) }, idLine: front.idLine,
                               snippets: snippets))
    }

    static func prose(_ lines: [Substring]) -> String {
        var lines = lines[...]
        while let f = lines.first, f.allSatisfy(\.isWhitespace) { lines = lines.dropFirst() }
        while let l = lines.last, l.allSatisfy(\.isWhitespace) { lines = lines.dropLast() }
        return lines.joined(separator: "\n")
    }

    static func isValidID(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 64 && s.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
            && !s.hasPrefix("-") && !s.hasSuffix("-") && !s.allSatisfy(\.isNumber)
    }
}
