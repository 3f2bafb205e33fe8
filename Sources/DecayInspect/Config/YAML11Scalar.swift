import Foundation

/// Plain YAML scalars resolved as PyYAML (which Axolotl uses) resolves
/// them, by YAML 1.1's rules: `yes`/`no`/`on`/`off` are booleans, `010` is
/// octal, and a float needs a dot, so `2e-4` stays a string (which
/// pydantic then reads as a number where a number is wanted).
enum YAML11Scalar {
    static let integer = try! NSRegularExpression(pattern:
        "^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$")
    static let float = try! NSRegularExpression(pattern:
        "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$")

    static func resolve(_ text: String) -> ConfigValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return .bool(true)
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return .bool(false)
        default: break
        }
        guard text.count <= 400 else { return .string(text) }
        let range = NSRange(text.startIndex..., in: text)
        if integer.firstMatch(in: text, range: range) != nil, let value = integerValue(text) {
            return .number(JSONNumber(double: Double(value), integer: value, text: text))
        }
        if float.firstMatch(in: text, range: range) != nil {
            return .number(JSONNumber(double: floatValue(text), integer: nil, text: text))
        }
        return .string(text)
    }

    /// PyYAML's construct_yaml_int (nil when it overflows an Int).
    static func integerValue(_ text: String) -> Int? {
        var s = text.replacingOccurrences(of: "_", with: "")
        var sign = 1
        if s.hasPrefix("-") { sign = -1; s.removeFirst() } else if s.hasPrefix("+") { s.removeFirst() }
        let magnitude: Int?
        if s == "0" { magnitude = 0 }
        else if s.hasPrefix("0b") { magnitude = Int(s.dropFirst(2), radix: 2) }
        else if s.hasPrefix("0x") { magnitude = Int(s.dropFirst(2), radix: 16) }
        else if s.hasPrefix("0") { magnitude = Int(s.dropFirst(), radix: 8) }
        else if s.contains(":") { magnitude = sexagesimal(s).flatMap { Int(exactly: $0) } }
        else { magnitude = Int(s) }
        return magnitude.map { sign * $0 }
    }

    /// PyYAML's construct_yaml_float.
    static func floatValue(_ text: String) -> Double {
        var s = text.replacingOccurrences(of: "_", with: "").lowercased()
        var sign = 1.0
        if s.hasPrefix("-") { sign = -1; s.removeFirst() } else if s.hasPrefix("+") { s.removeFirst() }
        if s == ".inf" { return sign * .infinity }
        if s == ".nan" { return .nan }
        if s.contains(":") { return sign * (sexagesimal(s) ?? .nan) }
        return sign * (Double(s) ?? .nan)
    }

    /// "1:30:00" → 5400 (base 60, as YAML 1.1 times).
    static func sexagesimal(_ s: String) -> Double? {
        var value = 0.0
        for part in s.split(separator: ":") {
            guard let digit = Double(part) else { return nil }
            value = value * 60 + digit
        }
        return value
    }
}
