/// Standard output written in pieces of about 64 KB as a command makes its
/// text: a long table or CSV reaches the reader while it is made, and the
/// whole never sits in memory at once (one write per line would cost a
/// system call per line instead).
struct OutputChunks {
    static let size = 1 << 16
    private var pending = ""

    mutating func append(_ text: String) throws(OutputFailure) {
        pending += text
        if pending.utf8.count >= Self.size { try flush() }
    }

    mutating func line(_ text: String) throws(OutputFailure) {
        try append(text)
        try append("\n")
    }

    /// Writes what is pending; call once at the end.
    mutating func flush() throws(OutputFailure) {
        guard !pending.isEmpty else { return }
        try StandardOutput.write(pending)
        pending.removeAll(keepingCapacity: true)
    }
}
