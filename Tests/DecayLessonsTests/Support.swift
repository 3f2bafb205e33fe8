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
