/// Finds the bodies of Swift functions and how many lines each spans, by
/// matching braces in code with its comments and string literals blanked out.
///
/// What counts as a function: the body of a `func`, `init`, `deinit` or
/// `subscript` declaration, and of a computed property (`var name: T {`).
/// A nested function is counted on its own and as part of the one around it.
/// Length is from the declaration's keyword line to the closing brace's line,
/// both included (so attributes and doc comments above do not count).
///
/// Limits, stated because the scanner does not parse Swift:
/// - bare regex literals (`/a{2}/`) are read as code, so a brace or quote
///   inside one would confuse it (the project uses none; `Regex(...)` and
///   `#/.../#` would be fine in a string or as extended delimiters aside);
/// - `#if` branches with unbalanced braces between them are miscounted;
/// - a declaration keyword used as an identifier in backticks (`` `init` ``)
///   is skipped, but one spelled as a plain label (`init:`) is not a
///   declaration because no body follows before the next declaration.
struct SwiftSourceScanner {
    struct Function: Equatable {
        var name: String
        /// 1-based line of the declaration keyword.
        var line: Int
        var lineCount: Int
    }

    /// The source with every comment and string literal (interpolations
    /// included) replaced by spaces; newlines are kept, so lines still match.
    static func blankCommentsAndStrings(_ source: String) -> [Unicode.Scalar] {
        let s = Array(source.unicodeScalars)
        var out = s
        var i = 0
        func blank(_ range: Range<Int>) {
            for k in range where out[k] != "\n" { out[k] = " " }
        }
        while i < s.count {
            if starts(s, i, "//") {
                var j = i
                while j < s.count, s[j] != "\n" { j += 1 }
                blank(i..<j)
                i = j
            } else if starts(s, i, "/*") {
                let j = endOfBlockComment(s, from: i)
                blank(i..<j)
                i = j
            } else if let j = endOfStringLiteral(s, from: i) {
                blank(i..<j)
                i = j
            } else {
                i += 1
            }
        }
        return out
    }

    /// The functions in `source`.
    static func functions(in source: String) -> [Function] {
        let code = blankCommentsAndStrings(source)
        var lineOf = [Int](repeating: 1, count: code.count + 1)
        var line = 1
        for (k, c) in code.enumerated() {
            lineOf[k] = line
            if c == "\n" { line += 1 }
        }
        lineOf[code.count] = line
        var found: [Function] = []
        var i = 0
        while i < code.count {
            guard isIdentifierStart(code[i]), i == 0 || !isIdentifierPart(code[i - 1]) else { i += 1; continue }
            var j = i
            while j < code.count, isIdentifierPart(code[j]) { j += 1 }
            let word = String(String.UnicodeScalarView(code[i..<j]))
            defer { i = j }
            let afterDot = previousNonSpace(code, before: i).map { $0 == "." || $0 == "`" } ?? false
            guard !afterDot, let kind = DeclarationKind(rawValue: word) else { continue }
            guard let open = bodyStart(code, after: j, kind: kind),
                  let close = matchingBrace(code, open) else { continue }
            let name = kind == .func || kind == .var ? nextWord(code, from: j) ?? word : word
            found.append(Function(name: name, line: lineOf[i], lineCount: lineOf[close] - lineOf[i] + 1))
        }
        return found
    }

    private enum DeclarationKind: String {
        case `func`, `init`, `deinit`, `subscript`, `var`
    }

    /// Where the body's `{` is, or nil for a declaration without a body
    /// (a protocol requirement, a stored property). Parentheses, brackets and
    /// angle brackets are skipped, so default values and closure types in a
    /// signature never count as the body.
    private static func bodyStart(_ code: [Unicode.Scalar], after start: Int, kind: DeclarationKind) -> Int? {
        var depth = 0
        var k = start
        while k < code.count {
            let c = code[k]
            switch c {
            case "(", "[": depth += 1
            case ")", "]":
                depth -= 1
                if depth < 0 { return nil }   // `init` as an argument label inside a call
            case "{" where depth == 0: return k
            case "}" where depth == 0, ";" where depth == 0: return nil
            case "=" where depth == 0 && kind == .var:
                // A stored property's initial value (`var x = …`, `var x: T = …`).
                return nil
            case "\n" where depth == 0 && kind == .var:
                // A computed property opens its body on its own line; a
                // stored one (`var total: Int`) has no body to find further on.
                return nil
            case "\n" where depth == 0:
                // A declaration's signature may run over several lines, but a
                // new declaration at the start of the next line ends it.
                if let w = nextWord(code, from: k + 1), startsDeclaration(w) { return nil }
            default: break
            }
            k += 1
        }
        return nil
    }

