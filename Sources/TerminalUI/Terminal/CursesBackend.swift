@preconcurrency import CNcursesW
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// The real terminal, through ncursesw.
///
/// Only `TerminalSession` creates one, and only on the thread that runs the
/// UI: curses keeps global state and is not thread-safe, so every call into
/// it happens from that one thread (workers post results as messages; they
/// never draw).
///
/// Drawing: `FrameDiffer` decides which cells changed since the last frame;
/// each is written with `setcchar` + `mvwadd_wch` (wide characters and
/// combining marks intact), and the frame goes out with one
/// `wnoutrefresh` + `doupdate`. After a resize or a resume from Ctrl-Z the
/// whole screen is repainted, since the terminal may show anything by then.
public final class CursesBackend: Backend {
    public private(set) var capabilities: TerminalCapabilities
    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>!
    private var differ = FrameDiffer()
    /// Colour pair allocated for each foreground index (0 = not yet).
    private var pairForColor = [Int16](repeating: 0, count: 256)
    private var nextPair: Int16 = 1
    private var isActive = false
    private var mouseWheel = false

    /// Options decided by the command line.
    public struct Options: Sendable {
        /// Draw with ASCII only (`--ascii`), even in a UTF-8 locale.
        public var ascii: Bool
        /// Report the mouse wheel (buttons 4/5) as `.wheelUp`/`.wheelDown`.
        public var mouseWheel: Bool

        public init(ascii: Bool = false, mouseWheel: Bool = true) {
            self.ascii = ascii
            self.mouseWheel = mouseWheel
        }
    }

    /// Takes over the terminal. The locale must already be set (the session
    /// does it) so that curses decodes and encodes UTF-8.
    init(terminalType: String, options: Options) throws {
        let utf8 = CursesBackend.localeIsUTF8()
        capabilities = TerminalCapabilities(colors: 0, unicode: utf8 && !options.ascii)
        // newterm, unlike initscr, returns NULL for an unknown terminal
        // instead of printing and exiting.
        guard let screen = newterm(terminalType, stdout, stdin) else {
            throw TerminalStartError.unknownTerminal(terminalType)
        }
        self.screen = screen
        _ = set_term(screen)
        window = stdscr
        isActive = true
        _ = cbreak()          // keys arrive at once; Ctrl-C/Ctrl-Z still raise signals
        _ = noecho()
        _ = nonl()            // Enter arrives as \r, and output \n is not translated
        _ = keypad(window, true)
        _ = set_escdelay(25)  // a lone Esc is reported after 25 ms, not 1 s
        _ = curs_set(0)
        _ = leaveok(window, true)
        if has_colors(), getenv("NO_COLOR").map({ String(cString: $0).isEmpty }) ?? true {
            _ = start_color()
            _ = use_default_colors()   // -1 below: keep the terminal's background
            capabilities.colors = Int(min(COLORS, 256))
        }
        mouseWheel = options.mouseWheel
        if options.mouseWheel {
            _ = mousemask(TerminalAttributes.button4Pressed | TerminalAttributes.button5Pressed, nil)
            _ = mouseinterval(0)       // no click detection delay
        }
        SignalRelay.setEmergencyRestoreSequence(CursesBackend.restoreSequence(mouse: options.mouseWheel))
    }

    deinit { shutdown() }

    /// Hands the terminal back: attributes reset, cursor visible, echo and
    /// line mode restored (by `endwin`), screen freed. Idempotent.
    public func shutdown() {
        guard isActive else { return }
        isActive = false
        _ = mousemask(0, nil)
        _ = curs_set(1)
        _ = endwin()
        if let screen { delscreen(screen) }
        screen = nil
    }

