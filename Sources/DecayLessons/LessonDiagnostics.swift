/// Collects a file's errors so one pass reports all of them, up to a cap:
/// past a few dozen the rest are usually echoes of the first, and a garbage
/// file must not produce a million lines.
struct LessonDiagnostics {
    static let cap = 50
    /// About a line of a terminal: a message or suggestion longer than this
    /// is quoting too much of the file, and is cut with `…`.
    static let maximumMessageLength = 240

    let path: String
    private(set) var errors: [LessonError] = []
    private(set) var truncated = false

    init(path: String) { self.path = path }

    var isFull: Bool { errors.count >= Self.cap }

    mutating func error(_ line: Int, column: Int? = nil, _ message: String, suggestion: String? = nil) {
        guard !isFull else {
            truncated = true
            return
        }
        errors.append(LessonError(path: path, line: line, column: column,
                                  message: excerpt(message, limit: Self.maximumMessageLength),
                                  suggestion: suggestion.map { excerpt($0, limit: Self.maximumMessageLength) }))
    }

    /// Sorted by position; a final note when the cap cut the list short.
    var sorted: [LessonError] {
        var out = errors.enumerated().sorted {
            ($0.element.line, $0.element.column ?? 0, $0.offset) < ($1.element.line, $1.element.column ?? 0, $1.offset)
        }.map(\.element)
        if truncated, let last = out.last {
            out.append(LessonError(path: path, line: last.line, message: "too many errors; stopped after \(Self.cap)"))
        }
        return out
    }
}

/// Quotes a piece of the file for a message, short enough to read even when
/// the line it came from is a megabyte long.
func excerpt(_ text: some StringProtocol, limit: Int = 40) -> String {
    let scalars = text.unicodeScalars
    if scalars.count <= limit { return String(text) }
    var s = String.UnicodeScalarView()
    s.append(contentsOf: scalars.prefix(limit))
    return String(s) + "…"
}

/// "a `goal`", "an `experiment`": a name in backticks with the article its
/// first letter calls for, so messages read as English whatever they name.
func articled(_ name: String) -> String {
    let vowel = name.first.map { "aeiouAEIOU".contains($0) } ?? false
    return (vowel ? "an `" : "a `") + name + "`"
}
