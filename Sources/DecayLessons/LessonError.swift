/// A problem in a lesson file, located so a person can fix it: the file, the
/// 1-based line and column, what is wrong, and (when we can guess) what was
/// meant. Lesson files are written by hand, so a typo must never become a
/// silent default or a crash; it becomes one of these.
public struct LessonError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// 1-based; 0 only for problems with the file as a whole (unreadable).
    public var line: Int
    /// 1-based column in characters, when known.
    public var column: Int?
    public var message: String
    /// A fix to try: "did you mean `lambda`?", "expected one of sgd, adam, adamw".
    public var suggestion: String?

    public init(path: String, line: Int, column: Int? = nil, message: String, suggestion: String? = nil) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        self.suggestion = suggestion
    }

    /// `path:line:column: error: message`, then the suggestion on its own
    /// line, in the shape compilers use so editors can jump to it.
    public var description: String {
        var location = path
        if line > 0 { location += ":\(line)" }
        if line > 0, let column { location += ":\(column)" }
        var text = "\(location): error: \(message)"
        if let suggestion { text += "\n  \(suggestion)" }
        return text
    }
}

/// Every error found in one lesson file, in line order.
public struct LessonErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [LessonError]

    public init(_ errors: [LessonError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
