import TextSupport
import DecayEngine

/// Typed reads of block entries: each returns nil after reporting a located
/// error, so a builder can keep going and report every bad line.
struct EntryReader {
    var diagnostics: LessonDiagnostics

    mutating func fail(_ e: BlockEntry, _ message: String, suggestion: String? = nil) {
        diagnostics.error(e.line, column: e.valueColumn, message, suggestion: suggestion)
    }

    mutating func number(_ e: BlockEntry) -> Double? {
        guard case let .number(v, _) = e.value else {
            fail(e, "`\(e.key)` expects a number, got \(e.value.described)")
            return nil
        }
        return v
    }

    /// A number in a range; `rangeText` is how the message states the rule.
    mutating func real(_ e: BlockEntry, _ valid: (Double) -> Bool, _ rangeText: String) -> Float? {
        guard let v = number(e) else { return nil }
        guard valid(v) else {
            fail(e, "`\(e.key)` = \(text(e)) is out of range: \(rangeText)")
            return nil
        }
        return Float(v)
    }

    mutating func integer(_ e: BlockEntry, _ range: ClosedRange<Int>, _ what: String? = nil) -> Int? {
        guard let v = number(e) else { return nil }
        return integer(v, entry: e, range, what)
    }

    mutating func integer(_ v: Double, entry e: BlockEntry, _ range: ClosedRange<Int>, _ what: String? = nil) -> Int? {
        guard v == v.rounded(), abs(v) < 1e15 else {
            fail(e, "`\(e.key)` expects a whole number, got \(excerpt(String(v)))")
            return nil
        }
        let i = Int(v)
        guard range.contains(i) else {
            fail(e, "`\(e.key)` = \(i) is out of range: \(what ?? "expected \(range.lowerBound)…\(range.upperBound)")")
            return nil
        }
        return i
    }

    mutating func bool(_ e: BlockEntry) -> Bool? {
        guard case let .bool(b) = e.value else {
            fail(e, "`\(e.key)` expects true/false (or on/off), got \(e.value.described)")
            return nil
        }
        return b
    }

    /// A bare word from a fixed set, with a suggestion for a near miss.
    mutating func word<T: RawRepresentable & CaseIterable>(_ e: BlockEntry, _: T.Type, label: String? = nil) -> T?
    where T.RawValue == String {
        let names = T.allCases.map(\.rawValue)
        return word(e, names).flatMap(T.init(rawValue:))
    }

    mutating func word(_ e: BlockEntry, _ names: [String]) -> String? {
        let w: String
        switch e.value {
        case let .word(x): w = x
        case let .string(x): w = x
        case let .bool(b): w = b ? "true" : "false"
        default:
            fail(e, "`\(e.key)` expects one of \(names.joined(separator: ", ")), got \(e.value.described)")
            return nil
        }
        guard names.contains(w) else {
            fail(e, "unknown \(e.key) `\(excerpt(w))`", suggestion: Suggestion.text(for: w, among: names))
            return nil
        }
        return w
    }

    /// A text for people: a quoted string, or a single word.
    mutating func text(_ e: BlockEntry) -> String? {
        switch e.value {
        case let .string(s): return s
        case let .word(w): return w
        default:
            fail(e, "`\(e.key)` expects a quoted string, got \(e.value.described)")
            return nil
        }
    }

    mutating func list(_ e: BlockEntry) -> [BlockValue]? {
        guard case let .list(items) = e.value else {
            fail(e, "`\(e.key)` expects a list such as [a, b], got \(e.value.described)")
            return nil
        }
        return items
    }

    /// A list of words from a set, without repeats.
    mutating func words<T: RawRepresentable & CaseIterable>(_ e: BlockEntry, _: T.Type) -> [T]? where T.RawValue == String {
        guard let items = list(e) else { return nil }
        let names = T.allCases.map(\.rawValue)
        var out: [T] = []
        for item in items {
            guard case let .word(w) = item else {
                fail(e, "`\(e.key)` lists words (\(names.joined(separator: ", "))), got \(item.described)")
                return nil
            }
            guard let v = T(rawValue: w) else {
                fail(e, "unknown \(e.key) entry `\(excerpt(w))`", suggestion: Suggestion.text(for: w, among: names))
                return nil
            }
            guard !out.contains(where: { $0.rawValue == w }) else {
                fail(e, "`\(w)` appears twice in `\(e.key)`")
                return nil
            }
            out.append(v)
        }
        return out
    }

    /// A list of numbers, each checked by `valid`.
    mutating func numbers(_ e: BlockEntry, _ valid: (Double) -> Bool, _ rangeText: String) -> [Double]? {
        guard let items = list(e) else { return nil }
        var out: [Double] = []
        for item in items {
            guard case let .number(v, t) = item else {
                fail(e, "`\(e.key)` lists numbers, got \(item.described)")
                return nil
            }
            guard valid(v) else {
                fail(e, "`\(e.key)` entry \(excerpt(t)) is out of range: \(rangeText)")
                return nil
            }
            out.append(v)
        }
        return out
    }

    private func text(_ e: BlockEntry) -> String {
        if case let .number(_, t) = e.value { return excerpt(t) }
        return e.value.described
    }

    /// Reports keys not in `valid`, with a suggestion, and those valid
    /// elsewhere but not here (`elsewhere` explains where they belong).
    mutating func checkKeys(_ entries: [BlockEntry], valid: [String], elsewhere: [String] = [], context: String,
                            elsewhereNote: String = "") {
        for e in entries where !valid.contains(e.key) {
            if elsewhere.contains(e.key) {
                diagnostics.error(e.line, column: e.keyColumn, "`\(excerpt(e.key))` cannot be set \(context)",
                                  suggestion: elsewhereNote.isEmpty ? nil : elsewhereNote)
            } else {
                diagnostics.error(e.line, column: e.keyColumn, "unknown key `\(excerpt(e.key))` \(context)",
                                  suggestion: Suggestion.text(for: e.key, among: valid))
            }
        }
    }
}
