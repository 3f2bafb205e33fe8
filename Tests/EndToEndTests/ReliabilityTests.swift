import Foundation
import Testing

/// The binary under hostile conditions that only a real process meets: a
/// full disk and a closed stdout on its own descriptors, a reader that goes
/// away, no home folder, a progress file it may not read.
@Suite struct ReliabilityTests {
    /// Runs `script` with /bin/bash, the binary as "$BIN", and returns its status and output.
    static func shell(_ script: String, environment extra: [String: String] = [:], directory: URL? = nil) throws -> Binary.Result {
        var env: [String: String?] = ["BIN": Binary.path]
        for (k, v) in extra { env[k] = v }
        return try Binary.spawn("/bin/bash", ["-c", script], environment: env, directory: directory)
    }

    /// The real descriptors for two commands (`OutputAndProgressTests`
    /// runs every writing command in-process).
    static let writingCommands = ["run overfitting:2 --steps 400", "list --json"]

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
