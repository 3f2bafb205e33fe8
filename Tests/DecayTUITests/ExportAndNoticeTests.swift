import Testing
import Foundation
import DecayEngine
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

/// The `x` export key, the notice when lr moves after a cosine schedule has
/// ended, and the course-end screen's pointer to the cheat sheet.
@Suite struct ExportAndNoticeTests {
    static func runs(inExport folder: URL) throws -> [[String: Any]] {
        let data = try Data(contentsOf: folder.appendingPathComponent("experiment.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["runs"] as? [[String: Any]])
    }

    static func weightDecay(_ run: [String: Any]) -> Double? {
        (run["optimizer"] as? [String: Any])?["weight_decay"] as? Double
    }

    /// `x` writes the open step with the learner's λ to a new folder under
    /// the export root, off the UI thread, and says where and how to run it
    /// once done; a second press never overwrites the first.
    @Test func exportKeyWritesTheStepWithTheLearnersSettings() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("decay-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let a = testApp(try demoLibrary(), width: 120, height: 40)
        a.exportRoot = root
        a.open(lesson: 0, step: 0)
        a.send(.key(.right))
        let lambda = a.state.value(.lambda)
        #expect(lambda != 0.01)
        a.send(.key(.char("x")))
        #expect(a.frame().lines().last!.contains("Exporting demo-1"))
        try #require(a.exportJob).wait()
        a.tick()
        #expect(a.exportJob == nil)
        let folder = root.appendingPathComponent("demo-1")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("reproduce.py").path))
        let runs = try Self.runs(inExport: folder)
        #expect(runs.map { $0["name"] as? String } == ["pinned", "yours"])
        #expect(Self.weightDecay(runs[0]) == 0)
        #expect(abs((Self.weightDecay(runs[1]) ?? 0) - Double(lambda)) < 1e-6 * Double(lambda))
        // The notice is longer than the status line: it is shown whole, wrapped, just above it.
        let bottom = a.frame().lines().suffix(4).joined(separator: " ")
        #expect(bottom.contains("demo-1/experiment.json") && bottom.contains("python3 demo-1/reproduce.py"), "\(bottom)")
        a.send(.key(.char("x")))
        try #require(a.exportJob).wait()
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("demo-1-2/experiment.json").path))
    }

    /// An export in progress (a step of 100 000 steps, so it cannot finish
    /// first): a second `x` says so instead of starting another; quitting
    /// cancels it within a training step, and it writes nothing.
    @Test func anExportInProgressIsSaidAndQuittingCancelsIt() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("decay-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let a = testApp(try bandLibrary(steps: 100_000), width: 120, height: 40)
        a.exportRoot = root
        a.open(lesson: 0, step: 0)
        a.send(.key(.char("x")))
        let job = try #require(a.exportJob)
        a.send(.key(.char("x")))
        #expect(a.exportJob === job)
        #expect(a.frame().lines().last!.contains("Still exporting"))
        a.send(.key(.char("q")))
        #expect(job.cancellation.isCancelled && a.exportJob == nil)
        job.wait()
        #expect(job.result == nil)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("band-1/experiment.json").path))
    }

    /// A banded run exports each seed as a run of its own.
    @Test func exportKeyWritesEverySeed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("decay-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let a = testApp(try bandLibrary(), width: 120, height: 40)
        a.exportRoot = root
        a.open(lesson: 0, step: 0)
        a.send(.key(.char("x")))
        try #require(a.exportJob).wait()
        let names = try Self.runs(inExport: root.appendingPathComponent("band-1")).map { $0["name"] as? String ?? "" }
        #expect(names == (1...5).map { "yours, seed \($0)" } + ["alone"])
    }

    static let cosineLesson = """
        ---
        id: cosine
        title: Cosine
        ---

        ## Annealed

        Text.

        ```experiment
        data = linreg
        train = 12
        val = 20
        inputs = 8
        model = linear
        optimizer = sgd
        lr = 0.01
        schedule = cosine
        steps = 20
        controls = [lr]
        ```
        """

    /// Moving lr once the cosine schedule has run out says why nothing
    /// changes; before the end, no such notice.
    @Test func movingLrAfterTheCosineEndedSaysSo() throws {
        let library = LessonLibrary(lessons: [try LessonParser.parse(Self.cosineLesson, path: "01-cosine.md").get()])
        let early = testApp(library, width: 120, height: 40)
        early.open(lesson: 0, step: 0)
        early.tick()
        early.send(.key(.right))
        #expect(!early.frame().lines().joined().contains("cosine schedule ended"))

        let a = testApp(library, width: 120, height: 40)
        a.open(lesson: 0, step: 0)
        a.send(.key(.char("f")))
        for _ in 0..<20 where a.session!.experiment.step < 20 { a.tick() }
        #expect(a.session!.experiment.step == 20)
        a.send(.key(.right))
        // Whole, at every width: the sentence and what to press.
        func message(_ app: App) -> String {
            app.frame().lines().suffix(5).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        }
        let wide = message(a)
        #expect(wide.contains("The cosine schedule ended at step 20") && wide.contains("Press r to train afresh with the new lr."), "\(wide)")
        let narrow = testApp(library, width: 80, height: 24)
        narrow.open(lesson: 0, step: 0)
        narrow.send(.key(.char("f")))
        for _ in 0..<20 where narrow.session!.experiment.step < 20 { narrow.tick() }
        narrow.send(.key(.right))
        let small = message(narrow)
        #expect(small.contains("cosine schedule ended") && small.contains("Press r to train afresh with the new lr."), "\(small)")
    }

    /// The course's last screen points to `decay-tutor cheatsheet`, at both sizes.
    @Test(arguments: [(120, 40), (80, 24)])
    func theCourseEndPointsToTheCheatSheet(size: (Int, Int)) throws {
        let a = testApp(try demoLibrary(), width: size.0, height: size.1)
        a.open(lesson: 1, step: 0)           // the last step of the last lesson
        a.send(.key(.char("n")))             // its summary
        #expect(a.state.screen == .summary)
        a.send(.key(.char("n")))
        #expect(a.state.screen == .courseEnd)
        let text = a.frame().lines().map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(text.contains("decay-tutor cheatsheet"), "\(text)")
        #expect(text.contains("the end of the course"))
    }
}
