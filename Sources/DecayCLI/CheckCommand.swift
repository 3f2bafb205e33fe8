import ArgumentParser
import DecayEngine
import DecayLessons
import Foundation

extension DecayTutor {
    /// `decay-tutor check [PATH]`: validates lesson files, as FILE:LINE errors.
    struct CheckCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check", abstract: "Validate lesson files; errors are printed as FILE:LINE.")

        @Argument(help: ArgumentHelp("The folder, or one lesson file, to check (default: --lessons, or the built-in lessons).", valueName: "PATH"))
        var path: String?
        @OptionGroup var lessons: LessonOptions
        @Flag(help: "Also train every step briefly and report non-finite losses.") var train = false

        func run() throws {
            let library = try load()
            for error in library.errors { ErrorOutput.line(error.description) }
            var problems = library.errors.count
            if train { problems += trainBriefly(library) }
            let steps = library.lessons.reduce(0) { $0 + $1.steps.count }
            try StandardOutput.line("\(Self.count(library.lessons.count, "lesson")), \(Self.count(steps, "step")), \(Self.count(problems, "error"))")
            if problems > 0 { throw ExitCode(ExitStatus.dataError) }
        }

        private func load() throws -> LessonLibrary {
            guard let path else { return try lessons.library() }
            guard !path.isEmpty else { throw CommandFailure(message: "check needs a folder or file name", status: ExitStatus.usage) }
            if let problem = InputPath.fileOrFolderProblem(path) {
                throw CommandFailure(message: "\(path): \(problem)", status: ExitStatus.noInput)
            }
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if isDirectory.boolValue { return LessonLibrary.load(directory: path) }
            switch LessonParser.parse(fileAt: path) {
            case let .success(lesson): return LessonLibrary(lessons: [lesson])
            case let .failure(errors): return LessonLibrary(lessons: [], errors: errors.errors)
            }
        }

        /// "1 lesson", "2 lessons".
        static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

        private func trainBriefly(_ library: LessonLibrary) -> Int {
            var problems = 0
            for lesson in library.lessons {
                for (i, step) in lesson.steps.enumerated() {
                    var spec = step.spec
                    spec.steps = min(spec.steps, 50)
                    let e = Experiment(spec: spec, historyCapacity: 64)
                    e.advance(steps: spec.steps)
                    for run in e.runs where run.status.isDiverged || run.history.last?[.trainLoss] == nil {
                        ErrorOutput.line("\(lesson.file):\(step.line): error: step \(i + 1), run \"\(run.name)\" does not train to a finite loss")
                        problems += 1
                    }
                }
            }
            return problems
        }
    }
}
