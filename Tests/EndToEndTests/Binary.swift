import Foundation
import Testing

/// The built `decay-tutor` executable and the repository it came from.
enum Binary {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let lessons = repository.appendingPathComponent("Lessons").path

    /// Beside the test bundle (whatever the scratch path), else `.build/debug`.
    static let path: String = {
        if let explicit = ProcessInfo.processInfo.environment["DECAY_TUTOR_BIN"] { return explicit }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("decay-tutor").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repository.appendingPathComponent(".build/debug/decay-tutor").path
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the binary with stdin from /dev/null and both outputs captured.
    static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
        try spawn(path, arguments, environment: extra.mapValues { Optional($0) })
    }

    /// Runs `executable` with standard input from /dev/null and the shipped
    /// lessons in DECAY_TUTOR_LESSONS, overlaid with `extra` (a nil value
    /// removes a variable), and returns its status and both outputs.
    static func spawn(_ executable: String, _ arguments: [String], environment extra: [String: String?] = [:],
                      directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["DECAY_TUTOR_LESSONS"] = lessons
        for (k, v) in extra { env[k] = v }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try process.run()
        // Read before waiting, so a large output cannot fill the pipe and stall.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("decay-tutor-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
