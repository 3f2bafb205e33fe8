/// A value on the right of `key = value` in an `experiment`, `goal` or
/// `sweep` block, before it is given a meaning.
indirect enum BlockValue: Equatable, Sendable {
    /// The number and its spelling, so messages quote what the author wrote.
    case number(Double, String)
    case word(String)
    case string(String)
    case bool(Bool)
    case list([BlockValue])
    /// `name(arguments)`, e.g. `normal(1)`.
    case call(String, [BlockValue])

    /// What an error message calls this kind of value, with the value itself
    /// (shortened) so the author sees what was read.
    var described: String {
        switch self {
        case let .number(_, text): "number \(excerpt(text))"
        case let .word(w): "word `\(excerpt(w))`"
        case let .string(s): "string \"\(excerpt(s))\""
        case let .bool(b): "boolean \(b)"
        case .list: "a list"
        case let .call(name, _): "`\(excerpt(name))(…)`"
        }
    }
}
