/// A problem with a file given to `inspect`: where it is, what is wrong, and
/// (when there is one) how to fix it. Shown to a person as
/// `path:line:column: error: message` with the hint on the next line.
public struct InspectError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What the command-line should do with it: a usage mistake (64), bad
    /// data in a file (65), or a file that cannot be read (66).
    public enum Kind: Int32, Sendable {
        case usage = 64
        case data = 65
        case noInput = 66
    }

    public var path: String
    public var line: Int?
    public var column: Int?
    public var message: String
    public var hint: String?
    public var kind: Kind

    /// - Parameters:
    ///   - path: the file (or folder) the problem is in.
    ///   - line, column: 1-based position in a text file, when known.
    ///   - message: what is wrong, in a sentence without a final period.
    ///   - hint: how to fix it, or `nil`.
    ///   - kind: decides the exit status.
    public init(path: String, line: Int? = nil, column: Int? = nil, message: String,
                hint: String? = nil, kind: Kind = .data) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
        self.kind = kind
    }

    public var description: String {
        var location = Quote.visible(path, limit: 200)
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        var text = "\(location): error: \(message)"
        if let hint { text += "\n  \(hint)" }
        return text
    }
}

/// Quoting what came from a file or an argument: control characters are
/// escaped and long values are cut, so a hostile name cannot drive the
/// terminal or turn one error into megabytes.
public enum Quote {
    public static func visible(_ text: String, limit: Int = 80) -> String {
        // Printable ASCII within the limit is itself (a tensor table asks
        // this of every name).
        if text.utf8.count <= limit,
           text.utf8.withContiguousStorageIfAvailable({ $0.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }) == true { return text }
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                out += "…"
                break
            }
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0..<0x20, 0x7F, 0x80..<0xA0, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }

    /// `value` in backquotes, escaped and cut.
    public static func code(_ text: String, limit: Int = 80) -> String { "`" + visible(text, limit: limit) + "`" }
}
