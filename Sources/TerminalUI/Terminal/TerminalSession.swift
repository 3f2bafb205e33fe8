@preconcurrency import CNcursesW
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Owns the terminal for the lifetime of the interactive tutor and gives it
/// back in a usable state on every way out.
///
/// The executable calls
///
///     TerminalSession.runOrExit(options: .init(ascii: ascii)) { backend in
///         let app = App(library: …, store: …, size: backend.size, …)
///         try app.loop(on: backend)
///     }
///
/// and gets:
/// - a refusal with exit status 2 and a message pointing at
///   `decay-tutor run` when stdin/stdout is not a terminal or `TERM` is
///   unset, `dumb` or unknown to terminfo — never a curses abort;
/// - restoration (`endwin`: echo, canonical mode, visible cursor, normal
///   screen) on normal return and on a thrown error;
/// - Ctrl-C, SIGTERM and SIGHUP delivered to the loop as `Key.ctrlC`, so it
///   can save progress and return; afterwards the session re-raises the
///   signal with its default action so the parent shell sees how we ended;
///   a second one while the first is pending restores and exits at once;
/// - SIGQUIT and crashes: minimal restore from the signal handler, then the
///   signal's previous action (see `SignalRelay`);
/// - Ctrl-Z, SIGTTIN, SIGTTOU: the terminal is restored, the process
///   stops, and on `fg` the loop receives `.resize` and the screen is
///   repainted in full; continued in the background (`bg`), or started
///   there, it stops again until `fg` rather than take the terminal.
public enum TerminalSession {
    /// Why the terminal cannot be used, or `nil` when it can. Pure, so that
    /// the refusal rules can be tested without a terminal.
    /// - Parameters:
    ///   - stdinIsTerminal: `isatty(0)`.
    ///   - stdoutIsTerminal: `isatty(1)`.
    ///   - term: the value of `TERM`.
    public static func problem(stdinIsTerminal: Bool, stdoutIsTerminal: Bool, term: String?) -> TerminalStartError? {
        if !stdinIsTerminal || !stdoutIsTerminal {
            return .notATerminal(stdin: !stdinIsTerminal, stdout: !stdoutIsTerminal)
        }
        guard let term, !term.allSatisfy({ $0 == " " }) else { return .noTerminalType }
        if term == "dumb" { return .dumbTerminal }
        if term == "unknown" { return .unknownTerminal(term) }
        return nil
    }

    /// The same check on this process.
    public static func problemWithThisProcess() -> TerminalStartError? {
        problem(stdinIsTerminal: isatty(STDIN_FILENO) == 1,
                stdoutIsTerminal: isatty(STDOUT_FILENO) == 1,
                term: getenv("TERM").map { String(cString: $0) })
    }

    /// Takes over the terminal, runs `body` with the backend, and restores
    /// the terminal however `body` ends.
    /// - Parameters:
    ///   - options: `--ascii` and mouse-wheel choices.
    ///   - reraiseQuitSignal: after restoring, end the process with the
    ///     signal that asked it to quit (SIGINT/SIGTERM/SIGHUP), as shells
    ///     expect of a program interrupted by one.
    ///   - body: the event loop; it must return when it reads `.ctrlC`.
    /// - Throws: `TerminalStartError` before touching the terminal, or
    ///   whatever `body` throws (after the terminal is restored).
    public static func run<T>(options: CursesBackend.Options = .init(),
                              reraiseQuitSignal: Bool = true,
                              _ body: (CursesBackend) throws -> T) throws -> T {
        if let problem = problemWithThisProcess() { throw problem }
        let term = String(cString: getenv("TERM"))
        setlocale(LC_ALL, "")
        try SignalRelay.install()
        // Started in the background (`decay-tutor &`): stop until `fg`, as
        // any program that takes the terminal does, then keep the modes the
        // shell gives the job.
        SignalRelay.waitForForeground()
        SignalRelay.saveTerminalModes()
        let backend: CursesBackend
        do {
            backend = try CursesBackend(terminalType: term, options: options)
        } catch {
            SignalRelay.uninstall()
            throw error
        }
        activeBackend = backend
        let outcome: Result<T, Error>
        do {
            outcome = .success(try body(backend))
        } catch {
            outcome = .failure(error)
        }
        // Restore first, on every path; only then may we die by a signal.
        backend.shutdown()
        activeBackend = nil
        let quitSignal = SignalRelay.quitSignal
        SignalRelay.uninstall()
        if reraiseQuitSignal, case .success = outcome, let quitSignal { exitBySignal(quitSignal) }
        return try outcome.get()
    }

    /// `run`, for the executable: a `TerminalStartError` is printed to
    /// stderr and the process exits with status 2; other errors propagate.
    public static func runOrExit<T>(options: CursesBackend.Options = .init(),
                                    _ body: (CursesBackend) throws -> T) throws -> T {
        do {
            return try run(options: options, body)
        } catch let error as TerminalStartError {
            fputs(error.description + "\n", stderr)
            exit(error.exitStatus)
        }
    }

    /// Ends the process the way `signal` would have, now that the terminal
    /// is back to normal.
    static func exitBySignal(_ signo: Int32) -> Never {
        fflush(stdout)
        SignalRelay.dieBy(signo)
        exit(128 + signo)   // only if the signal was blocked or ignored by our parent
    }

    /// Runs `body` — training, building an experiment — so that a quit
    /// request arriving meanwhile ends the process within moments (terminal
    /// restored, death by that signal) instead of after the work. Outside a
    /// session it just runs `body`.
    public static func quitAtOnce<T>(during body: () throws -> T) rethrows -> T {
        try SignalRelay.quitAtOnce(body)
    }

    /// A last safety net for code that calls `exit()` inside `body`.
    nonisolated(unsafe) private static var activeBackend: CursesBackend? {
        didSet { if activeBackend != nil { registerExitHook() } }
    }
    nonisolated(unsafe) private static var exitHookRegistered = false
    private static func registerExitHook() {
        guard !exitHookRegistered else { return }
        exitHookRegistered = true
        atexit { TerminalSession.activeBackend?.shutdown() }
    }
}
