import Testing
import Foundation
@testable import TerminalUI
#if canImport(Glibc)
import Glibc
#endif

/// How the signal handlers end a process, each in a forked child with its
/// standard output on a pipe: the emergency restore sequence must be
/// written before the process dies, and it must die by the signal itself
/// (so its parent sees 128+N). No terminal is needed: the handlers restore
/// the saved termios only where there was one.
@Suite(.serialized) struct SignalEndingTests {
    static let marker = "<restored>"

    /// How a child that installs the handlers and then runs `body` ended:
    /// the signal it died by (0 if it exited) and what it wrote.
    static func ending(_ body: @escaping () -> Void) -> (signal: Int32, output: String)? {
        // Every lazy global the child touches is made here: one another
        // thread was making at the fork would never finish in the child.
        _ = (SignalRelay.relayed, SignalRelay.fatal, SignalRelay.state, SignalRelay.restoreBytes,
             SignalRelay.previousActions, marker)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        let pid = fork()
        guard pid >= 0 else { return nil }
        if pid == 0 {
            close(fds[0])
            dup2(fds[1], STDOUT_FILENO)
            var noCore = rlimit(rlim_cur: 0, rlim_max: 0)   // SIGQUIT, SIGABRT … would dump one
            _ = setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &noCore)
            guard (try? SignalRelay.install()) != nil else { _exit(3) }
            SignalRelay.setEmergencyRestoreSequence(Array(marker.utf8))
            body()
            _exit(0)
        }
        close(fds[1])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, 256) }
            if n <= 0 { break }
            output += buffer[0..<n]
        }
        close(fds[0])
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        let signal = status & 0x7f   // WTERMSIG; 0 when it exited
        return (signal, String(decoding: output, as: UTF8.self))
    }

    #if os(Linux)
    static let realTime = Array(__libc_current_sigrtmin()...__libc_current_sigrtmax())
    #else
    static let realTime: [Int32] = []
    #endif

    /// SIGRTMIN…SIGRTMAX: each restores, then ends the process by itself.
    @Test func everyRealTimeSignalRestoresAndEndsTheProcessByItself() throws {
        #expect(!Self.realTime.isEmpty || !FileManager.default.fileExists(atPath: "/proc/self"))
        for signal in Self.realTime {
            let end = try #require(Self.ending { _ = raise(signal) }, "cannot fork")
            #expect(end.signal == signal, "signal \(signal) ended it by \(end.signal)")
            #expect(end.output == Self.marker, "signal \(signal) wrote \(end.output.debugDescription)")
        }
    }

    /// The other catchable signals whose default is to end the process.
    @Test(arguments: [SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGXCPU, SIGVTALRM, SIGPROF, SIGTRAP, SIGABRT])
    func aFatalSignalRestoresAndEndsTheProcessByItself(signal: Int32) throws {
        let end = try #require(Self.ending { _ = raise(signal) }, "cannot fork")
        #expect(end.signal == signal)
        #expect(end.output == Self.marker)
    }

    /// Outside work that cannot stop, a quit request is only relayed to the
    /// event loop (which saves progress, then restores and re-raises it).
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func aQuitRequestBetweenFramesIsRelayedToTheLoop(signal: Int32) throws {
        let end = try #require(Self.ending {
            _ = raise(signal)
            let relayed = SignalRelay.drain()
            _exit(relayed == [signal] && SignalRelay.quitSignal == signal ? 0 : 1)
        }, "cannot fork")
        #expect(end.signal == 0 && end.output.isEmpty, "ended by \(end.signal), wrote \(end.output.debugDescription)")
    }

    /// During training (`quitAtOnce`), the same request restores and ends
    /// the process from the handler: one training step of a large lesson
    /// can take seconds, and the user asked to leave now.
    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func aQuitRequestDuringTrainingRestoresAndEndsAtOnce(signal: Int32) throws {
        let end = try #require(Self.ending {
            SignalRelay.quitAtOnce {
                _ = raise(signal)
                _exit(1)   // still alive after the signal: not at once
            }
        }, "cannot fork")
        #expect(end.signal == signal)
        #expect(end.output == Self.marker)
    }

    /// A request that came in just before the work began ends the process
    /// as the work begins, not after it.
    @Test func aQuitRequestPendingWhenTrainingBeginsEndsTheProcessThen() throws {
        let end = try #require(Self.ending {
            _ = raise(SIGTERM)
            SignalRelay.quitAtOnce { _exit(1) }
        }, "cannot fork")
        #expect(end.signal == SIGTERM)
        #expect(end.output == Self.marker)
    }
}
