/// One pass over a safetensors header's JSON, byte by byte, that hands each
/// value to the caller as it is met instead of building a tree of the whole
/// header: a tensor's fields go straight into the few numbers and strings
/// `SafetensorsHeader` keeps, and everything else is checked for syntax and
/// skipped. Memory stays a small multiple of the header's bytes and time
/// linear in its length, where a tree of Foundation objects took about 60×
/// the bytes.
///
/// It accepts exactly RFC 8259 JSON in UTF-8 (as the safetensors library's
/// own reader does), nested at most `maximumDepth` deep; anything else is an
/// error located by line and column.
struct SafetensorsHeaderScanner {
    /// What a value is, for "is a string, not a list" messages.
    enum Kind {
        case null, bool, number(JSONNumber), string, array, object

        /// The same words as `JSONValue.kindName`, which holds them.
        var name: String {
            switch self {
            case .null: return JSONValue.null.kindName
            case .bool: return JSONValue.bool(false).kindName
            case .number(let n): return JSONValue.number(n).kindName
            case .string: return JSONValue.string("").kindName
            case .array: return JSONValue.array([]).kindName
            case .object: return JSONValue.object([:]).kindName
            }
        }
    }

    struct SyntaxError: Error {
        var offset: Int
        var reason: String
    }

    static let maximumDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var offset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    // MARK: - Structure

