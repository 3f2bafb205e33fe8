import ArgumentParser
import DecayLessons
import Foundation

extension DecayTutor {
    /// `decay-tutor cheatsheet`: every lesson's key points and the PyTorch,
    /// Hugging Face and Axolotl lines that do what it taught, in lesson order.
    struct CheatsheetCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cheatsheet",
            abstract: "Print each lesson's key points with its PyTorch, Hugging Face and Axolotl snippets.",
            discussion: """
                Prose wraps to the terminal's width (else $COLUMNS, else 80); code keeps its \
                lines. Bold and colour only on a terminal, and not with NO_COLOR. The snippets \
                are checked against the real libraries by scripts/check_snippets.py.
                """)

        @OptionGroup var lessons: LessonOptions
        @Option(name: .customLong("lesson"), help: ArgumentHelp("Only this lesson (an id or a number); repeatable.", valueName: "ID"))
        var only: [String] = []
        @Flag(help: "Print a JSON array of {\"id\", \"title\", \"summary\", \"key_points\", \"snippets\": [{\"library\", \"language\", \"caption\", \"code\"}]}.")
        var json = false
        @Flag(help: "Spell symbols in plain ASCII (λ as lambda), as on a terminal whose locale is not UTF-8.")
        var ascii = false

        func run() throws {
            let library = try lessons.load(strict: false)
            var chosen: [(number: Int, lesson: Lesson)] = []
            for reference in only {
                do {
                    let lesson = try library.resolve(reference).lesson
                    let number = (library.lessons.firstIndex(of: lesson) ?? 0) + 1
                    if !chosen.contains(where: { $0.number == number }) { chosen.append((number, lesson)) }
                } catch {
                    throw CommandFailure(message: "--lesson: \(error)", status: ExitStatus.usage)
                }
            }
            if only.isEmpty { chosen = library.lessons.enumerated().map { ($0.offset + 1, $0.element) } }
            chosen.sort { $0.number < $1.number }
            if json {
                try StandardOutput.write(try Self.json(chosen.map(\.lesson)))
            } else {
                let io = CommandIO.current
                let styled = io.outputIsTerminal && (io.environment["NO_COLOR"] ?? "").isEmpty && io.environment["TERM"] != "dumb"
                let text = CheatsheetText(width: max(40, TextOutput.width()), styled: styled,
                                          ascii: ascii || !TextOutput.localeIsUTF8())
                try StandardOutput.write(text.render(chosen))
            }
            if !library.errors.isEmpty { throw ExitCode(ExitStatus.dataError) }
        }

        static func json(_ lessons: [Lesson]) throws -> String {
            let items = lessons.map { lesson -> [String: Any] in
                [
                    "id": lesson.id, "title": lesson.title, "summary": lesson.summary ?? "",
                    "key_points": lesson.keyPoints,
                    "snippets": lesson.snippets.map {
                        ["library": $0.library.rawValue, "language": $0.library.language, "caption": $0.caption, "code": $0.code]
                    },
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }
}
