import Foundation
import Testing

/// The binary needs no lessons folder: run from an empty folder with no
/// DECAY_TUTOR_LESSONS it uses the lessons built into it, and --lessons /
/// DECAY_TUTOR_LESSONS still choose a folder.
@Suite struct RunAnywhereTests {
    /// Runs the binary in `folder` with DECAY_TUTOR_LESSONS removed unless given.
    func run(_ arguments: [String], in folder: URL, lessons: String? = nil) throws -> Binary.Result {
        try Binary.spawn(Binary.path, arguments,
                         environment: ["DECAY_TUTOR_LESSONS": lessons,
                                       "XDG_STATE_HOME": folder.appendingPathComponent("state").path],
                         directory: folder)
    }

    @Test func listAndRunWorkFromAnEmptyFolder() throws {
        let folder = try Binary.temporaryDirectory()
        let list = try run(["list"], in: folder)
        #expect(list.status == 0, "\(list.stderr)")
        let shipped = try FileManager.default.contentsOfDirectory(atPath: Binary.lessons)
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }
        #expect(list.stdout.split(separator: "\n").count == shipped.count)
        #expect(list.stdout.contains("[overfitting, "))
        let r = try run(["run", "overfitting:1", "--steps", "10", "--format", "csv"], in: folder)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").count > 10)
        let check = try run(["check"], in: folder)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.hasPrefix("\(shipped.count) lessons"))
    }

    @Test func lessonsOptionAndEnvironmentChooseAFolder() throws {
        let folder = try Binary.temporaryDirectory()
        let mine = folder.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        let source = try String(contentsOfFile: Binary.lessons + "/01-overfitting.md", encoding: .utf8)
        try source.replacingOccurrences(of: "\nid: overfitting\n", with: "\nid: my-copy\n")
            .write(to: mine.appendingPathComponent("01-mine.md"), atomically: true, encoding: .utf8)
        let builtin = try run(["list"], in: folder)
        #expect(!builtin.stdout.contains("my-copy"))
        let option = try run(["list", "--lessons", "mine"], in: folder)
        #expect(option.status == 0, "\(option.stderr)")
        #expect(option.stdout.contains("[my-copy, ") && !option.stdout.contains("[overfitting, "))
        let env = try run(["list"], in: folder, lessons: mine.path)
        #expect(env.status == 0, "\(env.stderr)")
        #expect(env.stdout.contains("my-copy"))
        let missing = try run(["list", "--lessons", "nowhere"], in: folder)
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("--lessons nowhere: no such file or folder"), "\(missing.stderr)")
    }
}
