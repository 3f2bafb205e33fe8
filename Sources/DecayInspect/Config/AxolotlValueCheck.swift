import Foundation

/// The values Axolotl's pydantic schema refuses, for the fields whose type
/// is one plain kind (bool, int, float, str, list, mapping, or a choice):
/// pydantic's lax mode turns "8" into 8 and "true" into true, and refuses
/// what it cannot turn. A field of mixed type (`str | list[str]`) is not
/// checked. The rules are held against pydantic itself in the fixtures.
enum AxolotlValueCheck {
    static let trueWords: Set<String> = ["1", "on", "t", "true", "y", "yes"]
    static let falseWords: Set<String> = ["0", "off", "f", "false", "n", "no"]

    static func check(_ f: ConfigFields) throws {
        let schemas = ConfigSchemas.shared
        for key in f.entries.keys.sorted(by: { (f.entries[$0]?.line ?? 0, $0) < (f.entries[$1]?.line ?? 0, $1) }) {
            guard let entry = f.present(key),
                  let field = schemas.axolotlFields[schemas.axolotlAliases[key] ?? key] else { continue }
            if let problem = refusal(entry.value, kind: field.kind) {
                throw f.error(key, "`\(key)` is \(describe(entry.value)): \(problem)")
            }
        }
    }

    /// Why pydantic would refuse `value` for a field of `kind`, or nil.
    static func refusal(_ value: ConfigValue, kind: String) -> String? {
        switch kind {
        case "bool": return accepts(bool: value) ? nil : "Axolotl wants true or false"
        case "int": return accepts(int: value) ? nil : "Axolotl wants a whole number"
        case "float": return accepts(float: value) ? nil : "Axolotl wants a number"
        case "str": if case .string = value { return nil }; return "Axolotl wants a string"
        case "list": if case .list = value { return nil }; return "Axolotl wants a list"
        case "dict": if case .map = value { return nil }; return "Axolotl wants a mapping"
        default:
            guard kind.hasPrefix("choice:"), let choices = choiceList(kind) else { return nil }
            if case .string(let s) = value, choices.contains(s) { return nil }
            if case .bool(let b) = value, choices.contains(b ? "True" : "False") { return nil }
            return "Axolotl wants one of " + choices.joined(separator: ", ")
        }
    }

    static func accepts(bool value: ConfigValue) -> Bool {
        switch value {
        case .bool: return true
        case .number(let n): return n.integer == 0 || n.integer == 1 || n.double == 0 || n.double == 1
        case .string(let s): return trueWords.contains(s.lowercased()) || falseWords.contains(s.lowercased())
        default: return false
        }
    }

    static func accepts(int value: ConfigValue) -> Bool {
        switch value {
        case .bool: return true
        case .number(let n): return n.integer != nil || (n.double.isFinite && n.double == n.double.rounded())
        case .string(let s):
            // pydantic reads "8", " 8 " and "8.0" as 8, not "1e3".
            let t = s.trimmingCharacters(in: .whitespaces)
            if Int(t) != nil { return true }
            let parts = t.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 2 && Int(parts[0]) != nil && parts[1].allSatisfy { $0 == "0" }
        default: return false
        }
    }

    static func accepts(float value: ConfigValue) -> Bool {
        switch value {
        case .bool, .number: return true
        case .string(let s): return Double(s.trimmingCharacters(in: .whitespaces)) != nil
        default: return false
        }
    }

    static func choiceList(_ kind: String) -> [String]? {
        let json = Array(kind.dropFirst("choice:".count).utf8)
        guard case .array(let items)? = try? JSONReader.parse(json, path: "", what: "choices") else { return nil }
        return items.compactMap(\.stringValue)
    }

    static func describe(_ value: ConfigValue) -> String {
        switch value {
        case .string(let s): return Quote.code(s, limit: 40)
        case .number(let n): return Quote.code(n.text, limit: 40)
        case .bool(let b): return b ? "`true`" : "`false`"
        default: return value.kindName
        }
    }
}
