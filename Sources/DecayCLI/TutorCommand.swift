import TextSupport
import ArgumentParser
import DecayEngine
import DecayLessons
import DecayTUI
import TerminalUI
import Foundation

extension DecayTutor {
    /// The interactive tutor (the default command).
    struct TutorCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tutor",
            abstract: "Open the tutor in this terminal (the default).",
            shouldDisplay: false)

        @OptionGroup var lessons: LessonOptions
        @Argument(help: ArgumentHelp("Open this lesson step directly, as ID[:STEP].", valueName: "LESSON[:STEP]"))
        var reference: String?
        @Flag(help: "Draw with plain ASCII characters (no braille or box drawing).") var ascii = false

        /// `error:N` or `crash:N` in DECAY_TUTOR_INJECT_FAULT: fail after N
        /// frames, so the end-to-end tests can check that the terminal is
        /// restored after an internal error or a crash of the real binary
        /// (in every build: CI tests the optimized one it ships).
        static func fault(_ text: String?) -> App.Fault? {
            guard let parts = text?.split(separator: ":"), parts.count == 2, let n = Int(parts[1]) else { return nil }
            switch parts[0] {
            case "error": return .error(afterFrames: n)
            case "crash": return .crash(afterFrames: n)
            default: return nil
            }
        }

        func run() throws {
            // Refuse before reading anything, so a pipe gets the message at once
            // (a mistyped command is said as one first). An unknown lesson, or a
            // --lessons folder that cannot be read, is the same status with or
            // without a terminal: it is checked before the terminal is.
            if let reference { try Self.refuseMistypedCommand(reference) }
            let library = try lessons.library()
            var target: (lesson: Int, step: Int)? = nil
            if let reference {
                do {
                    let (lesson, step) = try library.resolve(reference)
                    target = (library.lessons.firstIndex { $0.id == lesson.id }!, step ?? 0)
                } catch {
                    let command = reference.contains(":") ? "" : " (nor a command: see `decay-tutor --help`)"
                    throw CommandFailure(message: "\(error)\(command)", status: ExitStatus.usage)
                }
            }
            let io = CommandIO.current
            if let problem = TerminalSession.problem(stdinIsTerminal: io.inputIsTerminal, stdoutIsTerminal: io.outputIsTerminal,
                                                     term: io.environment["TERM"]) {
                throw CommandFailure(message: String(problem.description.dropFirst("decay-tutor: ".count)), status: problem.exitStatus)
            }
            Pretraining.report = nil  // the full screen owns the terminal
            for error in library.errors { ErrorOutput.line(error.description) }
            let store = ProgressAccess.forTutor(lessons: library.lessons)
            try TerminalSession.runOrExit(options: .init(ascii: ascii)) { backend in
                let app = App(library: library, store: store, size: backend.size,
                              unicode: backend.capabilities.unicode, colors: backend.capabilities.colors,
                              learnerSeed: QuestionOrder.learnerSeed(NSUserName() + ":" + NSHomeDirectory()))
                if let target { app.open(lesson: target.lesson, step: target.step) } else { app.resumeLast() }
                app.injectedFault = Self.fault(io.environment["DECAY_TUTOR_INJECT_FAULT"])
                try app.loop(on: backend)
            }
        }

        /// `decay-tutor lsit` is a mistyped command, not a lesson to open.
        static func refuseMistypedCommand(_ reference: String) throws {
            guard !reference.contains(":"), Int(reference) == nil else { return }
            let commands = DecayTutor.configuration.subcommands.map { $0._commandName }.filter { $0 != "tutor" }
            guard let near = Suggestion.closest(to: reference, among: commands) else { return }
            let library = (try? LessonOptions.library(nil)) ?? LessonLibrary(lessons: [])
            guard library.lesson(id: reference) == nil else { return }
            throw CommandFailure(message: "unknown command `\(reference)`; did you mean `decay-tutor \(near)`? "
                                 + "(see `decay-tutor --help`)", status: ExitStatus.usage)
        }
    }
}
