import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the `decay-tutor` binary built beside these tests as a child
/// process and reports the most memory it ever held resident (`wait4`'s
/// `ru_maxrss`), with its status and standard error. Output goes to
/// /dev/null: what is measured is the work, not the printing of it.
enum ChildPeakMemory {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `DECAY_TUTOR_BIN`, else the executable beside the test bundle.
    static let binary: String? = {
        if let explicit = ProcessInfo.processInfo.environment["DECAY_TUTOR_BIN"] { return explicit }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("decay-tutor").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    struct Result {
        var status: Int32
        var peakBytes: Int
        var stderr: String
    }

    static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
        let errPath = FileManager.default.temporaryDirectory.appendingPathComponent("peak-\(UUID().uuidString)").path
        defer { unlink(errPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var env = ProcessInfo.processInfo.environment
        env["DECAY_TUTOR_LESSONS"] = nil
        for (k, v) in extra { env[k] = v }
        guard let binary else { throw Failure(description: "no decay-tutor binary beside the tests (set DECAY_TUTOR_BIN)") }
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard rc == 0 else { throw Failure(description: "cannot start \(binary): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Result(status: exit, peakBytes: usage.ru_maxrss * 1024,   // kilobytes on Linux
                      stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
