import ArgumentParser
import DecayEngine
import DecayLessons
import Foundation

extension DecayTutor {
    /// `decay-tutor export LESSON[:STEP] --out DIR`: the files to redo a step in PyTorch.
    struct ExportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write experiment.json and a reproduce.py that redoes the runs in PyTorch.")

        @OptionGroup var lessons: LessonOptions
        @OptionGroup var options: StepOptions
        @Option(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "DIR")) var out: String
        @Flag(help: "Overwrite experiment.json and reproduce.py if they exist.") var force = false

        func validate() throws {
            if out.isEmpty { throw ValidationError("--out needs a folder name (use --out . for this folder)") }
        }

        func run() throws {
            let library = try lessons.load(strict: false)
            let step = try LessonOptions.step(options, in: library)
            let experiment = try trainedExperiment(step, options)
            let written: [URL]
            do {
                written = try StepExport.write(experiment: experiment, to: URL(fileURLWithPath: out), force: force)
            } catch {
                let status = switch error.kind {
                case .usage: ExitStatus.usage
                case .cannotCreate: ExitStatus.cannotCreate
                case .io: ExitStatus.ioError
                }
                throw CommandFailure(message: error.message, status: status)
            }
            // Escaped: a folder name is outside text and must not drive the terminal.
            for url in written { try StandardOutput.line(TerminalText.escaped(url.path)) }
            if let note = StepExport.seedNote(step.spec(applying: options.settings)) { ErrorOutput.line("decay-tutor: note: " + note) }
            try reportDivergence(experiment, warning: "the export records the diverged runs as they are; reproduce.py will diverge too")
        }
    }
}
