import ArgumentParser
import DecayEngine
import DecayLessons
import DecayTUI
import TerminalUI
import Foundation
import TextSupport

struct DecayTutor: ParsableCommand {
    /// The release this binary is; `--version` prints it.
    static let version = "1.0.0"

    static let configuration = CommandConfiguration(
        commandName: "decay-tutor",
        abstract: "An interactive terminal tutor for weight decay: L2 vs decoupled decay, dropout, what to exclude, tuning λ.",
        discussion: """
            Run without a subcommand to open the tutor in this terminal:

              decay-tutor [LESSON[:STEP]] [--ascii] [--lessons DIR]

            LESSON[:STEP] opens a step directly (overfitting:2, or 1:2); --ascii draws \
            with plain characters; NO_COLOR turns colour off. The other commands work \
            without a terminal: for scripts, tests, and taking an experiment to PyTorch.

            Exit statuses: 0 success; 2 no usable terminal for the tutor; 3 a run diverged (run, export: the output is complete); 64 bad command \
            line; 65 a lesson file has errors (or an experiment is too large to run); \
            66 a file or folder given (--lessons, check, inspect) cannot be read; 73 an export target exists or cannot be created; 74 output or a file could \
            not be written; 77 progress exists but cannot be read or replaced by this \
            user; 128+N ended by signal N (141: the reader of a pipe went away).
            """,
        version: "decay-tutor \(version)",
        subcommands: [
            TutorCommand.self, ListCommand.self, RunCommand.self, ExportCommand.self,
            CheckCommand.self, InspectCommand.self, CheatsheetCommand.self, BenchCommand.self, ResetProgressCommand.self,
        ],
        defaultSubcommand: TutorCommand.self)

    /// Pretrained models are cached in `pretrain/` beside the progress file
    /// (the XDG state folder); a damaged cache file is reported on stderr
    /// (not inside the full-screen tutor, which keeps the terminal) and
    /// retrained. Process-wide, so the process entry sets it, once.
    static func configurePretrainingCache() {
        if case let .success(url) = ProgressStore.location(environment: CommandIO.current.environment) {
            Pretraining.cacheDirectory = url.deletingLastPathComponent().appendingPathComponent("pretrain")
        }
        Pretraining.report = { ErrorOutput.line("decay-tutor: " + $0) }
    }

    /// Parses and runs a command line against `CommandIO.current`, and
    /// returns the documented status: every message through the checked
    /// writers, never an unchecked `print`.
    static func runCommand(_ arguments: [String]) -> Int32 {
        do {
            try refuseHelpForUnknownCommand(arguments)
            var command = try parseAsRoot(arguments)
            try command.run()
            return ExitStatus.success
        } catch let failure as CommandFailure {
            ErrorOutput.line("decay-tutor: " + failure.message)
            return failure.status
        } catch let failure as OutputFailure {
            ErrorOutput.line("decay-tutor: \(failure)")
            return ExitStatus.ioError
        } catch {
            let status = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            guard !message.isEmpty else { return status }
            guard status == 0 else {
                ErrorOutput.line(message)
                return status
            }
            do {
                try StandardOutput.line(message)   // --help, --version
            } catch {
                ErrorOutput.line("decay-tutor: \(error)")
                return ExitStatus.ioError
            }
            return status
        }
    }
}

extension DecayTutor {
    /// `decay-tutor help bogus` is an unknown command (64), as `decay-tutor
    /// bogus --help` is, not the top-level help with status 0.
    static func refuseHelpForUnknownCommand(_ arguments: [String]) throws {
        guard arguments.first == "help", arguments.count > 1, let name = arguments.dropFirst().first(where: { !$0.hasPrefix("-") })
        else { return }
        let commands = configuration.subcommands.map { $0._commandName }.filter { $0 != "tutor" }
        guard !commands.contains(name) else { return }
        let near = Suggestion.closest(to: name, among: commands).map { "did you mean `decay-tutor help \($0)`? " } ?? ""
        throw CommandFailure(message: "unknown command `\(name)`; \(near)the commands are \(commands.joined(separator: ", "))",
                             status: ExitStatus.usage)
    }
}

/// Options every lesson-reading command shares.
struct LessonOptions: ParsableArguments {
    @Option(name: .customLong("lessons"), help: ArgumentHelp("Read the lessons from this folder instead of the built-in ones.", valueName: "DIR"))
    var directory: String?

    /// The lessons: --lessons DIR, else $DECAY_TUTOR_LESSONS, else the ones
    /// built into the binary, so it runs from any folder.
    func library() throws -> LessonLibrary { try Self.library(directory) }

    static func library(_ directory: String?) throws -> LessonLibrary {
        if let directory, directory.isEmpty {
            throw CommandFailure(message: "--lessons needs a folder name", status: ExitStatus.usage)
        }
        var folder = directory
        if folder == nil, let env = CommandIO.current.environment["DECAY_TUTOR_LESSONS"], !env.isEmpty { folder = env }
        guard let folder else { return LessonLibrary.builtin }
        let option = directory == nil ? "DECAY_TUTOR_LESSONS" : "--lessons"
        if let problem = InputPath.folderProblem(folder) {
            throw CommandFailure(message: "\(option) \(TerminalText.escaped(folder)): \(problem)", status: ExitStatus.noInput)
        }
        return LessonLibrary.load(directory: URL(fileURLWithPath: folder).path)
    }

    /// Loads the library, printing every located error to stderr. With
    /// `strict`, any error ends the command with status 65 (data error);
    /// without, a broken file never hides the good ones.
    func load(strict: Bool) throws -> LessonLibrary {
        let library = try library()
        for error in library.errors { ErrorOutput.line(error.description) }
        if strict && !library.errors.isEmpty { throw ExitCode(ExitStatus.dataError) }
        return library
    }

    /// The step a reference names, in a library whose other files may be
    /// broken: their errors are on stderr already, and only a broken file
    /// that could hold the lesson asked for makes the command fail (65).
    static func step(_ options: StepOptions, in library: LessonLibrary) throws -> Step {
        do {
            return try options.step(in: library)
        } catch let failure as CommandFailure where failure.status == ExitStatus.usage && !library.errors.isEmpty
                    && (try? library.resolve(options.reference)) == nil {
            let files = Set(library.errors.map(\.path)).count
            throw CommandFailure(message: failure.message + "; \(files) lesson file\(files == 1 ? "" : "s") could not be read "
                                 + "(errors above), so it may be there", status: ExitStatus.dataError)
        }
    }
}
