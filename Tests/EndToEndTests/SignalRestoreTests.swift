import Foundation
import Testing

/// The tutor in a tmux pane of its own server, killed by a signal: the
/// terminal must come back whole (termios, main screen, cursor, keypad,
/// application cursor keys, mouse) and the process must die by that signal.
struct SignalPane {
    let socket = "reliability-\(UUID().uuidString.prefix(8))"
    var session: String { socket }
    let state: URL

    /// - Parameter jobControl: run the tutor as a job of a shell with job
    ///   control (`set -m`), in a process group of its own, as an
    ///   interactive shell does — only there do SIGTTIN, SIGTTOU and SIGTSTP
    ///   stop a process (the kernel drops them for an orphaned group). When
    ///   it stops, the shell prints `STOPPED=` and waits for a line, then
    ///   brings it back with `fg`.
    init(arguments: String = "overfitting:2", prefix: String = "", state: URL? = nil, jobControl: Bool = false) throws {
        self.state = try state ?? Binary.temporaryDirectory()
        let env = "XDG_STATE_HOME='\(self.state.path)' DECAY_TUTOR_LESSONS='\(Binary.lessons)' TERM=xterm-256color LANG=C.UTF-8"
        // No core files; the shell survives the signals to report how the tutor ended.
        let run = "\(prefix) env \(env) '\(Binary.path)' \(arguments) 2>/tmp/\(socket).err"
        let report = "echo EXIT=$s; stty -a | tr '\\n' ' ' | sed 's/^/STTY /'; echo; exec sleep 600"
        let command: String
        if jobControl {
            let script = "ulimit -c 0; trap true INT TERM HUP QUIT; set -m; \(run); s=$?\n"
                + "while [ $s -gt 128 ] && jobs %1 >/dev/null 2>&1; do echo STOPPED=$s; read -r _; fg %1 >/dev/null; s=$?; done\n"
                + report + "\n"
            try Data(script.utf8).write(to: URL(fileURLWithPath: "/tmp/\(socket).sh"))
            command = "exec bash /tmp/\(socket).sh"
        } else {
            command = "ulimit -c 0; trap true INT TERM HUP QUIT; \(run); s=$?; " + report
        }
        try tmux(["new-session", "-d", "-s", session, "-x", "100", "-y", "30", command])
    }

    @discardableResult
    func tmux(_ args: [String]) throws -> String { try Spawn.output(["tmux", "-L", socket] + args) }

    func screen() throws -> String { try tmux(["capture-pane", "-J", "-p", "-t", session]) }

