#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns asynchronous signals into events the UI thread reads, and restores
/// the terminal when the process must die at once.
///
/// Signal handlers may only call async-signal-safe functions, and curses is
/// not one of them. So the handlers here do almost nothing: for the signals
/// the program survives (Ctrl-C, SIGTERM, SIGHUP, Ctrl-Z, SIGCONT) they write
/// the signal number into a self-pipe that `CursesBackend.readKey` drains,
/// and the event loop does the real work (save progress, `endwin`); so do
/// SIGTTIN and SIGTTOU, which stop the process as Ctrl-Z does and get the
/// same restore first. For the fatal ones — SIGQUIT, the real-time signals,
/// a second Ctrl-C while the first is still being handled, a quit request
/// while the loop is busy training (`quitAtOnce`), and crashes — they put
/// back the saved termios with `tcsetattr`,
/// write the precomputed "cursor on, leave alternate screen" bytes with
/// `write`, and re-raise the signal with its previous disposition. Every
/// piece of state a handler touches lives in memory allocated before the
/// handlers are installed.
enum SignalRelay {
    /// Signals turned into events.
    static let relayed: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT, SIGTTIN, SIGTTOU]
    /// Signals that stop the process once the terminal is given back.
    static func isStop(_ signal: Int32) -> Bool { signal == SIGTSTP || signal == SIGTTIN || signal == SIGTTOU }
    /// Signals that end the process at once, after an emergency restore:
    /// every catchable signal whose default action is to terminate (with or
    /// without a core) and that the tutor does not relay.
    static let fatal: [Int32] = {
        var signals: [Int32] = [SIGQUIT, SIGABRT, SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGSYS,
                                SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF]
        #if os(Linux)
        signals += [SIGSTKFLT, SIGPWR, SIGIO]
        signals += realTime
        #endif
        return signals
    }()

    /// SIGRTMIN…SIGRTMAX as this C library has them (glibc keeps the first
    /// two real-time numbers for its threads); their default action ends
    /// the process.
    static var realTime: [Int32] {
        #if os(Linux)
        return Array(__libc_current_sigrtmin()...min(__libc_current_sigrtmax(), Int32(maxSignal - 1)))
        #else
        return []
        #endif
    }
    /// Quit requests: the first is relayed, a second one is fatal.
    static func isQuitRequest(_ signal: Int32) -> Bool {
        signal == SIGINT || signal == SIGTERM || signal == SIGHUP
    }

    private static let maxSignal = 65
    private static let restoreCapacity = 256

    /// All handler-visible state, allocated once and never freed (the
    /// handlers may run at any time, even during teardown).
    struct State {
        var readFD: Int32 = -1
        var writeFD: Int32 = -1
        var installed: Int32 = 0
        /// The first quit signal received, 0 if none.
        var quitSignal: Int32 = 0
        /// 1 while the loop is busy with work it cannot interrupt: a quit
        /// request then restores and ends the process at once.
        var quitAtOnce: Int32 = 0
        /// How many times SIGCONT arrived (a stop that really stopped).
        var continued: Int32 = 0
        var haveTermios: Int32 = 0
        var savedTermios = termios()
        var restoreLength: Int = 0
    }
    nonisolated(unsafe) static let state: UnsafeMutablePointer<State> = {
        let p = UnsafeMutablePointer<State>.allocate(capacity: 1)
        p.initialize(to: State())
        return p
    }()
    nonisolated(unsafe) static let restoreBytes: UnsafeMutablePointer<UInt8> = .allocate(capacity: restoreCapacity)
    nonisolated(unsafe) static let previousActions: UnsafeMutablePointer<sigaction> = {
        let p = UnsafeMutablePointer<sigaction>.allocate(capacity: maxSignal)
        p.initialize(repeating: sigaction(), count: maxSignal)
        return p
    }()

    /// Installs the handlers. Call before `newterm`, so curses sees them and
    /// does not install its own for SIGINT/SIGTERM/SIGTSTP.
    static func install() throws {
        // Touch every lazily initialized global now, not inside a handler.
        _ = state; _ = restoreBytes; _ = previousActions
        guard state.pointee.installed == 0 else { return }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TerminalStartError.systemCall("pipe") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        state.pointee.readFD = fds[0]
        state.pointee.writeFD = fds[1]
        state.pointee.quitSignal = 0
        saveTerminalModes()
        for signal in relayed + fatal { setHandler(signal) }
        // A parent may have started us with these signals blocked (a signal
        // mask is inherited across exec: a tmux server launched from a
        // thread that blocks signals passes that mask to every pane). Our
        // handlers are useless while blocked, so unblock what we relay.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in relayed + fatal + [SIGWINCH] { sigaddset(&unblock, signal) }
        _ = pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        state.pointee.installed = 1
    }

    /// Keeps the terminal's modes for an emergency restore; again after
    /// waiting for the foreground, when the shell has put back the job's own.
    static func saveTerminalModes() {
        state.pointee.haveTermios = tcgetattr(STDIN_FILENO, &state.pointee.savedTermios) == 0 ? 1 : 0
    }

    /// Puts back the dispositions that were there before `install`.
    static func uninstall() {
        guard state.pointee.installed == 1 else { return }
        for signal in relayed + fatal {
            _ = sigaction(signal, previousActions + Int(signal), nil)
        }
        state.pointee.installed = 0
        close(state.pointee.readFD)
        close(state.pointee.writeFD)
        state.pointee.readFD = -1
        state.pointee.writeFD = -1
        state.pointee.restoreLength = 0
    }

    /// The bytes written to the terminal on an emergency restore (from
    /// terminfo: `sgr0`, `cnorm`, `rmcup`, mouse off). Set once curses is up.
    static func setEmergencyRestoreSequence(_ bytes: [UInt8]) {
        let n = min(bytes.count, restoreCapacity)
        state.pointee.restoreLength = 0          // never expose a half-written buffer
        for i in 0..<n { restoreBytes[i] = bytes[i] }
        state.pointee.restoreLength = n
    }

    /// Signals received since the last call, oldest first.
    static func drain() -> [Int32] {
        guard state.pointee.readFD >= 0 else { return [] }
        var received: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(state.pointee.readFD, $0.baseAddress, 64) }
            if n <= 0 { break }
            received += buffer[0..<n].map { Int32($0) }
        }
        return received
    }

    /// The quit signal received (SIGINT, SIGTERM or SIGHUP), if any.
    static var quitSignal: Int32? {
        let s = state.pointee.quitSignal
        return s == 0 ? nil : s
    }

    /// Lets a stopped-and-continued process take Ctrl-Z again (see `suspend`).
    static func setHandler(_ signal: Int32) {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = signalHandler
        #else
        action.__sigaction_u.__sa_handler = signalHandler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0   // no SA_RESTART: a blocking read returns EINTR and the loop looks at the pipe
        let previous = previousActions + Int(signal)
        if state.pointee.installed == 0 {
            _ = sigaction(signal, &action, previous)
        } else {
            _ = sigaction(signal, &action, nil)
        }
    }

    /// Async-signal-safe: `tcsetattr` and `write` only.
    static func emergencyRestore() {
        if state.pointee.haveTermios == 1 {
            _ = tcsetattr(STDIN_FILENO, TCSANOW, &state.pointee.savedTermios)
        }
        let n = state.pointee.restoreLength
        if n > 0 { _ = write(STDOUT_FILENO, restoreBytes, n) }
    }
}

