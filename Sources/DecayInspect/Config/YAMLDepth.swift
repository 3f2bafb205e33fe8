/// A bound on how deeply a YAML file nests, checked before it is parsed:
/// the YAML composer recurses once per level, and `[[[[…` ten thousand deep
/// would overflow the stack. Real configs nest a handful of levels; the
/// estimate here (indentation + block sequence dashes + open flow brackets)
/// only ever over-counts, and its limit is far above any real file.
enum YAMLDepth {
    static let limit = 200

    static func check(_ text: String, path: String) throws {
        var scanner = Scanner()
        var lineNumber = 0
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let depth = scanner.scan(Array(line))
            if depth > limit {
                throw InspectError(path: path, line: lineNumber,
                                   message: "the config nests more than \(limit) levels deep",
                                   hint: "an Axolotl config is a mapping a few levels deep; this file is not one")
            }
        }
    }

    /// The state carried from line to line: open flow brackets, an open
    /// quoted string, a block scalar's indentation.
    struct Scanner {
        var flow = 0
        var quote: UInt8?
        var blockScalarIndent: Int?

        /// Scans one line; returns the deepest nesting seen on it.
        mutating func scan(_ line: [UInt8]) -> Int {
            let space = UInt8(ascii: " ")
            let indent = line.prefix { $0 == space }.count
            if let b = blockScalarIndent {
                if indent > b || line.allSatisfy({ $0 == space || $0 == 0x09 || $0 == 0x0D }) { return 0 }
                blockScalarIndent = nil
            }
            var deepest = indent + flow
            var dashes = 0
            var tokenStart = quote == nil
            var i = quote == nil ? indent : 0
            while i < line.count {
                let c = line[i]
                if let q = quote {
                    if c == q {
                        if q == UInt8(ascii: "'"), i + 1 < line.count, line[i + 1] == q { i += 2; continue }
                        quote = nil
                    } else if c == UInt8(ascii: "\\"), q == UInt8(ascii: "\"") {
                        i += 1
                    }
                    i += 1
                    continue
                }
                let next = i + 1 < line.count ? line[i + 1] : space
                switch c {
                case UInt8(ascii: "#") where i == 0 || line[i - 1] == space || line[i - 1] == 0x09:
                    return max(deepest, indent + dashes + flow)
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    if tokenStart { quote = c }
                    tokenStart = false
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    if tokenStart { flow += 1 }
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    if flow > 0 { flow -= 1 }
                    tokenStart = false
                case UInt8(ascii: ","):
                    tokenStart = flow > 0
                case UInt8(ascii: "-"), UInt8(ascii: "?"):
                    if tokenStart && (next == space || next == 0x09) {
                        if flow == 0 { dashes += 1 }
                    } else {
                        tokenStart = false
                    }
                case UInt8(ascii: ":") where next == space || next == 0x09 || i + 1 == line.count:
                    tokenStart = true
                case UInt8(ascii: "|"), UInt8(ascii: ">"):
                    if tokenStart && flow == 0 {
                        blockScalarIndent = indent
                        return max(deepest, indent + dashes)
                    }
                    tokenStart = false
                case space, 0x09:
                    break
                default:
                    tokenStart = false
                }
                deepest = max(deepest, indent + dashes + flow)
                i += 1
            }
            return deepest
        }
    }
}
