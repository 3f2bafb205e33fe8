import Foundation

// Build-time tool behind the EmbedLessons plugin: writes a Swift source that
// holds the given lesson files' text, so the binary carries its lessons and
// Lessons/*.md stays the only copy in the repository.
//
//   embed-lessons OUTPUT.swift FILE.md...

/// A Swift string literal for `text` that reads back byte for byte:
/// quotes, backslashes and every control character are escaped.
func literal(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("embed-lessons: error: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else { fail("usage: embed-lessons OUTPUT.swift FILE.md...") }
var entries: [String] = []
for path in arguments.dropFirst() {
    guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot read the file") }
    guard let text = String(data: data, encoding: .utf8) else { fail("\(path): not UTF-8 text") }
    let name = (path as NSString).lastPathComponent
    entries.append("    BuiltinLessonFile(name: \(literal(name)), text: \(literal(text))),")
}
let source = """
    // Generated at build time by the EmbedLessons plugin from Lessons/*.md; not committed.
    extension BuiltinLessonFile {
        static let generated: [BuiltinLessonFile] = [
    \(entries.joined(separator: "\n"))
        ]
    }

    """
do {
    try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
} catch {
    fail("\(output): \(error.localizedDescription)")
}
