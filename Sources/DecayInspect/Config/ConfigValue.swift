import TextSupport
import Foundation

/// A value from a config file, whichever its format, with the line it is on.
struct ConfigEntry {
    var value: ConfigValue
    var line: Int?
}

indirect enum ConfigValue {
    case number(JSONNumber)
    case string(String)
    case bool(Bool)
    case null
    /// A list's items (nested lists and mappings below the depth read are empty).
    case list([ConfigValue])
    case map([String: ConfigEntry])

    var kindName: String {
        switch self {
        case .number(let n): return n.integer != nil ? "an integer" : "a number"
        case .string: return "a string"
        case .bool: return "a boolean"
        case .null: return "null"
        case .list: return "a list"
        case .map: return "a mapping"
        }
    }
}

/// Typed reading of config entries, with located errors.
struct ConfigFields {
    var entries: [String: ConfigEntry]
    var path: String
    /// Axolotl (through pydantic) accepts numbers written as strings, such
    /// as `learning_rate: "2e-4"`; TrainingArguments does not.
    var numbersAsStrings: Bool

    func error(_ key: String, _ message: String, hint: String? = nil) -> InspectError {
        InspectError(path: path, line: entries[key]?.line, message: message, hint: hint)
    }

    /// The value of `key` if present and not null.
    func present(_ key: String) -> ConfigEntry? {
        guard let e = entries[key] else { return nil }
        if case .null = e.value { return nil }
        return e
    }

    func number(_ key: String) throws -> JSONNumber? {
        guard let e = present(key) else { return nil }
        switch e.value {
        case .number(let n):
            guard !n.double.isNaN else { throw error(key, "`\(key)` is \(Quote.code(n.text, limit: 30)), not a number (NaN)") }
            guard n.double.isFinite else {
                throw error(key, "`\(key)` is \(Quote.code(n.text, limit: 30)), \(Self.isInfinityWord(n.text) ? "infinite" : "too large to be a number")")
            }
            return n
        case .bool(let b) where numbersAsStrings:
            // pydantic's lax mode reads true as 1 where a number is wanted.
            return JSONNumber(double: b ? 1 : 0, integer: b ? 1 : 0, text: b ? "true" : "false")
        case .string(let s) where numbersAsStrings:
            if let d = Double(s.trimmingCharacters(in: .whitespaces)), d.isFinite {
                return JSONNumber(double: d, integer: d == d.rounded() && abs(d) < 9e15 ? Int(d) : nil, text: s)
            }
            throw error(key, "`\(key)` is \(Quote.code(s, limit: 30)), not a number")
        default:
            throw error(key, "`\(key)` is \(e.value.kindName), not a number")
        }
    }

    /// A finite number in `range`.
    func double(_ key: String, in range: ClosedRange<Double>, what: String) throws -> Double? {
        guard let n = try number(key) else { return nil }
        guard range.contains(n.double) else {
            throw error(key, "`\(key)` is \(Quote.code(n.text, limit: 30)); it must be from \(Self.bound(range.lowerBound)) "
                        + "to \(Self.bound(range.upperBound)) (\(what))")
        }
        return n.double
    }

    /// A range's end as a person writes it: 0, 1, 1e+06.
    static func bound(_ v: Double) -> String { String(format: "%g", v) }

    /// `.inf`, `-.Inf`, `inf`, `Infinity`: a word for infinity, not a long literal.
    static func isInfinityWord(_ text: String) -> Bool { text.lowercased().contains("inf") }

    /// An integer in `range` (Axolotl accepts 8.0 for 8, as pydantic does).
    func integer(_ key: String, in range: ClosedRange<Int>, what: String) throws -> Int? {
        guard let n = try number(key) else { return nil }
        var value = n.integer
        if value == nil, numbersAsStrings, n.double == n.double.rounded(), abs(n.double) < 9e15 { value = Int(n.double) }
        let outside = "it must be from \(range.lowerBound) to \(range.upperBound) (\(what))"
        guard let v = value else {
            // A whole number too large for an Int is out of range, not fractional.
            if n.double == n.double.rounded() { throw error(key, "`\(key)` is \(Quote.code(n.text, limit: 30)); \(outside)") }
            throw error(key, "`\(key)` is \(Quote.code(n.text, limit: 30)), not a whole number")
        }
        guard range.contains(v) else { throw error(key, "`\(key)` is \(v); \(outside)") }
        return v
    }

    func string(_ key: String) throws -> String? {
        guard let e = present(key) else { return nil }
        guard case .string(let s) = e.value else { throw error(key, "`\(key)` is \(e.value.kindName), not a string") }
        return s
    }

    /// A string, or a list of strings (as `lora_target_modules` may be either).
    func strings(_ key: String) throws -> [String]? {
        guard let e = present(key) else { return nil }
        switch e.value {
        case .string(let s): return [s]
        case .list(let items):
            return try items.map { item in
                guard case .string(let s) = item else { throw error(key, "`\(key)` holds \(item.kindName), not a name") }
                return s
            }
        default: throw error(key, "`\(key)` is \(e.value.kindName), not a list of names")
        }
    }

    func bool(_ key: String) throws -> Bool? {
        guard let e = present(key) else { return nil }
        switch e.value {
        case .bool(let b): return b
        // pydantic's lax mode: 0/1 and words such as "yes" and "off".
        case .number(let n) where numbersAsStrings && (n.double == 0 || n.double == 1): return n.double == 1
        case .string(let s) where numbersAsStrings && AxolotlValueCheck.trueWords.contains(s.lowercased()): return true
        case .string(let s) where numbersAsStrings && AxolotlValueCheck.falseWords.contains(s.lowercased()): return false
        default: throw error(key, "`\(key)` is \(e.value.kindName), not true or false")
        }
    }

    /// Refuses keys not in `known`, suggesting the nearest known one: for
    /// keyword arguments the real function would refuse with a TypeError.
    func checkKeys(known: Set<String>, format: String) throws {
        let unknown = entries.keys.filter { !known.contains($0) }
        guard let key = unknown.min(by: { (entries[$0]?.line ?? 0, $0) < (entries[$1]?.line ?? 0, $1) }) else { return }
        let hint = Self.suggestion(for: key, among: known).map { "did you mean `\($0)`?" }
            ?? "not a key of \(format); remove it or check its spelling"
        throw error(key, "unknown key \(Quote.code(key))", hint: hint)
    }

    /// The keys not in `known`, in file order.
    func unknownKeys(known: Set<String>) -> [String] {
        entries.keys.filter { !known.contains($0) }.sorted { (entries[$0]?.line ?? 0, $0) < (entries[$1]?.line ?? 0, $1) }
    }

    /// The nearest known word, comparing only candidates whose length is
    /// within the edit distance that still counts as a typo (a third of the
    /// word), so six hundred Axolotl keys cost a handful of comparisons.
    static func suggestion(for word: String, among known: Set<String>) -> String? {
        let length = min(word.count, 64)
        let near = known.filter { abs($0.count - length) <= max(1, min(length, $0.count) / 3) }.sorted()
        return Suggestion.closest(to: word, among: near)
    }

    /// A value that must be one of `choices`.
    func choice(_ key: String, among choices: [String]) throws -> String? {
        guard let s = try string(key) else { return nil }
        guard choices.contains(s) else {
            let hint = Self.suggestion(for: s, among: Set(choices)).map { "did you mean `\($0)`?" }
                ?? "expected one of " + choices.joined(separator: ", ")
            throw error(key, "unknown \(key) \(Quote.code(s))", hint: hint)
        }
        return s
    }
}
