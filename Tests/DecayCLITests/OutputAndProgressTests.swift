import Foundation
import Testing

/// The commands when standard output cannot be written (a full disk, a
/// closed stdout) and with hostile or unusable progress files, run
/// in-process. `ReliabilityTests` checks the same on the real binary's file
/// descriptors for a few commands.
@Suite struct OutputAndProgressTests {
    static let writingCommands: [[String]] = [
        ["run", "overfitting:2", "--steps", "400"], ["list"], ["list", "--json"], ["check"], ["--help"], ["--version"],
        ["cheatsheet"], ["export", "overfitting:2", "--steps", "2", "--out", "FRESH"],
    ]

    /// The command with `FRESH` replaced by a new folder's path.
    static func resolved(_ command: [String]) throws -> [String] {
        try command.map { $0 == "FRESH" ? try CommandRun.temporaryDirectory().appendingPathComponent("out").path : $0 }
    }

    @Test(arguments: writingCommands)
    func aFullDiskIsAnIOErrorNotATrap(command: [String]) throws {
        let r = try CommandRun(try Self.resolved(command), outputError: ENOSPC)
        #expect(r.status == 74, "\(command): \(r.stderr)")
        #expect(r.stderr.contains("no space left"), "\(command): \(r.stderr)")
    }

    @Test(arguments: writingCommands)
    func aClosedStandardOutputIsAnIOError(command: [String]) throws {
        let r = try CommandRun(try Self.resolved(command), outputError: EBADF)
        #expect(r.status == 74, "\(command): \(r.stderr)")
        #expect(r.stderr.contains("standard output is closed"), "\(command): \(r.stderr)")
    }

    // MARK: - Progress files

    func progressFile(_ json: String) throws -> (state: URL, file: URL) {
        let state = try CommandRun.temporaryDirectory()
        let dir = state.appendingPathComponent("decay-tutor")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("progress.json")
        try Data(json.utf8).write(to: file)
        return (state, file)
    }

    func names(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasSuffix(".lock") }.sorted()
    }

    @Test func hostileStepNumbersAreReportedAndIgnored() throws {
        let json = """
        {"format":"decay-tutor progress","version":1,
         "lessons":{"overfitting":{"finishedSteps":[\((1...5050).map(String.init).joined(separator: ","))],"answeredGoals":[-9223372036854775808]}},
         "last":{"lesson":"overfitting","step":-9223372036854775808}}
        """
        let (state, file) = try progressFile(json)
        let before = try Data(contentsOf: file)
        let r = try CommandRun(["list"], environment: ["XDG_STATE_HOME": state.path])
        #expect(r.status == 0, "\(r.stderr)")
        // Only the lesson's real steps count as done: "[overfitting, N steps, N done]".
        let line = r.stdout.split(separator: "\n").first { $0.contains("[overfitting,") } ?? ""
        let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        #expect(numbers.count == 3 && numbers[1] >= 2 && numbers[1] == numbers[2], "\(r.stdout)")
        #expect(!r.stdout.contains("5050"))
        #expect(r.stderr.contains("make no sense"))
        #expect(try Data(contentsOf: file) == before)   // list reads only
    }

    @Test(arguments: [
        "{\"format\":\"decay-tutor progress\",\"version\":2,\"lessons\":{}}",
        "not json",
        "{\"format\":\"decay-tutor progress\",\"version\":1,\"lessons\":{\"overfitting\":{\"finishedSteps\":[1e400],\"answeredGoals\":[]}}}",
    ])
    func listNeverMovesOrRewritesAProgressFile(content: String) throws {
        let (state, file) = try progressFile(content)
        let dir = file.deletingLastPathComponent()
        let r = try CommandRun(["list"], environment: ["XDG_STATE_HOME": state.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try names(dir) == ["progress.json"])
        #expect(try String(contentsOf: file, encoding: .utf8) == content)
        #expect(!r.stderr.isEmpty)   // said, not silent
        if content.contains("\"version\":2") { #expect(r.stderr.contains("newer decay-tutor")) }
    }

    @Test func resetProgressNeverDeletesAFolder() throws {
        let state = try CommandRun.temporaryDirectory()
        let folder = state.appendingPathComponent("decay-tutor/progress.json")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let r = try CommandRun(["reset-progress", "--yes"], environment: ["XDG_STATE_HOME": state.path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("not a regular file"))
        #expect(try String(contentsOf: folder.appendingPathComponent("notes.txt"), encoding: .utf8) == "precious")
    }

    @Test func resetProgressKeepsANewerTutorsFile() throws {
        let content = "{\"format\":\"decay-tutor progress\",\"version\":2,\"lessons\":{}}"
        let (state, file) = try progressFile(content)
        let r = try CommandRun(["reset-progress", "--yes"], environment: ["XDG_STATE_HOME": state.path])
        #expect(r.status == 77)
        #expect(try String(contentsOf: file, encoding: .utf8) == content)
    }
}
