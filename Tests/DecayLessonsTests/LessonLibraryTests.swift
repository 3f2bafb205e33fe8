import Testing
import Foundation
@testable import DecayLessons

@Suite struct LessonLibraryTests {
    func folder(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir.path
    }

    func lessonFile(id: String, steps: Int = 1) -> String {
        "---\nid: \(id)\ntitle: \(id)\n---\n" + String(repeating: "## S\n```experiment\n\(minimalExperiment)\n```\n", count: steps)
    }

    @Test func badFilesDoNotHideGoodOnes() throws {
        let dir = try folder([
            "02-b.md": lessonFile(id: "b", steps: 3),
            "01-a.md": lessonFile(id: "a"),
            "03-broken.md": "---\nid: c\ntitle: C\n---\n## S\n```experiment\nlamda = 1\n```\n",
            "README.md": "# not a lesson",
            "notes.txt": "ignored",
        ])
        let library = LessonLibrary.load(directory: dir)
        #expect(library.lessons.map(\.id) == ["a", "b"])
        #expect(library.errors.count >= 1 && library.errors.allSatisfy { $0.path.hasSuffix("03-broken.md") })
        #expect(library.errors.contains { $0.line == 7 && $0.suggestion == "did you mean `lambda`?" })
    }

    @Test func duplicateIdsAcrossFiles() throws {
        let dir = try folder(["01-a.md": lessonFile(id: "same"), "02-b.md": lessonFile(id: "same")])
        let library = LessonLibrary.load(directory: dir)
        #expect(library.lessons.count == 1 && library.lessons[0].file.hasSuffix("01-a.md"))
        #expect(library.errors.count == 1)
        #expect(library.errors[0].path.hasSuffix("02-b.md") && library.errors[0].line == 2)
        #expect(library.errors[0].message == "duplicate lesson id `same`")
    }

    @Test func emptyOrMissingFolder() throws {
        #expect(LessonLibrary.load(directory: try folder([:])).errors.first?.message.contains("no lesson files") == true)
        #expect(LessonLibrary.load(directory: "/nonexistent/\(UUID())").errors.first?.message.contains("cannot read") == true)
    }

    @Test func lookupAndReferences() throws {
        let library = LessonLibrary.load(directory: try folder(["01-a.md": lessonFile(id: "overfit"), "02-b.md": lessonFile(id: "adamw", steps: 3)]))
        #expect(library.lesson(id: "adamw")?.steps.count == 3)
        #expect(library.lesson(number: 1)?.id == "overfit" && library.lesson(number: 3) == nil && library.lesson(number: 0) == nil)

        let a = try library.resolve("adamw:2")
        #expect(a.lesson.id == "adamw" && a.step == 1)
        let b = try library.resolve("2")
        #expect(b.lesson.id == "adamw" && b.step == nil)
        let c = try library.resolve("1:1")
        #expect(c.lesson.id == "overfit" && c.step == 0)

        func message(_ reference: String) -> String? {
            do {
                _ = try library.resolve(reference)
                return nil
            } catch { return error.message }
        }
        #expect(message("overfitting") == "lesson `overfitting` not found; lessons are: overfit, adamw (did you mean `overfit`?)")
        #expect(message("nope") == "lesson `nope` not found; lessons are: overfit, adamw")
        #expect(message("adamw:9") == "step 9 out of range 1…3 in lesson `adamw`")
        #expect(message("adamw:0") == "step 0 out of range 1…3 in lesson `adamw`")
        #expect(message("adamw:two") == "step `two` is not a number; write adamw:1")
        #expect(message("7") == "lesson 7 out of range 1…2")
        #expect(message(":1")?.contains("no lesson given") == true)
    }
}
