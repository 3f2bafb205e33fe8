import Testing
import Foundation
@testable import DecayLessons

/// The committed results of scripts/check_snippets.py must cover every
/// snippet in the lesson files as they are now: same SHA-256, passed. No
/// Python here; a developer who edits a snippet is told what to run.
@Suite struct SnippetCurrencyTests {
    static let resultsPath = URL(fileURLWithPath: lessonsDirectory).deletingLastPathComponent()
        .appendingPathComponent("scripts/snippet-check.json").path
    static let advice = "run `python3 scripts/check_snippets.py` (needs torch, transformers, accelerate and PyPI) and commit scripts/snippet-check.json"

    /// Every way the results can fail the lessons, one line each.
    static func problems(lessons: [Lesson], results: Data?) -> [String] {
        guard let results else { return ["scripts/snippet-check.json is missing"] }
        guard let document = try? JSONSerialization.jsonObject(with: results) as? [String: Any],
              let entries = document["snippets"] as? [[String: Any]] else {
            return ["scripts/snippet-check.json is not the script's JSON"]
        }
        var out: [String] = []
        let versions = document["versions"] as? [String: String] ?? [:]
        for library in ["torch", "transformers", "accelerate", "axolotl"] where versions[library]?.isEmpty ?? true {
            out.append("the results do not say which \(library) they were checked with")
        }
        var unmatched = entries
        for lesson in lessons {
            for snippet in lesson.snippets {
                let place = "\(lesson.file):\(snippet.line) (\(lesson.id), \(snippet.library.rawValue))"
                guard let index = unmatched.firstIndex(where: {
                    $0["lesson"] as? String == lesson.id && $0["library"] as? String == snippet.library.rawValue
                }) else {
                    out.append("\(place): never checked")
                    continue
                }
                let entry = unmatched.remove(at: index)
                if entry["sha256"] as? String != SHA256.hex(snippet.code) {
                    out.append("\(place): changed since it was checked")
                } else if entry["status"] as? String != "passed" {
                    out.append("\(place): failed its check: \(entry["error"] as? String ?? "no reason recorded")")
                }
            }
        }
        for entry in unmatched {
            out.append("a result for a snippet the lessons no longer have: \(entry["lesson"] ?? "?") \(entry["library"] ?? "?")")
        }
        return out
    }

    @Test func theCommittedResultsAreCurrent() {
        let library = LessonLibrary.load(directory: lessonsDirectory)
        #expect(library.errors.isEmpty, "\(library.errors)")
        let problems = Self.problems(lessons: library.lessons, results: FileManager.default.contents(atPath: Self.resultsPath))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\n\(Self.advice)")
    }

    @Test func aChangedMissingOrFailedSnippetIsReported() throws {
        let library = LessonLibrary.load(directory: lessonsDirectory)
        let data = try #require(FileManager.default.contents(atPath: Self.resultsPath))
        var lessons = library.lessons
        try #require(lessons.count >= 2 && lessons[0].snippets.count == 3)
        lessons[0].snippets[0].code += "\n# edited"
        lessons[1].snippets.append(Snippet(library: .pytorch, code: "x = 1", line: 999))
        let found = Self.problems(lessons: lessons, results: data)
        #expect(found.contains { $0.contains(":\(lessons[0].snippets[0].line) ") && $0.hasSuffix("changed since it was checked") })
        #expect(found.contains { $0.contains(":999 ") && $0.hasSuffix("never checked") })
        #expect(found.count == 2, "\(found)")

        var document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var entries = try #require(document["snippets"] as? [[String: Any]])
        entries[2]["status"] = "failed"
        entries[2]["error"] = "AssertionError: weight_decay = 0.1"
        document["snippets"] = entries
        let failed = Self.problems(lessons: library.lessons, results: try JSONSerialization.data(withJSONObject: document))
        #expect(failed == ["\(library.lessons[0].file):\(library.lessons[0].snippets[2].line) (\(library.lessons[0].id), axolotl): failed its check: AssertionError: weight_decay = 0.1"])
        #expect(Self.problems(lessons: library.lessons, results: nil) == ["scripts/snippet-check.json is missing"])
        #expect(Self.problems(lessons: [], results: data).count == entries.count)
    }

    @Test func sha256MatchesTheStandardsVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex("λ‖w‖²\n") == "5527f3f365d633c698fd780d9297c3b80972b022ed26127d477f13694358ef7e")   // UTF-8, as hashlib
    }
}
