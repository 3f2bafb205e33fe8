import ArgumentParser
import DecayEngine
import DecayLessons
import Foundation

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the lessons, their steps and your progress.")

    @OptionGroup var lessons: LessonOptions
    @Flag(help: "Print a JSON array of {\"id\", \"title\", \"steps\"}.") var json = false

    func run() throws {
        let library = try lessons.load(strict: false)
        let progress = ProgressStore().load().progress
        if json {
            let items = library.lessons.map { lesson -> [String: Any] in
                ["id": lesson.id, "title": lesson.title, "steps": lesson.steps.count,
                 "finished_steps": progress.lessons[lesson.id]?.finishedSteps.count ?? 0]
            }
            let data = try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for (i, lesson) in library.lessons.enumerated() {
                let done = progress.lessons[lesson.id]?.finishedSteps.count ?? 0
                let mark = done >= lesson.steps.count ? "✓" : done > 0 ? "…" : " "
                print("\(mark) \(i + 1). \(lesson.title)  [\(lesson.id), \(lesson.steps.count) steps, \(done) done]")
            }
        }
        if !library.errors.isEmpty { throw ExitCode(65) }
    }
}

/// Options shared by `run` and `export`: which step, how long, which λ.
struct StepOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The lesson and step, as ID:STEP (or a lesson number: 2:1).", valueName: "LESSON[:STEP]"))
    var reference: String

    @Option(help: "Steps to train (default: the step's own).") var steps: Int?
    @Option(name: .customLong("lambda"), help: "λ for the runs that follow the λ control.") var lambda: Float?

    func validate() throws {
        if let steps, !(1...100_000).contains(steps) { throw ValidationError("--steps must be in 1…100000") }
        if let lambda, !(lambda >= 0 && lambda.isFinite) { throw ValidationError("--lambda must be a finite number ≥ 0") }
    }

    func experiment(in library: LessonLibrary) throws -> (Experiment, Int) {
        let step: Step
        do {
            let (lesson, number) = try library.resolve(reference)
            step = lesson.steps[number ?? 0]
        } catch {
            throw Diagnostics.fail("\(error)", code: 64)
        }
        var spec = step.spec
        let count = steps ?? spec.steps
        spec.steps = count
        let e = Experiment(spec: spec, historyCapacity: count + 1)
        if let lambda { e.set(.lambda, to: lambda) }
        return (e, count)
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Train a step's experiment without a terminal and print its history.")

    @OptionGroup var lessons: LessonOptions
    @OptionGroup var options: StepOptions
    @Option(help: "csv, json or table.") var format: String = "csv"

    func run() throws {
        guard let f = HistoryReport.Format(rawValue: format) else {
            throw ValidationError("--format must be csv, json or table")
        }
        let library = try lessons.load(strict: true)
        let (experiment, steps) = try options.experiment(in: library)
        experiment.advance(steps: steps)
        FileHandle.standardOutput.write(Data(HistoryReport.render(experiment, format: f).utf8))
        for run in experiment.runs {
            if case let .diverged(step, reason) = run.status {
                Diagnostics.error("decay-tutor: run \"\(run.name)\" diverged at step \(step): \(reason)")
            }
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write experiment.json and a reproduce.py that redoes the runs in PyTorch.")

    @OptionGroup var lessons: LessonOptions
    @OptionGroup var options: StepOptions
    @Option(help: ArgumentHelp("The folder to write into (created if missing).", valueName: "DIR")) var out: String
    @Flag(help: "Overwrite experiment.json and reproduce.py if they exist.") var force = false

    func run() throws {
        let library = try lessons.load(strict: true)
        let (experiment, steps) = try options.experiment(in: library)
        experiment.advance(steps: steps)
        let file = ExperimentFile(experiment: experiment)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let json = try encoder.encode(file)
        let writer = ExportWriter(directory: URL(fileURLWithPath: out), force: force)
        do {
            let written = try writer.write([
                ("experiment.json", json),
                ("reproduce.py", Data(ReproduceScript.source.utf8)),
            ])
            for url in written { print(url.path) }
        } catch let failure as ExportWriter.Failure {
            throw Diagnostics.fail(failure.description, code: 73)
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate lesson files; errors are printed as FILE:LINE.")

    @Argument(help: ArgumentHelp("The folder (or one file) to check.", valueName: "DIR")) var path: String?
    @Flag(help: "Also train every step briefly and report non-finite losses.") var train = false

    func run() throws {
        let library = LessonOptions.library(path)
        for error in library.errors { Diagnostics.error(error.description) }
        var problems = library.errors.count
        if train {
            for lesson in library.lessons {
                for (i, step) in lesson.steps.enumerated() {
                    var spec = step.spec
                    spec.steps = min(spec.steps, 50)
                    let e = Experiment(spec: spec, historyCapacity: 64)
                    e.advance(steps: spec.steps)
                    for run in e.runs where run.status.isDiverged || !(run.history.last?.trainLoss.isFinite ?? false) {
                        Diagnostics.error("\(lesson.file):\(step.line): error: step \(i + 1), run \"\(run.name)\" does not train to a finite loss")
                        problems += 1
                    }
                }
            }
        }
        let steps = library.lessons.reduce(0) { $0 + $1.steps.count }
        print("\(library.lessons.count) lessons, \(steps) steps, \(problems) error\(problems == 1 ? "" : "s")")
        if problems > 0 { throw ExitCode(65) }
    }
}

struct ResetProgress: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reset-progress", abstract: "Forget finished steps and answers.")

    @Flag(help: "Do it without asking.") var yes = false

    func run() throws {
        let store = ProgressStore()
        if !yes {
            guard isatty(STDIN_FILENO) != 0 else {
                throw Diagnostics.fail("refusing to reset progress without a terminal to confirm; pass --yes", code: 64)
            }
            print("Forget all progress in \(store.url.path)? [y/N] ", terminator: "")
            guard let answer = readLine(), answer.lowercased().hasPrefix("y") else { print("Kept."); return }
        }
        if FileManager.default.fileExists(atPath: store.url.path) {
            do {
                try FileManager.default.removeItem(at: store.url)
            } catch {
                throw Diagnostics.fail("cannot remove \(store.url.path): \(error.localizedDescription)", code: 74)
            }
        }
        print("Progress reset.")
    }
}
