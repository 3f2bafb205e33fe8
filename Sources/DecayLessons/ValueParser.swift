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
        var scan = Scan(scalars: scalars, i: start)
        while true {
            scan.skipSpace()
            if scan.atEnd { break }
            let failure = scan.expectValue ? scan.readValue() : scan.readSeparator()
            if let failure { return .failure(failure) }
        }
        if let top = scan.stack.last {
            return .failure(Failure(column: top.column + 1, message: "`\(top.call == nil ? "[" : "(")` is never closed"))
        }
        guard let result = scan.result else {
            return .failure(Failure(column: min(scan.i, max(scalars.count - 1, start)) + 1, message: "missing value after `=`"))
        }
        return .success(result)
    }

    /// The state of one parse: where it is, the lists still open, and
    /// whether a value or a separator comes next.
    private struct Scan {
        let scalars: [Unicode.Scalar]
        var i: Int
        var stack: [Frame] = []
        var result: BlockValue?
        var expectValue = true

        init(scalars: [Unicode.Scalar], i: Int) {
            self.scalars = scalars
            self.i = i
        }

        var atEnd: Bool { i >= scalars.count || scalars[i] == "#" }

        mutating func skipSpace() {
            while i < scalars.count, scalars[i] == " " || scalars[i] == "\t" { i += 1 }
        }

        func fail(_ at: Int, _ message: String) -> Failure { Failure(column: at + 1, message: message) }

        /// Places a finished value in its list, or as the result.
        mutating func emit(_ v: BlockValue) {
            expectValue = false
            if stack.isEmpty {
                result = v
            } else {
                stack[stack.count - 1].items.append(v)
            }
        }

        /// Where a value is expected: a list or call opening, an empty one
        /// closing, a string, a number or a word.
        mutating func readValue() -> Failure? {
            let c = scalars[i]
            if c == "[" || isWordStart(c) && wordFollowedByParen(scalars, i) { return open() }
            if (c == "]" || c == ")"), let top = stack.last, top.items.isEmpty, closes(c, top) {
                stack.removeLast()
                emit(top.call.map { .call($0, []) } ?? .list([]))
                i += 1
                return nil
            }
            if c == "\"" {
                switch quoted(scalars, from: i) {
                case let .failure(f): return f
                case let .success((text, end)):
                    emit(.string(text))
                    i = end
                    return nil
                }
            }
            if isNumberStart(c) { return number() }
            if isWordStart(c) {
                let w = string(scalars[i..<wordEnd(from: i)])
                i = wordEnd(from: i)
                let value: BlockValue = switch w {
                case "true", "on": .bool(true)
                case "false", "off": .bool(false)
                default: .word(w)
                }
                emit(value)
                return nil
            }
            if c == "," || c == "]" || c == ")" { return fail(i, "missing value before `\(c)`") }
            return fail(i, "unexpected character `\(printable(c))`")
        }

        /// `[` or `name(`: a new list or call, up to `maximumDepth` deep.
        private mutating func open() -> Failure? {
            guard stack.count < maximumDepth else { return fail(i, "lists nest at most \(maximumDepth) deep") }
            if scalars[i] == "[" {
                stack.append(Frame(column: i))
                i += 1
            } else {
                let j = wordEnd(from: i)
                stack.append(Frame(call: string(scalars[i..<j]), column: i))
                i = j + 1
            }
            return nil
        }

        private mutating func number() -> Failure? {
            var j = i
            while j < scalars.count, isWordPart(scalars[j]) || scalars[j] == "+" || scalars[j] == "-" { j += 1 }
            let text = string(scalars[i..<j])
            guard let v = Double(text), v.isFinite, !text.contains("_"), !text.lowercased().contains("x") else {
                return fail(i, "`\(excerpt(text))` is not a number")
            }
            emit(.number(v, text))
            i = j
            return nil
        }

        /// After a value: `,` for the next item, a closing bracket, or the end.
        mutating func readSeparator() -> Failure? {
            let c = scalars[i]
            if c == "," {
                guard !stack.isEmpty else { return fail(i, "unexpected `,`; lists are written `[a, b]`") }
                expectValue = true
                i += 1
                return nil
            }
            if c == "]" || c == ")" {
                guard let top = stack.last else { return fail(i, "unexpected `\(c)`: nothing to close") }
                guard closes(c, top) else {
                    return fail(i, "`\(c)` closes nothing: `\(top.call == nil ? "[" : "(")` at column \(top.column + 1) is still open")
                }
                stack.removeLast()
                emit(top.call.map { .call($0, top.items) } ?? .list(top.items))
                i += 1
                return nil
            }
            return fail(i, stack.isEmpty
                ? "unexpected text after the value; quote a value that has spaces"
                : "expected `,` or `\(stack.last!.call == nil ? "]" : ")")` here")
        }

        private func wordEnd(from start: Int) -> Int {
            var j = start
            while j < scalars.count, isWordPart(scalars[j]) { j += 1 }
            return j
        }
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
