import ArgumentParser
import DecayEngine
import DecayLessons
import DecayTUI
import TerminalUI
import Foundation

@main
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

            Exit statuses: 0 success; 2 no usable terminal for the tutor; 64 bad command \
            line; 65 a lesson file has errors (or an experiment is too large to run); \
            73 an export target exists or cannot be created; 74 output or a file could \
            not be written; 77 progress exists but cannot be read or replaced by this \
            user; 128+N ended by signal N (141: the reader of a pipe went away).
            """,
        version: "decay-tutor \(version)",
        subcommands: [
            TutorCommand.self, ListCommand.self, RunCommand.self, ExportCommand.self,
            CheckCommand.self, Inspect.self, BenchCommand.self, ResetProgressCommand.self,
        ],
        defaultSubcommand: TutorCommand.self)

    /// Parses, runs, and ends the process with the documented status: every
    /// message through the checked writers, never an unchecked `print`.
    static func main() {
        Foundation.exit(runCommand(CommandLine.arguments.dropFirst().map { $0 }))
    }

    static func runCommand(_ arguments: [String]) -> Int32 {
        do {
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

/// Options every lesson-reading command shares.
struct LessonOptions: ParsableArguments {
    @Option(name: .customLong("lessons"), help: ArgumentHelp("The folder of lesson files.", valueName: "DIR"))
    var directory: String?

    /// The lessons folder: --lessons, $DECAY_TUTOR_LESSONS, ./Lessons, or the
    /// Lessons folder of the checkout the binary was built in.
    func resolve() throws -> URL { try Self.resolve(directory) }

    static func resolve(_ directory: String?) throws -> URL {
        if let directory {
            guard !directory.isEmpty else { throw CommandFailure(message: "--lessons needs a folder name", status: ExitStatus.usage) }
            return URL(fileURLWithPath: directory)
        }
        if let env = ProcessInfo.processInfo.environment["DECAY_TUTOR_LESSONS"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Lessons")]
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        candidates.append(exe.appendingPathComponent("../../Lessons").standardized)
        candidates.append(exe.appendingPathComponent("../../../Lessons").standardized)
        candidates.append(exe.appendingPathComponent("../share/decay-tutor/Lessons").standardized)
        for c in candidates where FileManager.default.fileExists(atPath: c.appendingPathComponent("01-overfitting.md").path) {
            return c
        }
        throw CommandFailure(message: "no Lessons folder found; run from the project folder, pass --lessons DIR "
                             + "(check takes the folder as its argument), or set DECAY_TUTOR_LESSONS", status: ExitStatus.usage)
    }

    /// Loads the library, printing every located error to stderr. With
    /// `strict`, any error ends the command with status 65 (data error).
    func load(strict: Bool) throws -> LessonLibrary {
        let url = try resolve()
        let library = LessonLibrary.load(directory: url.path)
        for error in library.errors { ErrorOutput.line(error.description) }
        if strict && !library.errors.isEmpty { throw ExitCode(ExitStatus.dataError) }
        return library
    }
}
