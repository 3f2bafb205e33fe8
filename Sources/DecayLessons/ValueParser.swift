/// Parses the text after `=` into a `BlockValue`.
///
/// Lists nest on an explicit stack, never by recursion, and the depth is
/// capped: a line of ten thousand `[` is an error at its fifth bracket, not
/// a stack overflow.
enum ValueParser {
    static let maximumDepth = 4

    struct Failure: Error, Equatable {
        /// 1-based column in the line.
        var column: Int
        var message: String
    }

    private struct Frame {
        var call: String?
        var items: [BlockValue] = []
        var column: Int
    }

    /// - Parameters:
    ///   - scalars: the whole line.
    ///   - start: index of the first scalar after `=`.
    static func parse(_ scalars: [Unicode.Scalar], from start: Int) -> Result<BlockValue, Failure> {
        var i = start
        var stack: [Frame] = []
        var result: BlockValue?
        var expectValue = true
        let n = scalars.count

        func fail(_ at: Int, _ message: String) -> Result<BlockValue, Failure> {
            .failure(Failure(column: at + 1, message: message))
        }

        /// Places a finished value in its list, or as the result.
        func emit(_ v: BlockValue) -> Result<BlockValue, Failure>? {
            expectValue = false
            if stack.isEmpty {
                result = v
            } else {
                stack[stack.count - 1].items.append(v)
            }
            return nil
        }

        while true {
            while i < n, scalars[i] == " " || scalars[i] == "\t" { i += 1 }
            if i >= n || scalars[i] == "#" { break }
            let c = scalars[i]
            if expectValue {
                if c == "[" || isWordStart(c) && wordFollowedByParen(scalars, i) {
                    guard stack.count < maximumDepth else {
                        return fail(i, "lists nest at most \(maximumDepth) deep")
                    }
                    if c == "[" {
                        stack.append(Frame(column: i))
                        i += 1
                    } else {
                        var j = i
                        while j < n, isWordPart(scalars[j]) { j += 1 }
                        stack.append(Frame(call: string(scalars[i..<j]), column: i))
                        i = j + 1
                    }
                    continue
                }
                if (c == "]" || c == ")"), let top = stack.last, top.items.isEmpty, closes(c, top) {
                    stack.removeLast()
                    let value: BlockValue = top.call.map { .call($0, []) } ?? .list([])
                    if let r = emit(value) { return r }
                    i += 1
                    continue
                }
                if c == "\"" {
                    switch quoted(scalars, from: i) {
                    case let .failure(f): return .failure(f)
                    case let .success((text, end)):
                        if let r = emit(.string(text)) { return r }
                        i = end
                    }
                    continue
                }
                if isNumberStart(c) {
                    var j = i
                    while j < n, isWordPart(scalars[j]) || scalars[j] == "+" || scalars[j] == "-" { j += 1 }
                    let text = string(scalars[i..<j])
                    guard let v = Double(text), v.isFinite, !text.contains("_"), !text.lowercased().contains("x") else {
                        return fail(i, "`\(excerpt(text))` is not a number")
                    }
                    if let r = emit(.number(v, text)) { return r }
                    i = j
                    continue
                }
                if isWordStart(c) {
                    var j = i
                    while j < n, isWordPart(scalars[j]) { j += 1 }
                    let w = string(scalars[i..<j])
                    let value: BlockValue = switch w {
                    case "true", "on": .bool(true)
                    case "false", "off": .bool(false)
                    default: .word(w)
                    }
                    if let r = emit(value) { return r }
                    i = j
                    continue
                }
                if c == "," || c == "]" || c == ")" {
                    return fail(i, "missing value before `\(c)`")
                }
                return fail(i, "unexpected character `\(printable(c))`")
            } else {
                if c == "," {
                    guard !stack.isEmpty else { return fail(i, "unexpected `,`; lists are written `[a, b]`") }
                    expectValue = true
                    i += 1
                    continue
                }
                if c == "]" || c == ")" {
                    guard let top = stack.last else { return fail(i, "unexpected `\(c)`: nothing to close") }
                    guard closes(c, top) else {
                        return fail(i, "`\(c)` closes nothing: `\(top.call == nil ? "[" : "(")` at column \(top.column + 1) is still open")
                    }
                    stack.removeLast()
                    let value: BlockValue = top.call.map { .call($0, top.items) } ?? .list(top.items)
                    if let r = emit(value) { return r }
                    i += 1
                    continue
                }
                return fail(i, stack.isEmpty
                    ? "unexpected text after the value; quote a value that has spaces"
                    : "expected `,` or `\(stack.last!.call == nil ? "]" : ")")` here")
            }
        }
        if let top = stack.last {
            return fail(top.column, "`\(top.call == nil ? "[" : "(")` is never closed")
        }
        guard let result else { return fail(min(i, max(n - 1, start)), "missing value after `=`") }
        return .success(result)

    }

    /// A quoted string starting at `start` (the opening quote): its text
    /// and the index after the closing quote.
    static func quoted(_ scalars: [Unicode.Scalar], from start: Int) -> Result<(String, Int), Failure> {
        var text = String.UnicodeScalarView()
        var j = start + 1
        let n = scalars.count
        while j < n {
            let d = scalars[j]
            if d == "\"" { return .success((String(text), j + 1)) }
            if d == "\\" {
                guard j + 1 < n else { break }
                let e = scalars[j + 1]
                guard e == "\"" || e == "\\" else {
                    return .failure(Failure(
                        column: j + 1, message: "unknown escape `\\\(printable(e))` in a string; only \\\" and \\\\ are escapes"))
                }
                text.append(e)
                j += 2
                continue
            }
            text.append(d)
            j += 1
        }
        return .failure(Failure(column: start + 1, message: "string is not closed: a `\"` is missing"))
    }

    private static func closes(_ c: Unicode.Scalar, _ frame: Frame) -> Bool {
        (c == "]") == (frame.call == nil)
    }

    private static func wordFollowedByParen(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
        var j = i
        while j < s.count, isWordPart(s[j]) { j += 1 }
        return j < s.count && s[j] == "("
    }

    static func isWordStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    static func isWordPart(_ c: Unicode.Scalar) -> Bool {
        isWordStart(c) || (c >= "0" && c <= "9") || c == "." || c == "-"
    }

    private static func isNumberStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "0" && c <= "9") || c == "." || c == "-" || c == "+"
    }

    static func string(_ s: ArraySlice<Unicode.Scalar>) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: s)
        return String(v)
    }

    /// A character as a message can show it (control characters are escaped).
    static func printable(_ c: Unicode.Scalar) -> String {
        c.properties.generalCategory == .control || c.properties.generalCategory == .format
            ? "U+" + String(c.value, radix: 16, uppercase: true) : String(c)
    }
}