/// The one handler for every signal we take. See `SignalRelay`.
private let signalHandler: @convention(c) (Int32) -> Void = { signo in
    let savedErrno = errno
    defer { errno = savedErrno }
    let state = SignalRelay.state
    if signo == SIGCONT { state.pointee.continued &+= 1 }
    if SignalRelay.isQuitRequest(signo) {
        if state.pointee.quitSignal != 0 || state.pointee.quitAtOnce != 0 {
            // Second request while the first is still being handled (the
            // loop is stuck), or the loop is deep in training: leave now
            // rather than make the user wait (progress is saved as it is made).
            SignalRelay.emergencyRestore()
            SignalRelay.dieBy(signo)
            return
        }
        state.pointee.quitSignal = signo
    }
    if signo == SIGINT || signo == SIGTERM || signo == SIGHUP || signo == SIGCONT || SignalRelay.isStop(signo) {
        var byte = UInt8(truncatingIfNeeded: signo)
        _ = write(state.pointee.writeFD, &byte, 1)
        return
    }
    // Fatal: restore, then die by this very signal. The default action is
    // put back rather than the previous handler: Swift's crash reporter, for
    // one, catches SIGSEGV and friends and, for a signal sent with `kill`,
    // prints "Program crashed" and lets the process carry on unseen. The
    // re-raised signal is pending while this handler runs (it is blocked
    // here) and is delivered, with its default action, when we return; a
    // real fault re-executes the faulting instruction and also dies by it.
    SignalRelay.emergencyRestore()
    SignalRelay.dieBy(signo)
}

extension SignalRelay {
    /// Runs `body` with a quit request (Ctrl-C, SIGTERM, SIGHUP) ending the
    /// process at once, after the emergency restore, instead of waiting for
    /// the loop to see it: for training and building experiments, which can
    /// take far longer than a frame. A request already pending ends it now.
    static func quitAtOnce<T>(_ body: () throws -> T) rethrows -> T {
        guard state.pointee.installed == 1 else { return try body() }
        state.pointee.quitAtOnce = 1
        defer { state.pointee.quitAtOnce = 0 }
        let pending = state.pointee.quitSignal
        if pending != 0 {
            emergencyRestore()
            dieBy(pending)
        }
        return try body()
    }

    /// Whether this process's group owns the terminal (true without one).
    static var isForeground: Bool {
        let owner = tcgetpgrp(STDIN_FILENO)
        return owner < 0 || owner == getpgrp()
    }

    /// Stops the process until a shell brings it to the foreground (`fg`),
    /// as the kernel stops a background job that sets the terminal's modes:
    /// with SIGTTOU caught, curses would instead retry its `tcsetattr`
    /// forever. `bg` only continues it in the background, where it stops
    /// again. Returns when a stop does not stop it (an orphaned process
    /// group, which nothing could bring back): the caller carries on.
    static func waitForForeground() {
        while !isForeground {
            let before = state.pointee.continued
            _ = signal(SIGTTOU, SIG_DFL)
            _ = raise(SIGTTOU)
            setHandler(SIGTTOU)
            if state.pointee.continued == before { return }
        }
    }

    /// Async-signal-safe: default action, unblocked, raised.
    static func dieBy(_ signo: Int32) {
        _ = signal(signo, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signo)
        _ = raise(signo)
        _ = pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
