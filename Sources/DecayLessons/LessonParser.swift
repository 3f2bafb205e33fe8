import Foundation
import DecayEngine

/// Reads one lesson file: front matter, `## ` steps, and the fenced
/// `experiment`, `goal` and `sweep` blocks (every other fence is prose).
/// Every problem found is reported with its line; the parse never traps,
/// whatever the bytes.
public enum LessonParser {
    public static let maximumSteps = 12
    static let frontMatterKeys = ["id", "title", "summary"]

    /// Parses the file at `path`.
    public static func parse(fileAt path: String) -> Result<Lesson, LessonErrors> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(LessonErrors([LessonError(path: path, line: 0, message: "cannot read the file")]))
        }
        return parse([UInt8](data), path: path)
    }

    /// Parses a lesson's text (as UTF-8).
    public static func parse(_ text: String, path: String) -> Result<Lesson, LessonErrors> {
        parse(Array(text.utf8), path: path)
    }

    /// Parses a lesson's bytes; `path` is what errors and `Lesson.file` say.
    public static func parse(_ bytes: [UInt8], path: String) -> Result<Lesson, LessonErrors> {
        var d = LessonDiagnostics(path: path)
        guard let source = SourceText.decode(bytes, diagnostics: &d) else { return .failure(LessonErrors(d.sorted)) }
        let lines = source.lines

        // Front matter.
        var id: String?, title: String?, summary: String?
        var idLine = 1
        var bodyStart = 0
        if lines.first.map({ $0.trimmingCharacters(in: .whitespaces) }) == "---" {
            var seen: [String: Int] = [:]
            var end: Int?
            for i in 1..<lines.count {
                let line = lines[i]
                if line.trimmingCharacters(in: .whitespaces) == "---" { end = i; break }
                if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                guard let colon = line.firstIndex(of: ":") else {
                    d.error(i + 1, column: 1, "expected `key: value` in the front matter", suggestion: "front matter keys are id, title, summary")
                    continue
                }
                let key = line[..<colon].trimmingCharacters(in: .whitespaces)
                var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                guard frontMatterKeys.contains(key) else {
                    d.error(i + 1, column: 1, "unknown front matter key `\(excerpt(key))`",
                            suggestion: Suggestion.text(for: key, among: frontMatterKeys))
                    continue
                }
                if let first = seen[key] {
                    d.error(i + 1, column: 1, "duplicate key `\(key)` (first set on line \(first))")
                    continue
                }
                seen[key] = i + 1
                switch key {
                case "id":
                    idLine = i + 1
                    if isValidID(value) {
                        id = value
                    } else {
                        d.error(i + 1, column: line.distance(from: line.startIndex, to: colon) + 3,
                                "lesson id `\(excerpt(value))` must be lowercase letters, digits and `-`",
                                suggestion: "for example `id: \(suggestedID(value))`")
                    }
                case "title":
                    if value.isEmpty { d.error(i + 1, "the title is empty") } else { title = value }
                default:
                    summary = value.isEmpty ? nil : value
                }
            }
            if let end {
                bodyStart = end + 1
                if seen["id"] == nil { d.error(1, "missing `id:` in the front matter", suggestion: "add e.g. `id: overfitting`") }
                if seen["title"] == nil { d.error(1, "missing `title:` in the front matter") }
            } else {
                d.error(1, "the front matter opened here is never closed with `---`")
                return .failure(LessonErrors(d.sorted))
            }
        } else {
            d.error(1, "a lesson starts with front matter",
                    suggestion: "begin the file with `---`, `id: …`, `title: …`, `---`")
        }

        // Body: steps and blocks.
        struct Fence {
            var marker: Character
            var length: Int
            var kind: Block.Kind?
            var line: Int
            var contentStart: Int
        }
        var introduction: [Substring] = []
        var raws: [RawStep] = []
        var fence: Fence?
        var i = bodyStart
        while i < lines.count, !d.isFull {
            let line = lines[i]
            let number = i + 1
            if let f = fence {
                if isClosingFence(line, marker: f.marker, length: f.length) {
                    if let kind = f.kind {
                        let block = BlockParser.parse(kind: kind, fenceLine: f.line, lines: lines[f.contentStart..<i],
                                                      firstLine: f.contentStart + 1, diagnostics: &d)
                        if raws.isEmpty {
                            d.error(f.line, "a `\(kind.rawValue)` block must be inside a step",
                                    suggestion: "start a step with a `## ` heading above it")
                        } else {
                            raws[raws.count - 1].add(block, diagnostics: &d)
                        }
                    } else {
                        appendProse(line, &raws, &introduction)
                    }
                    fence = nil
                } else if f.kind == nil {
                    appendProse(line, &raws, &introduction)
                }
                i += 1
                continue
            }
            if let (marker, length, info) = openingFence(line) {
                let word = info.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "{" }).first.map(String.init) ?? ""
                let kind = Block.Kind(rawValue: word)
                if kind == nil, let near = Suggestion.closest(to: word, among: Block.Kind.allCases.map(\.rawValue)), word.count >= 4 {
                    d.error(number, column: length + 1, "unknown block `\(excerpt(word))`",
                            suggestion: "did you mean `\(near)`? (other fences are shown as prose)")
                }
                fence = Fence(marker: marker, length: length, kind: kind, line: number, contentStart: i + 1)
                if kind == nil { appendProse(line, &raws, &introduction) }
                i += 1
                continue
            }
            if let heading = stepHeading(line) {
                if heading.isEmpty { d.error(number, "a step heading needs a title") }
                if raws.count == maximumSteps {
                    d.error(number, "a lesson has at most \(maximumSteps) steps", suggestion: "split it into two lessons")
                }
                raws.append(RawStep(title: heading, line: number))
                i += 1
                continue
            }
            appendProse(line, &raws, &introduction)
            i += 1
        }
        if let f = fence {
            d.error(f.line, "this \(String(repeating: f.marker, count: f.length)) fence is never closed",
                    suggestion: "close it with a line of \(String(repeating: f.marker, count: f.length))")
            // Still read the block, so its step is not also reported as
            // missing an experiment.
            if let kind = f.kind, !raws.isEmpty {
                let block = BlockParser.parse(kind: kind, fenceLine: f.line, lines: lines[f.contentStart...],
                                              firstLine: f.contentStart + 1, diagnostics: &d)
                raws[raws.count - 1].add(block, diagnostics: &d)
            }
        }
        if raws.isEmpty && bodyStart <= lines.count {
            d.error(max(1, min(bodyStart + 1, lines.count)), "the lesson has no steps",
                    suggestion: "start each step with a `## ` heading and give it an ```experiment block")
        }

        // Steps: typed and cross-checked.
        var steps: [Step] = []
        for raw in raws.prefix(maximumSteps) {
            if d.isFull { break }
            if let step = raw.build(diagnostics: &d) { steps.append(step) }
        }
        guard d.errors.isEmpty, let id, let title else { return .failure(LessonErrors(d.sorted)) }
        return .success(Lesson(id: id, title: title, summary: summary, introduction: prose(introduction), file: path,
                               steps: steps, idLine: idLine))
    }

    private static func appendProse(_ line: Substring, _ raws: inout [RawStep], _ intro: inout [Substring]) {
        if raws.isEmpty { intro.append(line) } else { raws[raws.count - 1].prose.append(line) }
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

    private static func suggestedID(_ s: String) -> String {
        let mapped = s.lowercased().unicodeScalars.map { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") ? Character($0) : "-" }
        let t = String(mapped.prefix(40)).split(separator: "-").joined(separator: "-")
        return t.isEmpty || t.allSatisfy(\.isNumber) ? "my-lesson" : t
    }

    /// `## Title` (up to three spaces of indent, as CommonMark) → "Title".
    private static func stepHeading(_ line: Substring) -> String? {
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
    private static func openingFence(_ line: Substring) -> (Character, Int, Substring)? {
        let trimmed = line.drop(while: { $0 == " " })
        guard line.count - trimmed.count <= 3, let marker = trimmed.first, marker == "`" || marker == "~" else { return nil }
        let run = trimmed.prefix(while: { $0 == marker })
        guard run.count >= 3 else { return nil }
        let info = trimmed.dropFirst(run.count)
        if marker == "`" && info.contains("`") { return nil }
        return (marker, run.count, info.drop(while: { $0 == " " }))
    }

    private static func isClosingFence(_ line: Substring, marker: Character, length: Int) -> Bool {
        let trimmed = line.drop(while: { $0 == " " })
        guard line.count - trimmed.count <= 3 else { return false }
        let run = trimmed.prefix(while: { $0 == marker })
        return run.count >= length && trimmed.dropFirst(run.count).allSatisfy { $0 == " " || $0 == "\t" }
    }
}

/// A step as scanned, before its blocks are given meaning.
struct RawStep {
    var title: String
    var line: Int
    var prose: [Substring] = []
    var experiment: Block?
    var goal: Block?
    var sweep: Block?

    mutating func add(_ block: Block, diagnostics d: inout LessonDiagnostics) {
        let existing: Block? = switch block.kind {
        case .experiment: experiment
        case .goal: goal
        case .sweep: sweep
        }
        if let existing {
            d.error(block.line, "a step has at most one `\(block.kind.rawValue)` block (another starts on line \(existing.line))",
                    suggestion: block.kind == .experiment ? "compare settings with `[run \"NAME\"]` sections in one block" : "start a new step with `## `")
            return
        }
        switch block.kind {
        case .experiment: experiment = block
        case .goal: goal = block
        case .sweep: sweep = block
        }
    }

    func build(diagnostics d: inout LessonDiagnostics) -> Step? {
        guard let experiment else {
            d.error(line, "step \"\(excerpt(title))\" has no ```experiment block",
                    suggestion: "every step runs an experiment; add one below the heading")
            return nil
        }
        var builder = ExperimentBuilder(diagnostics: d)
        let output = builder.build(experiment)
        d = builder.diagnostics
        var goalValue: Goal?
        if let goal {
            var g = GoalBuilder(diagnostics: d)
            goalValue = g.build(goal, context: output?.context)
            d = g.diagnostics
        }
        var sweepValue: SweepSpec?
        if let sweep {
            var s = SweepBuilder(diagnostics: d)
            let summary = output.map { ExperimentSpecSummary(learningRate: $0.spec.optimizer.learningRate, weightDecay: $0.spec.weightDecay) }
            sweepValue = s.build(sweep, spec: summary, context: output?.context)
            d = s.diagnostics
        }
        guard var output else { return nil }
        var goalMetric: Metric?
        if case let .threshold(t)? = goalValue { goalMetric = t.metric }
        if goalMetric == .distanceFromInit || sweepValue?.metric == .distanceFromInit {
            output.spec.measuresDistanceFromInit = true  // the metric needs θ₀ kept in every run
        }
        if let problem = ResourceEstimate(spec: output.spec).problem {
            d.error(experiment.line, problem, suggestion: ResourceEstimate.advice)
            return nil
        }
        return Step(title: title, prose: LessonParser.prose(prose), spec: output.spec, controls: output.controls,
                    charts: output.charts, goal: goalValue, sweep: sweepValue, line: line)
    }
}
