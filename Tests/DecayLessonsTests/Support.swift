import Testing
import Foundation
import DecayEngine
@testable import DecayLessons

/// The repository's `Lessons/` folder.
let lessonsDirectory: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Lessons").path

/// A lesson around `body`: the front matter is lines 1–4, so `body` starts
/// on line 5.
func lesson(_ body: String) -> String { "---\nid: t\ntitle: T\n---\n" + body }

/// A valid one-step lesson whose experiment block holds `experiment`
/// (its first line is line 8) followed by `extra` after the fence.
func step(_ experiment: String, extra: String = "") -> String {
    lesson("## S\n\n```experiment\n" + experiment + "\n```\n" + extra)
}

func parse(_ text: String, path: String = "t.md") -> Result<Lesson, LessonErrors> {
    LessonParser.parse(text, path: path)
}

func errors(_ text: String) -> [LessonError] {
    switch parse(text) {
    case .success: []
    case let .failure(e): e.errors
    }
}

func parsed(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Lesson {
    switch parse(text) {
    case let .success(l): return l
    case let .failure(e):
        Issue.record("unexpected errors:\n\(e)", sourceLocation: sourceLocation)
        throw e
    }
}

let minimalExperiment = "data = linreg\nmodel = linear\noptimizer = sgd"

func shippedLessonFiles() -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: lessonsDirectory)) ?? [])
        .filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
        .map { (lessonsDirectory as NSString).appendingPathComponent($0) }
}

/// A setting as the lesson file wrote it: the shortest decimal of the Float
/// (0.01, not 0.0099999997…), so arithmetic on it gives the prose's numbers.
func decimal(_ x: Float) -> Double { Double("\(x)")! }

/// A number as the prose writes it: at most six significant digits, no
/// trailing zeros (200, 0.9995, 0.4).
func written(_ x: Double) -> String { String(format: "%g", x) }

/// The numbers a regular expression's groups capture in `text`, in order
/// (commas in 10,000 and a full stop after the number dropped), or nil
/// when it does not match.
func captured(_ pattern: String, in text: String) -> [Double]? {
    guard let regex = try? NSRegularExpression(pattern: pattern),
          let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
    return (1..<match.numberOfRanges).compactMap { i in
        Range(match.range(at: i), in: text).flatMap { range in
            var digits = text[range].replacingOccurrences(of: ",", with: "")
            while digits.hasSuffix(".") { digits.removeLast() }     // a sentence's full stop
            return Double(digits)
        }
    }
}

/// Prose with every run of whitespace (line breaks and list indents
/// included) as one space, so a sentence is found wherever it wraps.
func words(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
