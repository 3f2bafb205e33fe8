import TextSupport
import Foundation

/// The part of a lesson file after its front matter, scanned line by line
/// into the introduction and the steps: `## ` headings start steps, fenced
/// `experiment`, `goal` and `sweep` blocks belong to the step above them, and
/// every other line (other fences included) is prose.
struct LessonBody {
    /// A fence that is open: its marker and length (what closes it), the
    /// block it holds (nil for a prose fence) and where it started.
    struct Fence {
        var marker: Character
        var length: Int
        var kind: Block.Kind?
        var line: Int
        var contentStart: Int
    }

    let lines: [Substring]
    private(set) var introduction: [Substring] = []
    private(set) var steps: [RawStep] = []
    private var fence: Fence?

    init(lines: [Substring]) { self.lines = lines }

    /// Scans from line index `start` to the end (or until the diagnostics are full).
    mutating func read(from start: Int, diagnostics d: inout LessonDiagnostics) {
        var i = start
        while i < lines.count, !d.isFull {
            let line = lines[i]
            if let f = fence {
                if let reopened = fenceCutShort(f, by: line, at: i, diagnostics: &d) {
                    i = reopened
                    continue
                }
                readFenced(line, at: i, in: f, diagnostics: &d)
            } else if let (marker, length, info) = Self.openingFence(line) {
                open(marker: marker, length: length, info: info, at: i, diagnostics: &d)
            } else if let heading = Self.stepHeading(line) {
                startStep(heading, line: i + 1, diagnostics: &d)
            } else {
                appendProse(line)
            }
            i += 1
        }
        finish(start: start, diagnostics: &d)
    }

    /// A line inside an open fence: the closing fence, or the fence's content.
    private mutating func readFenced(_ line: Substring, at i: Int, in f: Fence, diagnostics d: inout LessonDiagnostics) {
        guard Self.isClosingFence(line, marker: f.marker, length: f.length) else {
            if f.kind == nil { appendProse(line) }
            return
        }
        if let kind = f.kind {
            let block = BlockParser.parse(kind: kind, fenceLine: f.line, lines: lines[f.contentStart..<i],
                                          firstLine: f.contentStart + 1, diagnostics: &d)
            if steps.isEmpty {
                d.error(f.line, "\(articled(kind.rawValue)) block must be inside a step",
                        suggestion: "start a step with a `## ` heading above it")
            } else {
                steps[steps.count - 1].add(block, diagnostics: &d)
            }
        } else {
            appendProse(line)
        }
        fence = nil
    }

