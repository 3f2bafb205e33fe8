import Foundation
@testable import DecayCLI

/// A command line run in this process exactly as the binary runs it
/// (`DecayTutor.runCommand`), against captured output and an environment of
/// the test's own, so tests run side by side and never touch the learner's
/// progress.
struct CommandRun {
    var status: Int32
    var stdout: String
    var stderr: String
    /// The size in bytes of each write to standard output, in order.
    var outputWrites: [Int]

    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let lessons = repository.appendingPathComponent("Lessons").path

    /// - Parameters:
    ///   - environment: laid over a plain one (the shipped lessons in
    ///     DECAY_TUTOR_LESSONS, a fresh XDG_STATE_HOME, HOME, a UTF-8
    ///     locale); a nil value removes a variable.
    ///   - outputError: the errno every write to standard output fails with
    ///     (ENOSPC for a full disk, EBADF for a closed stdout), or nil.
    ///   - terminal: whether standard input and output are terminals.
    init(_ arguments: [String], environment extra: [String: String?] = [:], outputError: Int32? = nil,
         terminal: Bool = false) throws {
        let home = try Self.temporaryDirectory()
        var environment = ["DECAY_TUTOR_LESSONS": Self.lessons, "XDG_STATE_HOME": home.appendingPathComponent("state").path,
                           "HOME": home.path, "LANG": "C.UTF-8", "TERM": "xterm-256color"]
        for (k, v) in extra { environment[k] = v }
        let out = Captured(), err = Captured()
        let io = CommandIO(environment: environment,
                           writeOutput: { text in
                               if let outputError { return outputError }
                               out.append(text)
                               return nil
                           },
                           writeError: { err.append($0) },
                           inputIsTerminal: terminal, outputIsTerminal: terminal, terminalColumns: nil)
        status = CommandIO.$current.withValue(io) { DecayTutor.runCommand(arguments) }
        stdout = out.text
        stderr = err.text
        outputWrites = out.sizes
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("decay-tutor-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Text written from any thread, read once the command is done.
    final class Captured: @unchecked Sendable {
        private let lock = NSLock()
        private var value = ""
        private var writes: [Int] = []
        func append(_ s: String) { lock.withLock { value += s; writes.append(s.utf8.count) } }
        var text: String { lock.withLock { value } }
        var sizes: [Int] { lock.withLock { writes } }
    }
}
