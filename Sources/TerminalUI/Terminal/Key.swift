/// A key press (or a terminal event that arrives through the key stream),
/// already decoded from curses' key codes and escape sequences.
public enum Key: Hashable, Sendable {
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown
    case tab, backTab
    case enter, escape, backspace
    /// The terminal changed size, or was resumed after Ctrl-Z: redraw everything.
    case resize
    case wheelUp, wheelDown
    /// A request to quit from outside the key map: Ctrl-C (which arrives as
    /// SIGINT in cbreak mode), SIGTERM or SIGHUP. The program should save
    /// and leave; `TerminalSession` then restores the terminal.
    case ctrlC
    /// Anything else (function keys, mouse clicks, …): ignored by the UI.
    case other
}
