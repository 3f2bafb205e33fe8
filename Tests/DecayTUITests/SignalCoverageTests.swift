import Testing
import Foundation
@testable import TerminalUI

/// Every signal that would end or stop the tutor while it owns the terminal
/// has a handler that gives the terminal back first.
@Suite struct SignalCoverageTests {
    /// Signals whose default action terminates, by POSIX (and Linux's own),
    /// and the real-time ones; SIGKILL cannot be caught.
    static var terminating: [Int32] {
        var signals: [Int32] = [SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGUSR1, SIGSEGV,
                                SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGSYS]
        #if os(Linux)
        signals += [SIGSTKFLT, SIGIO, SIGPWR]
        signals += Array(__libc_current_sigrtmin()...__libc_current_sigrtmax())
        #endif
        return signals
    }

    @Test func everyTerminatingSignalIsRelayedOrRestoresBeforeDying() {
        let handled = Set(SignalRelay.relayed + SignalRelay.fatal)
        let missing = Self.terminating.filter { !handled.contains($0) }
        #expect(missing.isEmpty, "no restore for signals \(missing)")
        #if os(Linux)
        #expect(SignalRelay.fatal.contains(__libc_current_sigrtmax()))
        #endif
    }

    @Test func everyStopSignalIsRelayedSoTheTerminalIsGivenBackFirst() {
        for signal in [SIGTSTP, SIGTTIN, SIGTTOU] {
            #expect(SignalRelay.relayed.contains(signal) && SignalRelay.isStop(signal), "signal \(signal)")
        }
    }
}
