/// Why the interactive tutor cannot take over this terminal, said to a
/// person, with what to do instead.
public enum TerminalStartError: Error, Equatable, CustomStringConvertible, Sendable {
    /// stdin or stdout is a pipe or a file.
    case notATerminal(stdin: Bool, stdout: Bool)
    /// `TERM` is unset or empty.
    case noTerminalType
    /// `TERM=dumb` (Emacs shell buffers, some CI): no cursor addressing.
    case dumbTerminal
    /// `TERM` names a terminal terminfo does not know.
    case unknownTerminal(String)
    /// A system call needed to set up failed.
    case systemCall(String)

    /// The exit status the executable should use: 2, "usage error", because
    /// the fix is to call the program differently.
    public var exitStatus: Int32 { 2 }

    public var description: String {
        let headless = "To train without a terminal, use `decay-tutor run LESSON[:STEP]` (see `decay-tutor --help`)."
        switch self {
        case let .notATerminal(stdin, stdout):
            let which = [stdin ? "standard input" : nil, stdout ? "standard output" : nil]
                .compactMap { $0 }.joined(separator: " and ")
            return "decay-tutor: the interactive tutor needs a terminal, but \(which) "
                + "\(stdin && stdout ? "are" : "is") not one.\n\(headless)"
        case .noTerminalType:
            return "decay-tutor: TERM is not set, so the terminal's capabilities are unknown.\n"
                + "Set it (for example `export TERM=xterm-256color`) and try again. \(headless)"
        case .dumbTerminal:
            return "decay-tutor: TERM=dumb cannot move the cursor, which the interactive tutor needs.\n"
                + "Use a full terminal emulator (or set TERM=xterm-256color if yours is one). \(headless)"
        case let .unknownTerminal(name):
            // TERM is outside text: its control characters are shown, not sent to the terminal.
            let shown = name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
            return "decay-tutor: the terminal type '\(shown)' (from TERM) is not in the terminfo database.\n"
                + "Install its terminfo entry or set TERM to a known type such as xterm-256color. \(headless)"
        case let .systemCall(name):
            return "decay-tutor: could not prepare the terminal (\(name) failed). \(headless)"
        }
    }
}