    /// alternate_on cursor_flag keypad_flag keypad_cursor_flag mouse_any_flag
    func modes() throws -> String {
        try tmux(["display", "-p", "-t", session,
                  "#{alternate_on} #{cursor_flag} #{keypad_flag} #{keypad_cursor_flag} #{mouse_any_flag}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The tutor's pid: the pane shell's child (through `env`, which
    /// execs it), once it is drawing.
    func tutorPID(timeout: Double = 30) throws -> pid_t? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let shell = try tmux(["display", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
            let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
            if let pid = children.split(separator: " ").first.flatMap({ pid_t($0) }),
               try modes().hasPrefix("1 "), !(try screen().trimmingCharacters(in: .whitespacesAndNewlines).isEmpty) {
                return pid
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return nil
    }

    @discardableResult
    func waitFor(_ seconds: Double = 30, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if predicate(last) { return last }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return last
    }

    var standardError: String { (try? String(contentsOfFile: "/tmp/\(socket).err", encoding: .utf8)) ?? "" }

    /// The pane's shell traps the quit signals and then sleeps, so it is
    /// killed by pid (with its group) before the server goes.
    func close() {
        if let text = try? tmux(["display", "-p", "-t", session, "#{pane_pid}"]),
           let shell = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), shell > 1 {
            kill(-shell, SIGKILL)
            kill(shell, SIGKILL)
        }
        _ = try? tmux(["kill-server"])
        unlink("/tmp/\(socket).err")
        unlink("/tmp/\(socket).sh")
        unlink("/tmp/tmux-\(getuid())/\(socket)")
    }
}

@Suite(.enabled(if: Tmux.available && FileManager.default.fileExists(atPath: "/proc/self/task")))
struct SignalRestoreTests {
    static let fatalSignals: [Int32] = [
        SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGPIPE,
        SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP,
    ]

    func expectRestored(_ pane: SignalPane, exit: Int32, _ label: String) throws {
        let screen = try pane.waitFor { $0.contains("STTY") }
        #expect(screen.contains("EXIT=\(exit)"), "\(label): \(screen)")
        let stty = screen.split(separator: "\n").first { $0.hasPrefix("STTY") }.map(String.init) ?? ""
        for flag in ["icanon", "echo", "icrnl", "onlcr", "isig"] {
            #expect(stty.contains(" \(flag) ") && !stty.contains("-\(flag) "), "\(label): \(flag) in \(stty)")
        }
        // Main screen, cursor visible, keypad and application cursor keys off, mouse off.
        #expect(try pane.modes() == "0 1 0 0 0", "\(label)")
    }

    @Test(arguments: fatalSignals)
    func aFatalSignalRestoresTheTerminalAndEndsByThatSignal(signal: Int32) throws {
        let pane = try SignalPane()
        defer { pane.close() }
        let pid = try #require(try pane.tutorPID(), "the tutor did not start")
        kill(pid, signal)
        try expectRestored(pane, exit: 128 + signal, "signal \(signal)")
        #expect(!pane.standardError.contains("Program crashed"))
    }

    #if os(Linux)
    static let realTimeSignals = [__libc_current_sigrtmin(), __libc_current_sigrtmax()]
    #else
    static let realTimeSignals: [Int32] = []
    #endif

    /// SIGRTMIN…SIGRTMAX end the process by default: they restore first.
    /// Each one is sent in-process (`SignalEndingTests`); here the two ends
    /// of the range, on a real terminal. The menu keeps each start short.
    @Test(arguments: realTimeSignals)
    func aRealTimeSignalRestoresTheTerminalAndEndsByThatSignal(signal: Int32) throws {
        let pane = try SignalPane(arguments: "")
        defer { pane.close() }
        let pid = try #require(try pane.tutorPID(), "the tutor did not start")
        kill(pid, signal)
        try expectRestored(pane, exit: 128 + signal, "signal \(signal)")
    }

    /// SIGTTIN and SIGTTOU stop the tutor as Ctrl-Z does: the terminal is
    /// given back before it stops, and taken again (and redrawn) on `fg`.
    @Test(arguments: [SIGTTIN, SIGTTOU])
    func aTerminalStopSignalGivesTheTerminalBackAndRedrawsOnContinue(signal: Int32) throws {
        let pane = try SignalPane(jobControl: true)
        defer { pane.close() }
        let pid = try #require(try pane.tutorPID(), "the tutor did not start")
        kill(pid, signal)
        let atPrompt = try pane.waitFor(20) { $0.contains("STOPPED=") }
        #expect(atPrompt.contains("STOPPED=\(128 + signal)"), "signal \(signal) did not stop the tutor: \(atPrompt)")
        // At the shell while stopped: main screen, cursor on, keypad and mouse off.
        #expect(try pane.modes() == "0 1 0 0 0", "signal \(signal): stopped with the terminal still the tutor's")
        try pane.tmux(["send-keys", "-t", pane.session, "clear", "Enter"])   // the shell's `read`, then `fg`
        let back = try pane.waitFor { $0.contains("Overfitting") }
        #expect(back.contains("Overfitting"), "not redrawn after continuing: \(back)")
        #expect(try pane.modes().hasPrefix("1 "))
        try pane.tmux(["send-keys", "-t", pane.session, "q"])
        try expectRestored(pane, exit: 0, "signal \(signal), then q")
    }

    /// A step whose every training step takes seconds in this (debug)
    /// build: Ctrl-C and SIGTERM end the tutor within 200 ms all the same.
    @Test(arguments: [SIGINT, SIGTERM])
    func aQuitSignalDuringALongTrainingStepEndsTheTutorAtOnce(signal: Int32) throws {
        let lessons = try Binary.temporaryDirectory()
        let lesson = """
        ---
        id: heavy
        title: Heavy
        ---

        ## A step that trains slowly

        Each step trains a wide network on the whole training set.

        ```experiment
        data = moons
        train = 600
        val = 300
        model = mlp
        hidden = [256, 256]
        optimizer = adamw
        steps = 100
        ```
        """
        try Data(lesson.utf8).write(to: lessons.appendingPathComponent("01-heavy.md"))
        let pane = try SignalPane(arguments: "heavy:1 --lessons '\(lessons.path)'")
        defer { pane.close() }
        let pid = try #require(try pane.tutorPID(), "the tutor did not start")
        _ = try pane.waitFor { $0.contains("Heavy") }
        Thread.sleep(forTimeInterval: 0.5)   // into the first training steps
        let start = Date()
        kill(pid, signal)
        // Ended once gone or a zombie its shell has yet to reap.
        func running() -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
            return stat.split(separator: ")").last?.split(separator: " ").first != "Z"
        }
        while running() && Date().timeIntervalSince(start) < 30 { usleep(2000) }
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed < 0.2, "signal \(signal): the tutor took \(Int(elapsed * 1000)) ms to end")
        try expectRestored(pane, exit: 128 + signal, "signal \(signal) while training")
    }

    @Test func aSecondCtrlCWhileTheFirstIsPendingRestoresAndEndsByIt() throws {
        let pane = try SignalPane()
        defer { pane.close() }
        let pid = try #require(try pane.tutorPID())
        kill(pid, SIGINT)
        kill(pid, SIGINT)
        try expectRestored(pane, exit: 128 + SIGINT, "double SIGINT")
    }

    @Test func aCorruptProgressFileMovedAsideIsAnnouncedWithItsNewName() throws {
        let state = try Binary.temporaryDirectory()
        let dir = state.appendingPathComponent("decay-tutor")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("{ not json".utf8).write(to: dir.appendingPathComponent("progress.json"))
        let pane = try SignalPane(state: state)
        defer { pane.close() }
        _ = try #require(try pane.tutorPID())
        try pane.tmux(["send-keys", "-t", pane.session, "q"])
        _ = try pane.waitFor { $0.contains("STTY") }
        let aside = try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix("progress.json.corrupt-") }
        let name = try #require(aside)
        #expect(pane.standardError.contains("moved it to"))
        #expect(pane.standardError.contains(name))
    }

    @Test(.enabled(if: ReliabilityTests.canDropPrivileges))
    func theTutorNeverWritesOverAProgressFileItCannotRead() throws {
        let state = try Binary.temporaryDirectory()
        let dir = state.appendingPathComponent("decay-tutor")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("progress.json")
        let content = "{\"format\":\"decay-tutor progress\",\"version\":1,\"lessons\":{\"overfitting\":{\"finishedSteps\":[1,2,3],\"answeredGoals\":[]}}}"
        try Data(content.utf8).write(to: file)
        chmod(state.path, 0o755)
        chmod(dir.path, 0o777)
        chmod(file.path, 0o000)
        let pane = try SignalPane(prefix: "setpriv --reuid=65534 --regid=65534 --clear-groups", state: state)
        defer { pane.close() }
        _ = try #require(try pane.tutorPID(), "the tutor did not start")
        try pane.tmux(["send-keys", "-t", pane.session, "q"])
        let screen = try pane.waitFor { $0.contains("STTY") }
        #expect(screen.contains("EXIT=0"), "\(screen)")
        #expect(try String(contentsOf: file, encoding: .utf8) == content)
        #expect(pane.standardError.contains("cannot read it"))
        #expect(pane.standardError.contains("chmod"))
    }
}
