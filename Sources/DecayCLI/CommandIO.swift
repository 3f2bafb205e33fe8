import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a command touches outside itself: standard output and error, the
/// environment, and whether standard input and output are terminals.
///
/// A process runs its command against its own (`CommandIO.process`). A test
/// runs one in-process against captured output and an environment of its
/// own (`DecayTutor.run(_:environment:)`): the value is task-local, so tests
/// running side by side each see only theirs, and nothing global changes.
struct CommandIO: Sendable {
    /// The variables a command reads (DECAY_TUTOR_LESSONS, XDG_STATE_HOME,
    /// HOME, COLUMNS, LANG/LC_*, NO_COLOR, TERM, …).
    var environment: [String: String]
    /// Writes every byte of the text to standard output; nil, or the errno
    /// of the write that failed.
    var writeOutput: @Sendable (String) -> Int32?
    /// Writes the text to standard error (a failure has nowhere to go).
    var writeError: @Sendable (String) -> Void
    var inputIsTerminal: Bool
    var outputIsTerminal: Bool
    /// The terminal's width when standard output is one.
    var terminalColumns: Int?

    @TaskLocal static var current = CommandIO.process

    /// This process's file descriptors 0–2 and environment.
    static var process: CommandIO {
        var size = winsize()
        let columns = isatty(STDOUT_FILENO) != 0 && ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0
            ? Int(size.ws_col) : nil
        return CommandIO(environment: ProcessInfo.processInfo.environment,
                         writeOutput: { writeAll(STDOUT_FILENO, $0) },
                         writeError: { _ = writeAll(STDERR_FILENO, $0) },
                         inputIsTerminal: isatty(STDIN_FILENO) != 0, outputIsTerminal: isatty(STDOUT_FILENO) != 0,
                         terminalColumns: columns)
    }
}
