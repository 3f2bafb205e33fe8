import Testing
import Foundation
@testable import DecayLessons

/// What the tutor accepts as progress, it writes back in a form it accepts
/// again — whatever the file held — and a symbolic link stays a link to the
/// progress it names.
@Suite struct ProgressRoundTripTests {
    /// The tests' size limit: the real one's edge, reached with less work.
    static let limit = 256 << 10

    static func store(_ url: URL) -> ProgressStore {
        let s = ProgressStore(url: url)
        s.sizeLimit = limit
        return s
    }

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("progress-trip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A progress file of about `size` bytes, compact as a person (or
    /// another tool) could write it: the built-in lesson's progress and
    /// `lessons` entries made by `entry`, each id from `id`.
    static func file(size: Int, id: (Int) -> String, steps: String) -> String {
        var text = "{\"format\":\"decay-tutor progress\",\"version\":1,\"last\":{\"lesson\":\"overfitting\",\"step\":2},\"lessons\":{"
            + "\"overfitting\":{\"finishedSteps\":[1,2],\"answeredGoals\":[2]}"
        var i = 0
        while true {
            let entry = ",\"\(id(i))\":{\"finishedSteps\":\(steps),\"answeredGoals\":[]}"
            if text.utf8.count + entry.utf8.count + 2 > size { break }
            text += entry
            i += 1
        }
        return text + "}}"
    }

    /// Ids and steps as a file may hold them: plain, with characters the
    /// encoder escapes or not (`/`, quotes, non-ASCII raw and as `\u`
    /// escapes), and step lists with repeats.
    static let shapes: [(id: @Sendable (Int) -> String, steps: String)] = [
        ({ "l\($0)" }, "[1,2,3]"),
        ({ "a/b/c/\($0)/d/e/f/g" }, "[1]"),
        ({ "x\\\"\\\\\($0)" }, "[4]"),
        ({ "\\u00e9t\\u00e9-\($0)-λ" }, "[7,7,7,7,7,7]"),
    ]

    @Test(arguments: 0..<4)
    func progressNearTheSizeLimitIsWrittenBackReadableWithTheBuiltInLessonsKept(shape: Int) throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("progress.json")
        let (id, steps) = Self.shapes[shape]
        try Data(Self.file(size: Self.limit - 64, id: id, steps: steps).utf8).write(to: url)
        let store = ProgressStore(url: url)
        store.sizeLimit = Self.limit
        store.keptLessons = ["overfitting"]
        let (loaded, warnings) = store.load()
        #expect(warnings.isEmpty, "the file must be accepted: \(warnings)")
        #expect(loaded.lessons.count > 1000)
        var more = loaded
        more.finish(lesson: "overfitting", step: 3)
        more.finish(lesson: "a-new-lesson", step: 1)
        _ = try store.save(more)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        #expect(size <= Self.limit)
        let (again, later) = Self.store(url).load()
        #expect(later.isEmpty, "written back unreadable: \(later)")
        #expect(again.lessons["overfitting"]?.finishedSteps == [1, 2, 3])
        #expect(again.lessons["overfitting"]?.answeredGoals == [2])
        #expect(again.last == .init(lesson: "overfitting", step: 2))
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: dir.path)).contains { $0.contains("corrupt") })
    }

    @Test func pastTheLimitOtherFoldersLessonsGoFirstAndTheBuiltInOnesStay() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("progress.json")
        try Data(Self.file(size: Self.limit - 64, id: { "other-\($0)" }, steps: "[1,2,3,4]").utf8).write(to: url)
        let store = Self.store(url)
        store.keptLessons = ["overfitting", "big"]
        var p = store.load().progress
        for s in 1...9000 { p.finish(lesson: "big", step: s) }   // ~45 KB more than fits
        let (saved, warnings) = try store.save(p)
        #expect(warnings.contains { $0.message.contains("size limit") }, "\(warnings)")
        #expect(saved.lessons["big"]?.finishedSteps.count == 9000)
        let (again, later) = Self.store(url).load()
        #expect(later.isEmpty, "\(later)")
        #expect(again.lessons["big"]?.finishedSteps.count == 9000)
        #expect(again.lessons["overfitting"]?.finishedSteps == [1, 2])
        #expect(again.lessons.count < p.lessons.count)
    }

    @Test func aSymbolicLinkIsWrittenThroughAndStaysALink() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state"), dotfiles = dir.appendingPathComponent("dotfiles")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dotfiles, withIntermediateDirectories: true)
        let real = dotfiles.appendingPathComponent("progress.json"), link = state.appendingPathComponent("progress.json")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "../dotfiles/progress.json")
        let store = ProgressStore(url: link)
        var p = LearnerProgress()
        p.finish(lesson: "overfitting", step: 1)
        _ = try store.save(p)
        p.finish(lesson: "overfitting", step: 2)
        _ = try store.save(p)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "../dotfiles/progress.json")
        let onDisk = try JSONDecoder().decode(LearnerProgress.self, from: Data(contentsOf: real))
        #expect(onDisk.lessons["overfitting"]?.finishedSteps == [1, 2])
        #expect(ProgressStore(url: link).load().progress.lessons["overfitting"]?.finishedSteps == [1, 2])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dotfiles.path) == ["progress.json"])   // no temporary left

        // A corrupt file behind the link is set aside there; the link stays.
        try Data("not json".utf8).write(to: real)
        let (fresh, warnings) = ProgressStore(url: link).load()
        #expect(fresh == LearnerProgress() && warnings.first?.message.contains("moved it to") == true)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "../dotfiles/progress.json")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dotfiles.path).contains { $0.hasPrefix("progress.json.corrupt-") })
    }
}
