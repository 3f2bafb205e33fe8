import Foundation
import Testing

/// The binary under hostile conditions: full disks, closed and broken
/// pipes, hostile or unreadable progress files, and signals.
@Suite struct ReliabilityTests {
    /// Runs `script` with /bin/bash, the binary as "$BIN", and returns its status and output.
    static func shell(_ script: String, environment extra: [String: String] = [:], directory: URL? = nil) throws -> Binary.Result {
        var env: [String: String?] = ["BIN": Binary.path]
        for (k, v) in extra { env[k] = v }
        return try Binary.spawn("/bin/bash", ["-c", script], environment: env, directory: directory)
    }

    static let writingCommands = [
        "run overfitting:2 --steps 400", "list", "list --json", "check", "--help", "--version", "cheatsheet",
        "export overfitting:2 --steps 2 --out \"$(mktemp -d)/out\"",
    ]

    @Test(arguments: writingCommands)
    func aFullDiskIsAnIOErrorNotATrap(command: String) throws {
        let state = try Binary.temporaryDirectory()
        let r = try Self.shell("\"$BIN\" \(command) > /dev/full", environment: ["XDG_STATE_HOME": state.path])
        #expect(r.status == 74, "\(command): \(r.stderr)")
        #expect(r.stderr.contains("no space left"), "\(command): \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
    }

    @Test(arguments: writingCommands)
    func aClosedStandardOutputIsAnIOError(command: String) throws {
        let state = try Binary.temporaryDirectory()
        let r = try Self.shell("\"$BIN\" \(command) >&-", environment: ["XDG_STATE_HOME": state.path])
        #expect(r.status == 74, "\(command): \(r.stderr)")
        #expect(r.stderr.contains("standard output is closed"), "\(command): \(r.stderr)")
    }

    @Test func aReaderThatGoesAwayEndsTheRunQuietlyBySIGPIPE() throws {
        // SIGPIPE ignored, as some shells and CI runners start programs.
        let r = try Self.shell("trap '' PIPE; \"$BIN\" run overfitting:2 --steps 4000 | head -1 > /dev/null; echo \"${PIPESTATUS[0]}\"")
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "141")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
    }

    // MARK: - Progress files

    func progressFile(_ json: String) throws -> (state: URL, file: URL) {
        let state = try Binary.temporaryDirectory()
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
        let r = try Binary.run(["list"], environment: ["XDG_STATE_HOME": state.path])
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
        let r = try Binary.run(["list"], environment: ["XDG_STATE_HOME": state.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try names(dir) == ["progress.json"])
        #expect(try String(contentsOf: file, encoding: .utf8) == content)
        #expect(!r.stderr.isEmpty)   // said, not silent
        if content.contains("\"version\":2") { #expect(r.stderr.contains("newer decay-tutor")) }
    }

    @Test func resetProgressNeverDeletesAFolder() throws {
        let state = try Binary.temporaryDirectory()
        let folder = state.appendingPathComponent("decay-tutor/progress.json")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let r = try Binary.run(["reset-progress", "--yes"], environment: ["XDG_STATE_HOME": state.path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("not a regular file"))
        #expect(try String(contentsOf: folder.appendingPathComponent("notes.txt"), encoding: .utf8) == "precious")
    }

    @Test func resetProgressKeepsANewerTutorsFile() throws {
        let content = "{\"format\":\"decay-tutor progress\",\"version\":2,\"lessons\":{}}"
        let (state, file) = try progressFile(content)
        let r = try Binary.run(["reset-progress", "--yes"], environment: ["XDG_STATE_HOME": state.path])
        #expect(r.status == 77)
        #expect(try String(contentsOf: file, encoding: .utf8) == content)
    }

    @Test func withNoHomeProgressIsRefusedNotWrittenUnderTheCurrentFolder() throws {
        let cwd = try Binary.temporaryDirectory()
        let r = try Self.shell("unset XDG_STATE_HOME; HOME= \"$BIN\" list > /dev/null; echo \"list=$?\"; "
                               + "HOME= \"$BIN\" reset-progress --yes; echo \"reset=$?\"", directory: cwd)
        #expect(r.stdout.contains("list=0"))
        #expect(r.stdout.contains("reset=64"))
        #expect(r.stderr.contains("nowhere to keep progress"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cwd.path).isEmpty)
    }

    /// Root reads any file, so the unreadable file is tried as `nobody`.
    static var canDropPrivileges: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
    }

    @Test(.enabled(if: canDropPrivileges))
    func anUnreadableProgressFileIsNeverReplaced() throws {
        let content = "{\"format\":\"decay-tutor progress\",\"version\":1,\"lessons\":{\"overfitting\":{\"finishedSteps\":[1,2],\"answeredGoals\":[]}}}"
        let (state, file) = try progressFile(content)
        let dir = file.deletingLastPathComponent()
        chmod(state.path, 0o755)
        chmod(dir.path, 0o777)      // nobody may lock and write here, but not read the file
        chmod(file.path, 0o000)
        let r = try Self.shell("setpriv --reuid=65534 --regid=65534 --clear-groups \"$BIN\" reset-progress --yes",
                               environment: ["XDG_STATE_HOME": state.path])
        #expect(r.status == 77, "\(r.stderr)")
        #expect(r.stderr.contains("cannot read it"))
        #expect(r.stderr.contains("chmod"))
        #expect(try String(contentsOf: file, encoding: .utf8) == content)
        let list = try Self.shell("setpriv --reuid=65534 --regid=65534 --clear-groups \"$BIN\" list",
                                  environment: ["XDG_STATE_HOME": state.path])
        #expect(list.status == 0)
        #expect(list.stderr.contains("cannot read it"))
    }
}
