import Foundation

/// A string as a JSON literal, for the reports written by hand (history and
/// benchmark JSON are streamed, not built as objects, to keep long runs cheap).
package enum JSONString {
    package static func quoted(_ s: String) -> String {
        // Nothing to escape (nearly every name and label): quoted as is,
        // without a walk over its scalars (a table may have 200,000 names).
        let plain = s.utf8.withContiguousStorageIfAvailable {
            $0.allSatisfy { $0 >= 0x20 && $0 < 0x80 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        }
        if plain == true { return "\"" + s + "\"" }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
