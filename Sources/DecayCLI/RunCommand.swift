import ArgumentParser
import DecayEngine
import DecayLessons
import Foundation

extension DecayTutor {
    /// `decay-tutor run LESSON[:STEP]`: trains a step headless and prints its history.
    struct RunCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Train a step's experiment without a terminal and print its history.",
            discussion: "A run that diverges is reported on stderr; the status is still 0, since diverging is an outcome the lessons show.")

        @OptionGroup var lessons: LessonOptions
        @OptionGroup var options: StepOptions
        @Option(help: "How to print the history.") var format: HistoryReport.Format = .csv

        func run() throws {
            let library = try lessons.load(strict: false)
            let step = try LessonOptions.step(options, in: library)
            let experiment = try trainedExperiment(step, options, everyStep: false)
            try StandardOutput.write(HistoryReport.render(experiment, format: format))
            reportDivergence(experiment)
            if let stride = experiment.runs.map(\.history.stride).max(), stride > 1 {
                ErrorOutput.line("decay-tutor: note: the history keeps one step in \(stride) (0, \(stride), \(2 * stride), …): every step of every run "
                    + "would take more than \(ResourceEstimate.headlessHistoryBudget >> 20) MB")
            }
        }
    }
}

/// Builds and trains the step with the command line's settings.
func trainedExperiment(_ step: Step, _ options: StepOptions, everyStep: Bool = true) throws -> Experiment {
    do {
        return try StepExport.trainedExperiment(step: step, settings: options.settings, steps: options.steps, everyStep: everyStep)
    } catch {
        throw CommandFailure(message: error.message, status: ExitStatus.usage)
    }
}

/// One stderr line per diverged run.
func reportDivergence(_ experiment: Experiment) {
    for run in experiment.runs {
        if case let .diverged(step, reason) = run.status {
            ErrorOutput.line("decay-tutor: run \"\(run.name)\" diverged at step \(step): \(reason)")
        }
    }
}

extension HistoryReport.Format: ExpressibleByArgument {}