    /// The next non-space byte, not consumed (nil at the end).
    mutating func peek() -> UInt8? {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0A, 0x0D: offset += 1
            default: return bytes[offset]
            }
        }
        return nil
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard peek() == byte else { throw fail(peek() == nil ? "the header ends where \(what) was expected" : "expected \(what)") }
        offset += 1
    }

    /// Calls `member` with each key of the object that starts here; `member`
    /// must consume the key's value.
    mutating func object(depth: Int, _ member: (inout SafetensorsHeaderScanner, String) throws -> Void) throws {
        guard depth < Self.maximumDepth else { throw fail("nested more than \(Self.maximumDepth) levels deep") }
        try expect(UInt8(ascii: "{"), "`{`")
        if peek() == UInt8(ascii: "}") { offset += 1; return }
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
            let key = try string()
            try expect(UInt8(ascii: ":"), "`:` after a key")
            try member(&self, key)
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"): offset += 1; return
            case nil: throw fail("the header ends inside an object")
            default: throw fail("expected `,` or `}` in an object")
            }
        }
    }

    /// Calls `element` for each element of the array that starts here;
    /// `element` must consume the element.
    mutating func array(depth: Int, _ element: (inout SafetensorsHeaderScanner) throws -> Void) throws {
        guard depth < Self.maximumDepth else { throw fail("nested more than \(Self.maximumDepth) levels deep") }
        try expect(UInt8(ascii: "["), "`[`")
        if peek() == UInt8(ascii: "]") { offset += 1; return }
        while true {
            try element(&self)
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"): offset += 1; return
            case nil: throw fail("the header ends inside a list")
            default: throw fail("expected `,` or `]` in a list")
            }
        }
    }

    /// Checks and skips one value of any kind, and says what it was.
    @discardableResult
    mutating func skipValue(depth: Int) throws -> Kind {
        switch peek() {
        case UInt8(ascii: "{"):
            try object(depth: depth + 1) { s, _ in try s.skipValue(depth: depth + 1) }
            return .object
        case UInt8(ascii: "["):
            try array(depth: depth + 1) { s in try s.skipValue(depth: depth + 1) }
            return .array
        case UInt8(ascii: "\""):
            try skipString()
            return .string
        case UInt8(ascii: "t"): try literal("true"); return .bool
        case UInt8(ascii: "f"): try literal("false"); return .bool
        case UInt8(ascii: "n"): try literal("null"); return .null
        case nil: throw fail("the header ends where a value was expected")
        default: return .number(try number())
        }
    }

    private mutating func literal(_ word: String) throws {
        for b in word.utf8 {
            guard offset < bytes.count, bytes[offset] == b else { throw fail("expected a value") }
            offset += 1
        }
    }

    // MARK: - Numbers

    /// A number as RFC 8259 writes it; an integer when written without a
    /// fraction or exponent and within `Int`.
    mutating func number() throws -> JSONNumber {
        let start = offset
        func digits() -> Int {
            let from = offset
            while offset < bytes.count, bytes[offset] >= 0x30, bytes[offset] <= 0x39 { offset += 1 }
            return offset - from
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        let firstDigit = offset
        guard digits() > 0 else { throw fail("expected a value") }
        if bytes[firstDigit] == 0x30, offset - firstDigit > 1 { throw fail("a number has a leading zero") }
        var integral = true
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            integral = false
            guard digits() > 0 else { throw fail("expected digits after the decimal point") }
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            integral = false
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard digits() > 0 else { throw fail("expected digits in the exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        if integral, let value = Int(text) {
            return JSONNumber(double: Double(value), integer: value, text: text)
        }
        let double = Double(text) ?? .nan
        return JSONNumber(double: double, integer: nil, text: integral ? text : "\(double)")
    }

    // MARK: - Strings

    /// A string's text: escapes decoded, UTF-8 checked.
    mutating func string() throws -> String {
        let (start, end, escaped) = try stringExtent()
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
        guard escaped else {
            guard let text = Self.text(raw) else { throw fail("a string is not valid UTF-8", at: start) }
            return text
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(raw.count)
        var i = start
        while i < end {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\") else { decoded.append(b); i += 1; continue }
            i += 1
            switch bytes[i] {
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                let scalar = try unicodeEscape(at: &i)
                decoded.append(contentsOf: String(Character(scalar)).utf8)
                continue
            default: decoded.append(bytes[i])   // `"`, `\` and `/`, checked by stringExtent
            }
            i += 1
        }
        guard let text = String(validating: decoded, as: UTF8.self) else { throw fail("a string is not valid UTF-8", at: start) }
        return text
    }

    /// The bytes as text, nil if they are not UTF-8. ASCII, as nearly every
    /// name is, skips the generic validator (a third of the parse's time
    /// on a header of 200,000 names).
    static func text(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        if raw.allSatisfy({ $0 < 0x80 }) { return String(decoding: raw, as: UTF8.self) }
        return String(validating: raw, as: UTF8.self)
    }

    mutating func skipString() throws {
        let (start, end, escaped) = try stringExtent()
        guard escaped else {
            guard Self.text(UnsafeBufferPointer(rebasing: bytes[start..<end])) != nil else {
                throw fail("a string is not valid UTF-8", at: start)
            }
            return
        }
        offset = start - 1
        _ = try string()
    }

    /// The bytes between the quotes of the string that starts here, and
    /// whether it has escapes; leaves `offset` after the closing quote.
    private mutating func stringExtent() throws -> (start: Int, end: Int, escaped: Bool) {
        offset += 1
        let start = offset
        var escaped = false
        while offset < bytes.count {
            let b = bytes[offset]
            if b == UInt8(ascii: "\"") {
                offset += 1
                return (start, offset - 1, escaped)
            }
            if b < 0x20 { throw fail("a control character inside a string (write it as an escape)") }
            if b == UInt8(ascii: "\\") {
                escaped = true
                guard offset + 1 < bytes.count else { break }
                switch bytes[offset + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"), UInt8(ascii: "u"):
                    offset += 2
                    continue
                default:
                    throw fail("an invalid escape `\\\(Character(Unicode.Scalar(bytes[offset + 1])))` in a string", at: offset)
                }
            }
            offset += 1
        }
        throw fail("the header ends inside a string", at: start - 1)
    }

    /// `\uXXXX` (a surrogate pair as two of them) at `i`, which points at the `u`.
    private func unicodeEscape(at i: inout Int) throws -> Unicode.Scalar {
        func hex(_ at: Int) throws -> UInt32 {
            var v: UInt32 = 0
            for k in 0..<4 {
                guard at + k < bytes.count, let d = Character(Unicode.Scalar(bytes[at + k])).hexDigitValue else {
                    throw fail("a `\\u` escape needs four hex digits", at: at)
                }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        let high = try hex(i + 1)
        i += 5
        if (0xD800..<0xDC00).contains(high) {
            guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                throw fail("a `\\u` escape is half of a surrogate pair", at: i - 6)
            }
            let low = try hex(i + 2)
            guard (0xDC00..<0xE000).contains(low) else { throw fail("a `\\u` escape is half of a surrogate pair", at: i - 6) }
            i += 6
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
        }
        guard let scalar = Unicode.Scalar(high) else { throw fail("a `\\u` escape is half of a surrogate pair", at: i - 6) }
        return scalar
    }

    // MARK: - Errors

    func fail(_ reason: String, at position: Int? = nil) -> SyntaxError {
        SyntaxError(offset: position ?? offset, reason: reason)
    }
}
