import ArgumentParser
import DecayLessons
import Foundation

extension DecayTutor {
    /// `decay-tutor reset-progress`: forgets finished steps and answers.
    struct ResetProgressCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-progress",
            abstract: "Forget finished steps and answers.",
            discussion: "Only decay-tutor's own progress file is cleared; anything else at that path is left alone. "
                + "A tutor open meanwhile does not bring the old progress back when it saves.")

        @Flag(help: "Do it without asking.") var yes = false

        func run() throws {
            let url: URL
            switch ProgressStore.location(environment: CommandIO.current.environment) {
            case let .failure(problem): throw CommandFailure(message: problem.message, status: ExitStatus.usage)
            case let .success(u): url = u
            }
            let store = ProgressStore(url: url)
            if !yes {
                guard CommandIO.current.inputIsTerminal else {
                    throw CommandFailure(message: "refusing to reset progress without a terminal to confirm; pass --yes", status: ExitStatus.usage)
                }
                try StandardOutput.write("Forget all progress in \(TerminalText.escaped(url.path))? [y/N] ")
                guard let answer = readLine(), answer.lowercased().hasPrefix("y") else {
                    try StandardOutput.line("Kept.")
                    return
                }
            }
            do {
                for w in try store.reset() { ErrorOutput.line("decay-tutor: warning: \(w)") }
            } catch {
                throw CommandFailure(message: error.message, status: store.refusal != nil || error.isPermission ? ExitStatus.noPermission : ExitStatus.ioError)
            }
            try StandardOutput.line("Progress reset.")
        }
    }
}
