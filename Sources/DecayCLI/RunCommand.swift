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
            discussion: "A run that diverges is reported on stderr and marked in the output, which is complete; the status is then 3, so a script can tell.")

        @OptionGroup var lessons: LessonOptions
        @OptionGroup var options: StepOptions
        @Option(help: "How to print the history.") var format: HistoryReport.Format = .csv
        @Flag(help: ArgumentHelp(
            "Also check the step's goal as the tutor does: a fresh run at these settings, judged at the goal's step.",
            discussion: "The verdict goes to stderr (a \"goal\" object in --format json). Steps whose goal is a question have none to check."))
        var goal = false

        func run() throws {
            let library = try lessons.load(strict: false)
            let step = try LessonOptions.step(options, in: library)
            let verdict = goal ? try goalVerdict(step) : nil
            let experiment = try trainedExperiment(step, options, everyStep: false)
            var output = OutputChunks()   // written as it is made: never the whole history as one text
            try HistoryReport.write(experiment, format: format, goal: verdict) { (text: String) throws(OutputFailure) in try output.append(text) }
            try output.flush()
            if let verdict { ErrorOutput.line("decay-tutor: " + verdict.sentence) }
            if let stride = experiment.runs.map(\.history.stride).max(), stride > 1 {
                ErrorOutput.line("decay-tutor: note: the history keeps one step in \(stride) (0, \(stride), \(2 * stride), …): every step of every run "
                    + "would take more than \(ResourceEstimate.headlessHistoryBudget >> 20) MB")
            }
            try reportDivergence(experiment)
        }

        private func goalVerdict(_ step: Step) throws -> GoalVerdict {
            guard case let .threshold(t)? = step.goal,
                  let outcome = GoalCheck.replay(step: step, settings: options.settings) else {
                let what = step.goal == nil ? "no goal" : "a question for its goal, answered in the tutor"
                throw CommandFailure(message: "--goal: \(options.reference) has \(what); there is no setting to check",
                                     status: ExitStatus.usage)
            }
            return GoalVerdict(goal: t, outcome: outcome, settings: options.settingsText(for: step),
                               seeds: step.spec.seedCount(ofRun: step.spec.resolvedRuns.firstIndex { $0.name == t.run } ?? 0))
        }
    }
}

/// The verdict of `run --goal`, said the way the tutor's goal line says it.
struct GoalVerdict {
    var goal: Goal.Threshold
    var outcome: GoalCheck.Outcome
    /// `λ = 3`, `decay on weights, embeddings` (the command line's settings, or the step's own).
    var settings: String
    var seeds: Int

    var met: Bool { outcome.isMet }

    var value: Float? { outcome.value }
    var step: Int { outcome.steps }

    /// `goal met: a fresh run of "yours" with λ = 3 reaches val_loss = 2.33 at step 400 (goal < 2.9)`.
    var sentence: String {
        let runs = seeds > 1 ? "fresh runs of its \(seeds) seeds (median)" : "a fresh run"
        let reached = value.map { "reaches \(goal.quantityText()) = \(goal.shown($0))" } ?? "never measures \(goal.quantityText())"
        return "goal \(met ? "met" : "not met"): \(runs) of \"\(goal.run)\" with \(settings) \(reached) at step \(step) (goal \(goal.targetText))"
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

/// One stderr line per diverged run, then the distinct exit status
/// (`ExitStatus.diverged`) once the output is written.
func reportDivergence(_ experiment: Experiment, warning: String? = nil) throws {
    let diverged = experiment.runs.filter(\.status.isDiverged)
    for run in diverged {
        if case let .diverged(step, reason) = run.status {
            ErrorOutput.line("decay-tutor: run \"\(run.name)\" diverged at step \(step): \(reason)")
        }
    }
    guard !diverged.isEmpty else { return }
    if let warning { ErrorOutput.line("decay-tutor: warning: " + warning) }
    throw CommandFailure(message: "\(diverged.count) of \(experiment.runs.count) runs diverged (exit status \(ExitStatus.diverged))",
                         status: ExitStatus.diverged)
}

extension HistoryReport.Format: ExpressibleByArgument {}
