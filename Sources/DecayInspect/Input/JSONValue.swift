import Foundation

/// A JSON value with its types kept apart: Foundation hands numbers and
/// booleans back as one `NSNumber` type, and a config whose
/// `"max_steps": true` is read as 1 would be wrong silently.
indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// What the value is, for "expected a number, found a string" messages.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number(let n): return n.integer != nil ? "an integer" : "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// A JSON number: its value as a double, and as an integer when it was
/// written as one and fits.
struct JSONNumber: Equatable, Sendable {
    var double: Double
    var integer: Int?
    /// How it was written, for messages about numbers too large to use.
    var text: String
}

enum JSONReader {
    /// Parses `bytes` as JSON (nesting is bounded by Foundation's parser,
    /// 512 levels). A syntax error is located by line and column.
    static func parse(_ bytes: [UInt8], path: String, what: String) throws -> JSONValue {
        let any: Any
        do {
            any = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            let (line, column, reason) = locate(error, in: bytes)
            throw InspectError(path: path, line: line, column: column,
                               message: "the \(what) is not valid JSON\(reason.map { ": " + $0 } ?? "")")
        }
        return convert(any)
    }

    static func convert(_ any: Any) -> JSONValue {
        switch any {
        case is NSNull: return .null
        case let s as String: return .string(s)
        case let n as NSNumber: return number(n)
        case let a as [Any]: return .array(a.map(convert))
        case let d as [String: Any]: return .object(d.mapValues(convert))
        default: return .null
        }
    }

    private static func number(_ n: NSNumber) -> JSONValue {
        let type = String(cString: n.objCType)
        if type == "c" || type == "B" { return .bool(n.boolValue) }
        if n is NSDecimalNumber {
            // Foundation keeps long numbers as decimals, whose doubleValue
            // can be off by an ulp; the decimal digits read back exactly.
            let text = n.stringValue
            return .number(JSONNumber(double: Double(text) ?? n.doubleValue, integer: Int(text), text: text))
        }
        if type == "d" || type == "f" {
            return .number(JSONNumber(double: n.doubleValue, integer: nil, text: "\(n.doubleValue)"))
        }
        let text = n.stringValue
        return .number(JSONNumber(double: n.doubleValue, integer: Int(text), text: text))
    }

    /// Line, column and a short reason from Foundation's error, which says
    /// "around line L, column C" or "around character N".
    static func locate(_ error: Error, in bytes: [UInt8]) -> (Int?, Int?, String?) {
        let info = (error as NSError).userInfo
        guard let debug = info["NSDebugDescription"] as? String else { return (nil, nil, nil) }
        var reason = debug
        if let r = debug.range(of: " around ") { reason = String(debug[..<r.lowerBound]) }
        if reason.hasSuffix(".") { reason.removeLast() }
        reason = Quote.visible(reason, limit: 120)
        if let line = number(after: "line ", in: debug), let column = number(after: "column ", in: debug) {
            return (line, column, reason)
        }
        if let offset = number(after: "character ", in: debug) {
            let (line, column) = TextPosition.lineAndColumn(of: offset, in: bytes)
            return (line, column, reason)
        }
        return (nil, nil, reason)
    }

    private static func number(after label: String, in text: String) -> Int? {
        guard let r = text.range(of: label) else { return nil }
        return Int(text[r.upperBound...].prefix { $0.isNumber })
    }
}

enum TextPosition {
    /// 1-based line and column of a byte offset.
    static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1, column = 1
        for b in bytes.prefix(max(0, offset)) {
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }

    /// The line of the first appearance of every object key, in one pass (a
    /// config with a hundred thousand keys must not cost a search per key).
    /// Keys written with escapes are not found, and get no line.
    static func jsonKeyLines(_ bytes: [UInt8]) -> [String: Int] {
        var lines: [String: Int] = [:]
        var line = 1
        var i = 0
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0A { line += 1 }
            guard b == quote else { i += 1; continue }
            let start = i + 1
            var j = start
            var escaped = false
            while j < bytes.count, bytes[j] != quote {
                if bytes[j] == backslash { escaped = true; j += 1 }
                if j < bytes.count, bytes[j] == 0x0A { line += 1 }
                j += 1
            }
            var k = j + 1
            while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0D || bytes[k] == 0x0A { k += 1 }
            if !escaped, j < bytes.count, k < bytes.count, bytes[k] == UInt8(ascii: ":") {
                let key = String(decoding: bytes[start..<j], as: UTF8.self)
                if lines[key] == nil { lines[key] = line }
            }
            i = j + 1
        }
        return lines
    }

    /// The line where `"key"` is first written as an object key, or nil.
    static func lineOfJSONKey(_ key: String, in bytes: [UInt8]) -> Int? {
        let needle = Array(("\"" + key + "\"").utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var line = 1
        var i = 0
        while i <= bytes.count - needle.count {
            if bytes[i] == 0x0A { line += 1 }
            if bytes[i] == needle[0], Array(bytes[i..<i + needle.count]) == needle {
                var j = i + needle.count
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0A || bytes[j] == 0x0D { j += 1 }
                if j < bytes.count, bytes[j] == UInt8(ascii: ":") { return line }
            }
            i += 1
        }
        return nil
    }
}