    private static func startsDeclaration(_ word: String) -> Bool {
        ["func", "init", "deinit", "subscript", "var", "let", "case", "struct", "class", "enum",
         "protocol", "extension", "typealias", "associatedtype", "public", "private", "fileprivate",
         "internal", "static", "mutating", "nonmutating", "override", "final", "open", "@"].contains(word)
            || word.hasPrefix("@")
    }

    private static func matchingBrace(_ code: [Unicode.Scalar], _ open: Int) -> Int? {
        var depth = 0
        for k in open..<code.count {
            if code[k] == "{" { depth += 1 }
            if code[k] == "}" {
                depth -= 1
                if depth == 0 { return k }
            }
        }
        return nil
    }

    /// The next word (identifier, or `@attribute`) from `start` on, skipping spaces.
    private static func nextWord(_ code: [Unicode.Scalar], from start: Int) -> String? {
        var k = start
        while k < code.count, code[k] == " " || code[k] == "\t" || code[k] == "\n" { k += 1 }
        let begin = k
        if k < code.count, code[k] == "@" { k += 1 }
        while k < code.count, isIdentifierPart(code[k]) { k += 1 }
        return k > begin ? String(String.UnicodeScalarView(code[begin..<k])) : nil
    }

    private static func previousNonSpace(_ code: [Unicode.Scalar], before index: Int) -> Unicode.Scalar? {
        var k = index - 1
        while k >= 0, code[k] == " " || code[k] == "\t" { k -= 1 }
        return k >= 0 ? code[k] : nil
    }

    // MARK: - Lexing comments and strings

    private static func starts(_ s: [Unicode.Scalar], _ i: Int, _ text: String) -> Bool {
        let t = Array(text.unicodeScalars)
        return i + t.count <= s.count && Array(s[i..<(i + t.count)]) == t
    }

    /// The index after a block comment starting at `i`; Swift's nest.
    private static func endOfBlockComment(_ s: [Unicode.Scalar], from i: Int) -> Int {
        var depth = 0
        var k = i
        while k < s.count {
            if starts(s, k, "/*") { depth += 1; k += 2; continue }
            if starts(s, k, "*/") {
                depth -= 1
                k += 2
                if depth == 0 { return k }
                continue
            }
            k += 1
        }
        return s.count
    }

    /// If a string literal (`"…"`, `"""…"""`, with any number of `#`) starts
    /// at `i`, the index after it; interpolations are lexed as code, so a
    /// string inside one (`"\(x ? ")" : "(")"`) does not end the outer one.
    private static func endOfStringLiteral(_ s: [Unicode.Scalar], from i: Int) -> Int? {
        var k = i
        while k < s.count, s[k] == "#" { k += 1 }
        let hashes = k - i
        guard k < s.count, s[k] == "\"" else { return nil }
        if hashes == 0, i > 0, isIdentifierPart(s[i - 1]) { return nil }
        let multiline = starts(s, k, "\"\"\"")
        let quote = multiline ? "\"\"\"" : "\""
        let close = Array((quote + String(repeating: "#", count: hashes)).unicodeScalars)
        let escape = Array(("\\" + String(repeating: "#", count: hashes)).unicodeScalars)
        k += quote.unicodeScalars.count
        while k < s.count {
            if starts(s, k, String(String.UnicodeScalarView(close))) { return k + close.count }
            if !multiline, s[k] == "\n" { return k }   // unterminated: stop at the line's end
            if starts(s, k, String(String.UnicodeScalarView(escape))) {
                k += escape.count
                if k < s.count, s[k] == "(" {
                    k = endOfInterpolation(s, from: k)
                } else {
                    k += 1
                }
                continue
            }
            k += 1
        }
        return s.count
    }

    /// The index after the `)` that closes the interpolation whose `(` is at `open`.
    private static func endOfInterpolation(_ s: [Unicode.Scalar], from open: Int) -> Int {
        var depth = 0
        var k = open
        while k < s.count {
            if let end = endOfStringLiteral(s, from: k) { k = end; continue }
            if starts(s, k, "/*") { k = endOfBlockComment(s, from: k); continue }
            if s[k] == "(" { depth += 1 }
            if s[k] == ")" {
                depth -= 1
                if depth == 0 { return k + 1 }
            }
            k += 1
        }
        return s.count
    }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic
    }

    private static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
        isIdentifierStart(c) || c.properties.numericType != nil
    }
}