    public var size: TerminalSize {
        TerminalSize(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
    }

    public func draw(_ grid: CellGrid) {
        guard isActive else { return }
        var sink = CursesSink(backend: self)
        differ.render(grid, to: &sink)
        _ = wnoutrefresh(window)
        _ = doupdate()
    }

    /// Repaints the whole screen on the next `draw`.
    public func invalidate() {
        differ.invalidate()
        _ = clearok(curscr, true)
    }

    public func readKey(timeoutMs: Int) -> Key? {
        if let key = handleSignals() { return key }
        wtimeout(window, Int32(clamping: timeoutMs))
        var ch: wint_t = 0
        let status = wget_wch(window, &ch)
        // A signal during the wait interrupts it (ERR, EINTR): look again.
        if let key = handleSignals() { return key }
        switch status {
        case KEY_CODE_YES:
            return decodeKeyCode(Int32(ch))
        case OK:
            return CursesBackend.decodeCharacter(UInt32(ch))
        default:
            // A terminal that went away (a closed window or a dropped ssh
            // connection whose SIGHUP did not reach us) makes every read
            // fail at once; without this check the loop would spin forever.
            return CursesBackend.inputHungUp() ? .ctrlC : nil
        }
    }

    /// Whether standard input has hung up or become invalid.
    static func inputHungUp() -> Bool {
        var fds = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&fds, 1, 0) >= 0 else { return false }
        return fds.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    // MARK: - Signals

    private func handleSignals() -> Key? {
        var result: Key?
        for signal in SignalRelay.drain() {
            switch signal {
            case SIGINT, SIGTERM, SIGHUP:
                result = .ctrlC
            case SIGTSTP, SIGTTIN, SIGTTOU:
                suspend(by: signal)
                if result == nil { result = .resize }
            case SIGCONT where !SignalRelay.isForeground:
                // Continued in the background (`kill -STOP`, then `bg`):
                // give the terminal back and wait for `fg`.
                suspend(by: nil)
                if result == nil { result = .resize }
            case SIGCONT:
                // Continued after an external SIGSTOP: the screen may be stale.
                invalidate()
                if result == nil { result = .resize }
            default:
                break
            }
        }
        return result
    }

    /// Ctrl-Z, SIGTTIN, SIGTTOU: give the terminal back, stop, and take it
    /// again on resume (`fg`); nil: give it back and wait for the foreground.
    private func suspend(by signo: Int32?) {
        // A tutor in the background would be sent SIGTTOU again by its own
        // restore; ignoring it lets the restore through.
        _ = signal(SIGTTOU, SIG_IGN)
        _ = mousemask(0, nil)
        _ = curs_set(1)
        _ = endwin()
        SignalRelay.setHandler(SIGTTOU)
        if let signo {
            // Stop for real: the signal's default action. We continue here.
            _ = signal(signo, SIG_DFL)
            _ = raise(signo)
            SignalRelay.setHandler(signo)
        }
        // `bg` continues a stopped job in the background: taking the
        // terminal there is not ours to do, so stop again until `fg`.
        SignalRelay.waitForForeground()
        _ = curs_set(0)
        if mouseWheel { _ = mousemask(TerminalAttributes.button4Pressed | TerminalAttributes.button5Pressed, nil) }
        _ = refresh()                 // re-enters program mode (cbreak, keypad …)
        invalidate()
    }

    // MARK: - Keys

    private func decodeKeyCode(_ code: Int32) -> Key {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_RESIZE:
            invalidate()
            return .resize
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return .other }
            if event.bstate & TerminalAttributes.button4Pressed != 0 { return .wheelUp }
            if event.bstate & TerminalAttributes.button5Pressed != 0 { return .wheelDown }
            return .other
        default:
            return .other
        }
    }

    /// Maps a character from `get_wch` to a key; control characters become
    /// the keys they stand for.
    static func decodeCharacter(_ value: UInt32) -> Key {
        switch value {
        case 3: return .ctrlC          // only in raw mode; in cbreak it is SIGINT
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 27: return .escape
        case 0..<32: return .other
        default:
            guard let scalar = Unicode.Scalar(value) else { return .other }
            return .char(Character(scalar))
        }
    }

    // MARK: - Output

    fileprivate func pair(for color: UInt8?) -> Int16 {
        guard let color, capabilities.colors > 0, Int(color) < capabilities.colors else { return 0 }
        if pairForColor[Int(color)] == 0 {
            guard Int(nextPair) < Int(COLOR_PAIRS) else { return 0 }
            _ = init_pair(nextPair, Int16(color), -1)
            pairForColor[Int(color)] = nextPair
            nextPair += 1
        }
        return pairForColor[Int(color)]
    }

    fileprivate func put(_ cell: Cell, x: Int, y: Int) {
        // A glyph holds at most 3 scalars, fewer than curses keeps (CCHARW_MAX − 1).
        var wide: (wchar_t, wchar_t, wchar_t, wchar_t) = (0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &wide) { raw in
            let w = raw.bindMemory(to: wchar_t.self)
            cell.glyph.forEachScalar { scalar in
                if count < Glyph.capacity { w[count] = wchar_t(bitPattern: scalar.value); count += 1 }
            }
        }
        var cchar = cchar_t()
        let pair = pair(for: cell.style.foreground)
        withUnsafeBytes(of: &wide) { raw in
            _ = setcchar(&cchar, raw.bindMemory(to: wchar_t.self).baseAddress!,
                         TerminalAttributes.attributes(for: cell.style), pair, nil)
        }
        // The bottom-right cell "fails" because the cursor cannot advance past
        // it, but the character is drawn all the same.
        _ = wmove(window, Int32(y), Int32(x))
        _ = wadd_wch(window, &cchar)
    }

    fileprivate func clearWindow() {
        _ = werase(window)
    }

    private struct CursesSink: CellSink {
        let backend: CursesBackend
        mutating func write(_ cell: Cell, x: Int, y: Int) { backend.put(cell, x: x, y: y) }
        mutating func clearAll() { backend.clearWindow() }
    }

    // MARK: - Environment

    /// True when the current `LC_CTYPE` encodes text as UTF-8.
    static func localeIsUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// The bytes that undo what curses did, for the signal-handler path that
    /// cannot call `endwin`.
    private static func restoreSequence(mouse: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        // rmkx: keypad transmit (and, on xterm, application cursor keys) off.
        for capability in ["sgr0", "rmkx", "cnorm", "rmcup"] {
            guard let raw = tigetstr(capability),
                  Int(bitPattern: raw) != -1 else {   // (char *)-1: not a string capability
                if capability == "rmkx" { bytes += Array("\u{1B}[?1l\u{1B}>".utf8) }
                continue
            }
            bytes += Array(String(cString: raw).utf8)
        }
        // Mouse reporting off whatever was asked for (harmless when it was not on).
        _ = mouse
        bytes += Array("\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l".utf8)
        bytes += Array("\r\n".utf8)
        return bytes
    }
}
