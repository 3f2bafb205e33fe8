import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Walks the README's exit-status table: every status it lists is produced
/// by each cause listed here, whichever command meets the cause and whether
/// or not there is a terminal, so one cause has one status everywhere.
/// 128+N (death by a signal) cannot happen in-process: the end-to-end
/// signal tests (`SignalRestoreTests`, `ReliabilityTests`) check it.
@Suite struct ExitStatusCauseTests {
    struct Cause: CustomStringConvertible, Sendable {
        var description: String
        var arguments: [String]
        var environment: [String: String?] = [:]
        var outputError: Int32? = nil
        var terminal = false
    }

    /// A folder with one good lesson and one broken file beside it.
    static let brokenFolder: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("exit-causes-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("01-overfitting.md").path,
                                           contents: FileManager.default.contents(atPath: CommandRun.lessons + "/01-overfitting.md"))
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("02-broken.md").path,
                                           contents: Data("---\nid: broken\n---\n\nno steps\n".utf8))
        return dir.path
    }()

    /// A state folder whose progress file is one this user must not replace
    /// (from a newer decay-tutor).
    static let newerProgressState: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("exit-causes-\(UUID().uuidString)")
        let folder = dir.appendingPathComponent("decay-tutor")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: folder.appendingPathComponent("progress.json").path,
                                           contents: Data(#"{"format":"decay-tutor progress","version":9,"lessons":{}}"#.utf8))
        return dir.path
    }()

    /// A folder with one lesson whose only run diverges at once (SGD at
    /// lr 10 with λ = 10 on noisy targets).
    static let divergingFolder: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("exit-causes-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let lesson = "---\nid: runaway\ntitle: Runaway\n---\n\n## Step\n\nText.\n\n```experiment\ndata = linreg\nnoise = 10\n"
            + "model = linear\noptimizer = sgd\nlr = 10\nlambda = 10\nsteps = 50\n```\n"
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("01-runaway.md").path, contents: Data(lesson.utf8))
        return dir.path
    }()

    static let existingExport: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("exit-causes-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir.appendingPathComponent("experiment.json").path, contents: Data("{}".utf8))
        return dir.path
    }()

    static let causes: [Int32: [Cause]] = [
        0: [Cause(description: "a lesson file that checks", arguments: ["check", CommandRun.lessons + "/01-overfitting.md"]),
            Cause(description: "help for a command", arguments: ["help", "run"]),
            Cause(description: "run of a good lesson beside a broken file",
                  arguments: ["run", "overfitting:1", "--steps", "2", "--lessons", brokenFolder])],
        3: [Cause(description: "run of a step whose run diverges", arguments: ["run", "runaway:1", "--lessons", divergingFolder]),
            Cause(description: "export of a step whose run diverges",
                  arguments: ["export", "runaway:1", "--lessons", divergingFolder,
                              "--out", FileManager.default.temporaryDirectory.appendingPathComponent("exit-causes-\(UUID().uuidString)").path])],
        2: [Cause(description: "the tutor without a terminal", arguments: []),
            Cause(description: "the tutor with TERM unset", arguments: [], environment: ["TERM": nil], terminal: true)],
        64: [Cause(description: "an unknown option", arguments: ["list", "--bogus"]),
             Cause(description: "an unknown command, no terminal", arguments: ["bogus"]),
             Cause(description: "an unknown command, a terminal", arguments: ["bogus"], terminal: true),
             Cause(description: "help for an unknown command", arguments: ["help", "bogus"]),
             Cause(description: "a number out of range", arguments: ["run", "overfitting:2", "--lambda", "1e5"]),
             Cause(description: "an unknown lesson", arguments: ["run", "nosuch:1"]),
             Cause(description: "inspect --model ''", arguments: ["inspect", "--model", ""]),
             Cause(description: "an option no run follows", arguments: ["run", "overfitting:1", "--lambda", "3"]),
             Cause(description: "HOME empty, XDG_STATE_HOME unset", arguments: ["reset-progress", "--yes"],
                   environment: ["HOME": "", "XDG_STATE_HOME": nil]),
             Cause(description: "HOME relative, XDG_STATE_HOME unset", arguments: ["reset-progress", "--yes"],
                   environment: ["HOME": "relative/home", "XDG_STATE_HOME": nil])],
        65: [Cause(description: "check of a folder with a broken file", arguments: ["check", "--lessons", brokenFolder]),
             Cause(description: "list of a folder with a broken file", arguments: ["list", "--lessons", brokenFolder]),
             Cause(description: "run of a lesson the broken file may hold", arguments: ["run", "broken:1", "--lessons", brokenFolder])],
        66: [Cause(description: "list --lessons of no folder", arguments: ["list", "--lessons", "/nonexistent"]),
             Cause(description: "check --lessons of no folder", arguments: ["check", "--lessons", "/nonexistent"]),
             Cause(description: "run --lessons of no folder", arguments: ["run", "overfitting:1", "--lessons", "/nonexistent"]),
             Cause(description: "the tutor --lessons of no folder", arguments: ["--lessons", "/nonexistent"]),
             Cause(description: "the tutor --lessons of no folder, a terminal", arguments: ["--lessons", "/nonexistent"], terminal: true),
             Cause(description: "DECAY_TUTOR_LESSONS of no folder", arguments: ["list"], environment: ["DECAY_TUTOR_LESSONS": "/nonexistent"]),
             Cause(description: "--lessons of a file", arguments: ["list", "--lessons", CommandRun.lessons + "/01-overfitting.md"]),
             Cause(description: "check of no path", arguments: ["check", "/nonexistent"]),
             Cause(description: "inspect of no model", arguments: ["inspect", "--model", "/nonexistent/model.safetensors"]),
             Cause(description: "inspect of a link loop", arguments: ["inspect", "--model", loop])],
        73: [Cause(description: "an export over an existing file", arguments: ["export", "overfitting:1", "--steps", "1", "--out", existingExport])],
        74: [Cause(description: "a closed standard output", arguments: ["list"], outputError: EBADF),
             Cause(description: "bench with a closed standard output", arguments: ["bench", "--quick", "--only", "nosuch"], outputError: EBADF),
             Cause(description: "a full disk", arguments: ["run", "overfitting:1", "--steps", "2"], outputError: ENOSPC)],
        77: [Cause(description: "reset of progress from a newer decay-tutor", arguments: ["reset-progress", "--yes"],
                   environment: ["XDG_STATE_HOME": newerProgressState])],
    ]

    /// A symbolic link to itself.
    static let loop: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("exit-causes-loop-\(UUID().uuidString)").path
        try? FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: path)
        return path
    }()

    /// What is wrong is said as it is: a loop is not "no such file", an
    /// empty --model names the option.
    @Test(arguments: [(["inspect", "--model", loop], "loop"), (["list", "--lessons", loop], "loop"), (["check", loop], "loop"),
                      (["inspect", "--model", ""], "--model")])
    func theReasonIsNamed(arguments: [String], reason: String) throws {
        let r = try CommandRun(arguments)
        #expect(r.stderr.contains(reason) && !r.stderr.contains("no such file"), "\(r.stderr)")
    }

    @Test func everyStatusInTheReadmeHasItsCausesAndNoOther() throws {
        let listed = try ExitStatusTableTests.readmeStatuses()
        #expect(Set(listed.compactMap { Int32($0) }) == Set(Self.causes.keys), "README lists \(listed)")
        #expect(listed.contains("128+N"))
    }

    static var allCauses: [(Int32, Cause)] {
        Self.causes.sorted { $0.key < $1.key }.flatMap { status, causes in causes.map { (status, $0) } }
    }

    @Test(arguments: allCauses)
    func eachCauseExitsWithItsStatus(status: Int32, cause: Cause) throws {
        let r = try CommandRun(cause.arguments, environment: cause.environment, outputError: cause.outputError, terminal: cause.terminal)
        #expect(r.status == status, "\(cause): \(r.status), \(r.stderr)")
        if status != 0 && status != 74 {
            #expect(!r.stderr.isEmpty, "\(cause) said nothing")
        }
        #expect(!r.stderr.contains("Error Domain="), "\(cause): \(r.stderr)")
    }
}
