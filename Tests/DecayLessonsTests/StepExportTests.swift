import Testing
import Foundation
import DecayEngine
@testable import DecayLessons

/// The export the CLI and the tutor share: settings applied only where a run
/// follows them, both files or neither, never through a link.
@Suite struct StepExportTests {
    static let library = LessonLibrary.load(directory: lessonsDirectory)

    func step(_ reference: String) throws -> Step {
        let (lesson, number) = try Self.library.resolve(reference)
        return lesson.steps[number ?? 0]
    }

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func runs(_ url: URL) throws -> [[String: Any]] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return try #require(root["runs"] as? [[String: Any]])
    }

    @Test func theLearnersSettingsReachTheRunsThatFollowThem() throws {
        let out = try folder().appendingPathComponent("new/deeper")
        let files = try StepExport.write(step: step("overfitting:2"), settings: StepSettings(lambda: 0.25, learningRate: 0.07),
                                         steps: 3, to: out)
        #expect(files.map(\.lastPathComponent) == StepExport.fileNames)
        let optimizers = try runs(files[0]).compactMap { $0["optimizer"] as? [String: Any] }
        let decays = optimizers.compactMap { ($0["weight_decay"] as? NSNumber)?.floatValue }
        #expect(decays.contains(0.25))           // the run that follows λ
        #expect(decays.contains(0))              // the run whose λ = 0 is pinned
        #expect(optimizers.allSatisfy { ($0["lr"] as? NSNumber)?.floatValue == 0.07 })
        // No staging folder is left behind.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)
        #expect(siblings == ["deeper"])
    }

    @Test func aSettingNoRunFollowsIsRefused() throws {
        #expect(try step("overfitting:1").isFollowed(.lambda) == false)
        #expect(try step("overfitting:2").isFollowed(.lambda))
        #expect(throws: StepExport.Failure.self) {
            try StepExport.trainedExperiment(step: try step("overfitting:1"), settings: StepSettings(lambda: 3), steps: 1)
        }
    }

    @Test func outOfRangeSettingsSayTheRange() {
        let bad = StepSettings(lambda: -1, learningRate: 0, dropout: 1, seed: UInt64.max)
        let problems = bad.rangeProblems
        #expect(problems.count == 4)
        #expect(problems[0].contains("0 to 1e4"))
        #expect(StepSettings(lambda: .nan).rangeProblems.count == 1)
        #expect(StepSettings(lambda: 1e4, learningRate: 10, dropout: 0.99, seed: 1 << 53).rangeProblems.isEmpty)
    }

    @Test func theSeedChangesTheData() throws {
        let s = try step("overfitting:2")
        let a = try StepExport.trainedExperiment(step: s, settings: StepSettings(seed: 1), steps: 1)
        let b = try StepExport.trainedExperiment(step: s, settings: StepSettings(seed: 2), steps: 1)
        #expect(a.data.trainX.storage != b.data.trainX.storage)
    }

    @Test func withoutForceNothingIsTouchedAndWithForceBothAreReplaced() throws {
        let out = try folder()
        let s = try step("overfitting:2")
        try StepExport.write(step: s, settings: StepSettings(), steps: 2, to: out)
        let before = try Data(contentsOf: out.appendingPathComponent("experiment.json"))
        #expect(throws: StepExport.Failure.self) {
            try StepExport.write(step: s, settings: StepSettings(lambda: 0.5), steps: 2, to: out)
        }
        #expect(try Data(contentsOf: out.appendingPathComponent("experiment.json")) == before)
        try StepExport.write(step: s, settings: StepSettings(lambda: 0.5), steps: 2, to: out, force: true)
        #expect(try Data(contentsOf: out.appendingPathComponent("experiment.json")) != before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == StepExport.fileNames)
    }

    @Test func aFileInThePathIsSaidPlainly() throws {
        let dir = try folder()
        FileManager.default.createFile(atPath: dir.appendingPathComponent("f").path, contents: Data())
        let s = try step("overfitting:2")
        let error = #expect(throws: StepExport.Failure.self) {
            try StepExport.write(step: s, settings: StepSettings(), steps: 1, to: dir.appendingPathComponent("f/x"))
        }
        #expect(error?.kind == .cannotCreate)
        #expect(error?.message.contains("not a folder") == true)
        #expect(error?.message.contains("NSCocoaErrorDomain") == false)
    }

    @Test func aFolderWhereAFileGoesIsRefusedBeforeAnythingIsWritten() throws {
        let out = try folder()
        try FileManager.default.createDirectory(at: out.appendingPathComponent("reproduce.py"), withIntermediateDirectories: true)
        #expect(throws: StepExport.Failure.self) {
            try StepExport.write(step: try step("overfitting:2"), settings: StepSettings(), steps: 1, to: out, force: true)
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("experiment.json").path))
    }

    @Test func controlCharactersInNamesAreEscaped() {
        #expect(TerminalText.escaped("a\u{1B}[2Jb\nc\u{7F}") == "a\\e[2Jb\\nc\\u{7f}")
        #expect(TerminalText.escaped("λ café") == "λ café")
    }
}
