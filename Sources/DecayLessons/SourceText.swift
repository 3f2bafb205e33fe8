/// A lesson file's bytes checked and split into lines.
///
/// The checks come before any parsing so the parser only ever sees text it
/// can show: valid UTF-8, no NUL or terminal control characters (an escape
/// sequence in prose would be sent straight to the learner's terminal), and
/// a size that a hand-written lesson never needs to exceed.
struct SourceText {
    static let maximumBytes = 1 << 20

    /// Lines without their terminator (`\n` or `\r\n`).
    var lines: [Substring]

    /// Returns nil after reporting the problems in `diagnostics`.
    static func decode(_ bytes: [UInt8], diagnostics: inout LessonDiagnostics) -> SourceText? {
        guard !bytes.isEmpty else {
            diagnostics.error(1, "the file is empty", suggestion: "a lesson starts with front matter: `---`, `id: …`, `title: …`, `---`")
            return nil
        }
        guard bytes.count <= maximumBytes else {
            diagnostics.error(1, "the file is \(bytes.count) bytes; lessons are limited to 1 MiB",
                              suggestion: "split it into several lessons")
            return nil
        }
        var line = 1
        // A byte-order mark (which some Windows editors write) is not part of
        // the text: skipped, so `---` on the first line is still front matter.
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var ok = true
        var lines: [Substring] = []
        let n = bytes.count
        while start <= n, !diagnostics.isFull {
            var end = start
            while end < n, bytes[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > start, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let slice = bytes[start..<lineEnd]
            if let text = String(validating: slice, as: UTF8.self) {
                if !(end == n && start == n) { lines.append(Substring(text)) }
                var column = 1
                for scalar in text.unicodeScalars {
                    if isForbidden(scalar) {
                        let name = scalar.value == 0 ? "a NUL byte" : "control character U+\(hex(scalar.value))"
                        diagnostics.error(line, column: column, "\(name) in the file",
                                          suggestion: "lesson files are plain UTF-8 text; remove it")
                        ok = false
                        break
                    }
                    column += 1
                }
            } else {
                // Locate the first byte that does not decode.
                var column = 1
                var iterator = slice.makeIterator()
                var decoder = UTF8()
                loop: while true {
                    switch decoder.decode(&iterator) {
                    case .scalarValue: column += 1
                    case .emptyInput: break loop
                    case .error: break loop
                    }
                }
                diagnostics.error(line, column: column, "the file is not valid UTF-8 here",
                                  suggestion: "save the lesson as UTF-8 text")
                ok = false
            }
            line += 1
            start = end + 1
        }
        guard ok else { return nil }
        return SourceText(lines: lines)
    }

    /// C0 and C1 controls except tab (and the line ends handled above), DEL,
    /// and the bidirectional overrides that can make text read differently
    /// from how it parses.
    private static func isForbidden(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v == 0x09 { return false }
        if v < 0x20 || v == 0x7F || (v >= 0x80 && v < 0xA0) { return true }
        return (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    private static func hex(_ v: UInt32) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }
}
