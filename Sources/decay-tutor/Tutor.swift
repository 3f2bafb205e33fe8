import ArgumentParser
import DecayEngine
import DecayLessons
import DecayTUI
import TerminalUI
import Foundation

/// The interactive tutor (the default command).
struct Tutor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tutor",
        abstract: "Open the tutor in this terminal (the default).",
        shouldDisplay: false)

    @OptionGroup var lessons: LessonOptions
    @Argument(help: ArgumentHelp("Open this lesson step directly, as ID[:STEP].", valueName: "LESSON[:STEP]"))
    var reference: String?
    @Flag(help: "Draw with plain ASCII characters (no braille or box drawing).") var ascii = false

    /// `error:N` or `crash:N`: fail after N frames (debug builds only).
    static func fault(_ text: String?) -> App.Fault? {
        guard let parts = text?.split(separator: ":"), parts.count == 2, let n = Int(parts[1]) else { return nil }
        switch parts[0] {
        case "error": return .error(afterFrames: n)
        case "crash": return .crash(afterFrames: n)
        default: return nil
        }
    }

    func run() throws {
        // Refuse before reading anything, so a pipe gets the message at once.
        if let problem = TerminalSession.problemWithThisProcess() {
            Diagnostics.error(problem.description)
            throw ExitCode(problem.exitStatus)
        }
        let library = try lessons.load(strict: false)
        var target: (lesson: Int, step: Int)? = nil
        if let reference {
            do {
                let (lesson, step) = try library.resolve(reference)
                target = (library.lessons.firstIndex { $0.id == lesson.id }!, step ?? 0)
            } catch {
                throw Diagnostics.fail("\(error)", code: 64)
            }
        }
        try TerminalSession.runOrExit(options: .init(ascii: ascii)) { backend in
            let app = App(library: library, store: ProgressStore(), size: backend.size,
                          unicode: backend.capabilities.unicode, colors: backend.capabilities.colors)
            if let target { app.open(lesson: target.lesson, step: target.step) } else { app.resumeLast() }
            #if DEBUG
            app.injectedFault = Self.fault(ProcessInfo.processInfo.environment["DECAY_TUTOR_INJECT_FAULT"])
            #endif
            try app.loop(on: backend)
        }
    }
}
