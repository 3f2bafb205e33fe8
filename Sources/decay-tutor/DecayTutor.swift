import ArgumentParser
import DecayEngine
import DecayLessons
import DecayTUI
import TerminalUI
import Foundation

@main
struct DecayTutor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decay-tutor",
        abstract: "An interactive terminal tutor for weight decay: L2 vs decoupled decay, dropout, what to exclude, tuning λ.",
        discussion: """
            Run without a subcommand to open the tutor in this terminal:

              decay-tutor [LESSON[:STEP]] [--ascii] [--lessons DIR]

            LESSON[:STEP] opens a step directly (overfitting:2, or 1:2); --ascii draws \
            with plain characters; NO_COLOR turns colour off. The other commands work \
            without a terminal: for scripts, tests, and taking an experiment to PyTorch.
            """,
        subcommands: [Tutor.self, List.self, Run.self, Export.self, Check.self, Inspect.self, BenchCommand.self, ResetProgress.self],
        defaultSubcommand: Tutor.self)
}

/// Options every lesson-reading command shares.
struct LessonOptions: ParsableArguments {
    @Option(name: .customLong("lessons"), help: ArgumentHelp("The folder of lesson files.", valueName: "DIR"))
    var directory: String?

    /// The lessons: --lessons DIR, else $DECAY_TUTOR_LESSONS, else the ones
    /// built into the binary, so it runs from any folder.
    func library() -> LessonLibrary { Self.library(directory) }

    static func library(_ directory: String?) -> LessonLibrary {
        var folder = directory
        if folder == nil, let env = ProcessInfo.processInfo.environment["DECAY_TUTOR_LESSONS"], !env.isEmpty { folder = env }
        guard let folder else { return LessonLibrary.builtin }
        return LessonLibrary.load(directory: URL(fileURLWithPath: folder).path)
    }

    /// Loads the library, printing every located error to stderr. With
    /// `strict`, any error ends the command with status 65 (data error).
    func load(strict: Bool) throws -> LessonLibrary {
        let library = library()
        for error in library.errors { Diagnostics.error(error.description) }
        if strict && !library.errors.isEmpty { throw ExitCode(65) }
        return library
    }
}

enum Diagnostics {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
    }

    static func fail(_ message: String, code: Int32) -> ExitCode {
        error("decay-tutor: " + message)
        return ExitCode(code)
    }
}
