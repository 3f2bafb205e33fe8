import DecayLessons
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exit statuses, from sysexits(3) where one fits. The README's
/// troubleshooting section lists them; keep the two in step.
enum ExitStatus {
    static let success: Int32 = 0
    /// The tutor cannot use this terminal (not a terminal, TERM unset or unknown).
    static let noTerminal: Int32 = 2
    /// `run` or `export` finished and wrote everything, but a run diverged:
    /// its history (or export) ends where it did, and stderr says which.
    static let diverged: Int32 = 3
    /// EX_USAGE: a bad command line (unknown option, value out of range, unknown lesson).
    static let usage: Int32 = 64
    /// EX_DATAERR: a lesson file has errors, or an experiment is over the resource budget.
    static let dataError: Int32 = 65
    /// EX_NOINPUT: a file given to `inspect` cannot be read (`InspectError.Kind.noInput`).
    static let noInput: Int32 = 66
    /// EX_CANTCREAT: an export target exists, is a link, or cannot be created.
    static let cannotCreate: Int32 = 73
    /// EX_IOERR: output could not be written (a full disk, a closed stdout), or a file could not be removed.
    static let ioError: Int32 = 74
    /// EX_NOPERM: progress exists but this user cannot read or replace it.
    static let noPermission: Int32 = 77

    /// Every status above; the README's table lists exactly these, and
    /// 128+N for a death by signal N (141 for a closed pipe).
    static let all: [Int32] = [success, noTerminal, diverged, usage, dataError, noInput, cannotCreate, ioError, noPermission]
}

/// A write to stdout that failed (not a closed pipe: that ends the process).
struct OutputFailure: Error, CustomStringConvertible {
    var reason: Int32
    var description: String {
        let text = reason == ENOSPC ? "no space left on the device"
            : reason == EBADF ? "standard output is closed" : String(cString: strerror(reason))
        return "cannot write the output: \(text)"
    }
}

/// Standard output, checked: every byte written or a thrown `OutputFailure`.
/// Nothing here is buffered, so there is no flush at exit that could fail
/// unseen. A reader that has gone away (EPIPE, as with `| head -1` when
/// SIGPIPE is ignored) ends the process quietly by SIGPIPE, as the shell
/// expects of a program writing into a closed pipe.
enum StandardOutput {
    static func write(_ text: String) throws(OutputFailure) {
        guard let reason = CommandIO.current.writeOutput(text) else { return }
        if reason == EPIPE { dieByBrokenPipe() }
        throw OutputFailure(reason: reason)
    }

    static func line(_ text: String) throws(OutputFailure) { try write(text + "\n") }

    static func dieByBrokenPipe() -> Never {
        _ = signal(SIGPIPE, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGPIPE)
        _ = pthread_sigmask(SIG_UNBLOCK, &set, nil)
        _ = raise(SIGPIPE)
        exit(128 + SIGPIPE)
    }
}

/// Standard error, for messages: control characters from arguments, file
/// names or file contents are escaped, so nothing printed can drive the
/// terminal. A failure to write here has nowhere left to be reported.
enum ErrorOutput {
    static func line(_ message: String) {
        let body = message.hasSuffix("\n") ? String(message.dropLast()) : message
        let safe = body.split(separator: "\n", omittingEmptySubsequences: false)
            .map { TerminalText.escaped(String($0)) }.joined(separator: "\n")
        CommandIO.current.writeError(safe + "\n")
    }
}

/// Ends a command: the message goes to stderr (prefixed) and the process
/// exits with `status`.
struct CommandFailure: Error {
    var message: String
    var status: Int32
}

/// Writes every byte of `text` to `fd`, retrying short writes and EINTR.
/// - Returns: nil, or the errno of the write that failed.
func writeAll(_ fd: Int32, _ text: String) -> Int32? {
    var bytes = Array(text.utf8)
    // Nothing to write still asks whether the descriptor takes writes: a
    // command that works for minutes first checks its output is open.
    if bytes.isEmpty { return write(fd, "", 0) < 0 ? errno : nil }
    return bytes.withUnsafeMutableBytes { raw -> Int32? in
        var offset = 0
        while offset < raw.count {
            let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            offset += n
        }
        return nil
    }
}

/// How text for a person is laid out: the width to wrap to and whether
/// the locale can show Unicode (inspect and cheatsheet).
enum TextOutput {
    /// UTF-8 when the locale's variables say so (LC_ALL, then LC_CTYPE, then LANG).
    static func localeIsUTF8() -> Bool {
        let env = CommandIO.current.environment
        let value = [env["LC_ALL"], env["LC_CTYPE"], env["LANG"]].compactMap { $0 }.first { !$0.isEmpty } ?? ""
        let lower = value.lowercased()
        return lower.contains("utf-8") || lower.contains("utf8")
    }

    /// The terminal's width when stdout is one (else $COLUMNS, else 80), capped for readability.
    static func width() -> Int {
        let io = CommandIO.current
        if let columns = io.terminalColumns { return min(columns, 120) }
        if let c = io.environment["COLUMNS"].flatMap(Int.init), c > 0 { return min(c, 120) }
        return 80
    }
}
