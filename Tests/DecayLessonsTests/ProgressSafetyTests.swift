import Testing
import Foundation
@testable import DecayLessons

/// What a progress file may never cause: a trap, lost progress, a file
/// replaced that was not ours to replace, or old progress brought back.
@Suite struct ProgressSafetyTests {
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("safety-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func hostileValuesAreDroppedAndReported() {
        var p = LearnerProgress(lessons: ["a": .init(finishedSteps: [Int.min, -1, 0, 1, 4, 5, 5050, Int.max], answeredGoals: [Int.min])],
                         last: .init(lesson: "a", step: Int.min))
        p.resets = -4
        let (valid, problems) = p.valid(forLessons: ["a": 4])
        #expect(valid.lessons["a"]?.finishedSteps == [1, 4])
        #expect(valid.lessons["a"]?.answeredGoals == [])
        #expect(valid.last == nil)
        #expect(valid.resets == nil)
        #expect(problems.count >= 3)
        let (kept, _) = LearnerProgress(lessons: ["other": .init(finishedSteps: [7])]).valid(forLessons: ["a": 4])
        #expect(kept.lessons["other"]?.finishedSteps == [7])   // another folder's lesson is not ours to judge
    }

    @Test func aNewerFileIsLeftUntouchedAndSavesAreRefused() throws {
        let url = try folder().appendingPathComponent("progress.json")
        let content = "{\"format\":\"decay-tutor progress\",\"version\":2,\"lessons\":{\"x\":{\"finishedSteps\":[1],\"answeredGoals\":[]}}}"
        try Data(content.utf8).write(to: url)
        let store = ProgressStore(url: url)
        let (p, warnings) = store.load()
        #expect(p == LearnerProgress())
        #expect(warnings.first?.message.contains("newer decay-tutor") == true)
        var q = LearnerProgress()
        q.finish(lesson: "y", step: 1)
        #expect(throws: ProgressStore.SaveError.self) { try store.save(q) }
        #expect(try String(contentsOf: url, encoding: .utf8) == content)
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path).filter { $0.contains("corrupt") }.isEmpty)
    }

    @Test func aReadOnlyStoreNeverMovesACorruptFile() throws {
        let dir = try folder()
        let url = dir.appendingPathComponent("progress.json")
        try Data("garbage".utf8).write(to: url)
        let (_, warnings) = ProgressStore(url: url, readOnly: true).load()
        #expect(warnings.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["progress.json"])
    }

    @Test func movingACorruptFileAsideNamesTheNewFile() throws {
        let dir = try folder()
        let url = dir.appendingPathComponent("progress.json")
        try Data("garbage".utf8).write(to: url)
        let (_, warnings) = ProgressStore(url: url).load()
        let aside = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.contains("corrupt") })
        #expect(warnings.first?.message.contains(aside) == true)
    }

    @Test func aResetWhileATutorIsOpenIsNotUndoneByItsNextSave() throws {
        let url = try folder().appendingPathComponent("progress.json")
        let tutor = ProgressStore(url: url)
        var p = tutor.load().progress
        p.finish(lesson: "a", step: 1)
        p = try tutor.save(p).progress
        // Meanwhile, another process resets.
        _ = try ProgressStore(url: url).reset()
        p.finish(lesson: "a", step: 2)
        let (saved, warnings) = try tutor.save(p)
        #expect(saved.lessons["a"] == nil)
        #expect(warnings.contains { $0.message.contains("reset") })
        #expect(ProgressStore(url: url).load().progress.lessons.isEmpty)
        // After that, saving works as before.
        var next = saved
        next.finish(lesson: "a", step: 3)
        #expect(try tutor.save(next).progress.isFinished(lesson: "a", step: 3))
    }

    @Test func aHugeResetCountCannotOverflowAReset() throws {
        let url = try folder().appendingPathComponent("progress.json")
        try Data("{\"format\":\"decay-tutor progress\",\"version\":1,\"lessons\":{},\"resets\":9223372036854775807}".utf8).write(to: url)
        _ = try ProgressStore(url: url).reset()
        #expect(ProgressStore(url: url).load().progress.resets == 1)
    }

    @Test func resetNeverRemovesAFolder() throws {
        let dir = try folder()
        let url = dir.appendingPathComponent("progress.json")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: url.appendingPathComponent("notes"))
        #expect(throws: ProgressStore.SaveError.self) { _ = try ProgressStore(url: url).reset() }
        #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("notes").path))
    }

    @Test func noHomeMeansNoLocation() {
        for env in [["HOME": ""], ["HOME": "relative"], ["HOME": "", "XDG_STATE_HOME": "rel"]] {
            guard case let .failure(problem) = ProgressStore.location(environment: env) else {
                Issue.record("\(env) gave a location")
                continue
            }
            #expect(problem.message.contains("XDG_STATE_HOME"))
        }
        #expect(ProgressStore(environment: ["HOME": ""]) == nil)
    }

    @Test func anOversizedFileIsNotRead() throws {
        let dir = try folder()
        let url = dir.appendingPathComponent("progress.json")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(ProgressStore.maximumFileSize + 1))
        try handle.close()
        let (p, warnings) = ProgressStore(url: url, readOnly: true).load()
        #expect(p == LearnerProgress())
        #expect(warnings.first?.message.contains("larger") == true)
    }
}