    /// Inside fence `f`, a line that opens an `experiment`, `goal` or
    /// `sweep` block with the same marker, at least as long: CommonMark reads
    /// it as the fence's content, but no author means that (a block is quoted
    /// in prose inside a longer fence), so `f` was left open by mistake. That
    /// is reported once, where `f` opens, and the scan goes on as if `f` had
    /// been closed: a block fence ends before this line; a prose fence is
    /// read again from its next line, so headings and blocks it swallowed
    /// count. Returns the index to continue from, or nil for ordinary content.
    private mutating func fenceCutShort(
        _ f: Fence, by line: Substring, at i: Int, diagnostics d: inout LessonDiagnostics
    ) -> Int? {
        guard let (marker, length, info) = Self.openingFence(line), marker == f.marker, length >= f.length,
              let word = info.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "{" }).first,
              let kind = Block.Kind(rawValue: String(word)) else { return nil }
        d.error(f.line, "this \(Self.fenceName(f.marker, f.length)) fence is never closed: "
                + "the `\(kind.rawValue)` block on line \(i + 1) opens inside it",
                suggestion: "\(Self.closingAdvice(f.marker, f.length)) above line \(i + 1)")
        fence = nil
        guard let blockKind = f.kind else { return f.contentStart }
        if !steps.isEmpty {
            let block = BlockParser.parse(kind: blockKind, fenceLine: f.line, lines: lines[f.contentStart..<i],
                                          firstLine: f.contentStart + 1, diagnostics: &d)
            steps[steps.count - 1].add(block, diagnostics: &d)
        }
        return i
    }

    /// How a message names a fence: its characters while they are few, a
    /// count when there are so many that quoting them would fill the screen.
    static func fenceName(_ marker: Character, _ length: Int) -> String {
        length <= 10 ? String(repeating: marker, count: length)
            : "\(length)-\(marker == "`" ? "backtick" : "tilde")"
    }

    static func closingAdvice(_ marker: Character, _ length: Int) -> String {
        length <= 10 ? "close it with a line of \(fenceName(marker, length))"
            : "close it with a line of at least \(length) \(marker == "`" ? "backticks" : "tildes")"
    }

    /// A line of backticks or tildes that opens a fence.
    private mutating func open(
        marker: Character, length: Int, info: Substring, at i: Int, diagnostics d: inout LessonDiagnostics
    ) {
        let word = info.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "{" }).first.map(String.init) ?? ""
        let kind = Block.Kind(rawValue: word)
        if kind == nil, let near = Suggestion.closest(to: word, among: Block.Kind.allCases.map(\.rawValue)), word.count >= 4 {
            d.error(i + 1, column: length + 1, "unknown block `\(excerpt(word))`",
                    suggestion: "did you mean `\(near)`? (other fences are shown as prose)")
        }
        fence = Fence(marker: marker, length: length, kind: kind, line: i + 1, contentStart: i + 1)
        if kind == nil { appendProse(lines[i]) }
    }

    private mutating func startStep(_ heading: String, line number: Int, diagnostics d: inout LessonDiagnostics) {
        if heading.isEmpty { d.error(number, "a step heading needs a title") }
        if steps.count == LessonParser.maximumSteps {
            d.error(number, "a lesson has at most \(LessonParser.maximumSteps) steps", suggestion: "split it into two lessons")
        }
        steps.append(RawStep(title: heading, line: number))
    }

    private mutating func appendProse(_ line: Substring) {
        if steps.isEmpty { introduction.append(line) } else { steps[steps.count - 1].prose.append(line) }
    }

    /// At the end of the file: a fence still open, or no step at all.
    private mutating func finish(start: Int, diagnostics d: inout LessonDiagnostics) {
        if let f = fence {
            d.error(f.line, "this \(Self.fenceName(f.marker, f.length)) fence is never closed",
                    suggestion: Self.closingAdvice(f.marker, f.length))
            // Still read the block, so its step is not also reported as
            // missing an experiment.
            if let kind = f.kind, !steps.isEmpty {
                let block = BlockParser.parse(kind: kind, fenceLine: f.line, lines: lines[f.contentStart...],
                                              firstLine: f.contentStart + 1, diagnostics: &d)
                steps[steps.count - 1].add(block, diagnostics: &d)
            }
        }
        if steps.isEmpty && start <= lines.count {
            d.error(max(1, min(start + 1, lines.count)), "the lesson has no steps",
                    suggestion: "start each step with a `## ` heading and give it an ```experiment block")
        }
    }

    // MARK: - Line shapes

    /// `## Title` (up to three spaces of indent, as CommonMark) → "Title".
    static func stepHeading(_ line: Substring) -> String? {
        let trimmed = line.drop(while: { $0 == " " })
        guard line.count - trimmed.count <= 3, trimmed.hasPrefix("##") else { return nil }
        let rest = trimmed.dropFirst(2)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var title = rest.trimmingCharacters(in: .whitespaces)
        // A closing sequence of #s is not part of the title.
        if title.hasSuffix("#") {
            let stripped = title.reversed().drop(while: { $0 == "#" })
            if stripped.isEmpty || stripped.first == " " { title = String(stripped.reversed()).trimmingCharacters(in: .whitespaces) }
        }
        return title
    }

    /// A line of three or more backticks or tildes (indented ≤ 3 spaces):
    /// the marker, its length and the info string.
    static func openingFence(_ line: Substring) -> (Character, Int, Substring)? {
        let trimmed = line.drop(while: { $0 == " " })
        guard line.count - trimmed.count <= 3, let marker = trimmed.first, marker == "`" || marker == "~" else { return nil }
        let run = trimmed.prefix(while: { $0 == marker })
        guard run.count >= 3 else { return nil }
        let info = trimmed.dropFirst(run.count)
        if marker == "`" && info.contains("`") { return nil }
        return (marker, run.count, info.drop(while: { $0 == " " }))
    }

    static func isClosingFence(_ line: Substring, marker: Character, length: Int) -> Bool {
        let trimmed = line.drop(while: { $0 == " " })
        guard line.count - trimmed.count <= 3 else { return false }
        let run = trimmed.prefix(while: { $0 == marker })
        return run.count >= length && trimmed.dropFirst(run.count).allSatisfy { $0 == " " || $0 == "\t" }
    }
}
