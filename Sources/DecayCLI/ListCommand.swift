import ArgumentParser
import DecayEngine
import DecayLessons
import Foundation

extension DecayTutor {
    /// `decay-tutor list`: the lessons and the learner's progress. Reads only:
    /// never moves, creates or rewrites a progress file.
    struct ListCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the lessons, their steps and your progress.")

        @OptionGroup var lessons: LessonOptions
        @Flag(help: "Print a JSON array of {\"id\", \"title\", \"steps\", \"finished_steps\"}.") var json = false

        func run() throws {
            let library = try lessons.load(strict: false)
            let progress = ProgressAccess.readOnly(lessons: library.lessons)
            let done = library.lessons.map { progress.lessons[$0.id]?.finishedSteps.count ?? 0 }
            if json {
                let items = zip(library.lessons, done).map { lesson, done -> [String: Any] in
                    ["id": lesson.id, "title": lesson.title, "steps": lesson.steps.count, "finished_steps": done]
                }
                let data = try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                try StandardOutput.line(String(decoding: data, as: UTF8.self))
            } else {
                var text = ""
                for (i, (lesson, done)) in zip(library.lessons, done).enumerated() {
                    let mark = done >= lesson.steps.count ? "✓" : done > 0 ? "…" : " "
                    text += "\(mark) \(i + 1). \(lesson.title)  [\(lesson.id), \(lesson.steps.count) steps, \(done) done]\n"
                }
                try StandardOutput.write(text)
            }
            if !library.errors.isEmpty { throw ExitCode(ExitStatus.dataError) }
        }
    }
}

/// The progress store as the commands use it, with its warnings on stderr.
enum ProgressAccess {
    /// Checked progress for display; nothing on disk changes.
    static func readOnly(lessons: [Lesson]) -> LearnerProgress {
        switch ProgressStore.location(environment: CommandIO.current.environment) {
        case let .failure(problem):
            ErrorOutput.line("decay-tutor: warning: \(problem)")
            return LearnerProgress()
        case let .success(url):
            let (progress, warnings) = ProgressStore(url: url, readOnly: true, lessons: lessons).load()
            for w in warnings { ErrorOutput.line("decay-tutor: warning: \(w)") }
            return progress
        }
    }

    /// The store the tutor saves to, loaded once so its warnings (a corrupt
    /// file moved aside and its new name; a file it must not replace) are on
    /// stderr, where they stay visible after the tutor's screen is gone.
    /// Nil when there is nowhere to keep progress (said on stderr).
    static func forTutor(lessons: [Lesson]) -> ProgressStore? {
        switch ProgressStore.location(environment: CommandIO.current.environment) {
        case let .failure(problem):
            ErrorOutput.line("decay-tutor: warning: \(problem); this session's progress is kept in memory only")
            return nil
        case let .success(url):
            let store = ProgressStore(url: url, lessons: lessons)
            // The built-in lessons' progress is kept even while another folder's lessons are open.
            store.keptLessons.formUnion(LessonLibrary.builtin.lessons.map(\.id))
            for w in store.load().warnings { ErrorOutput.line("decay-tutor: warning: \(w)") }
            return store
        }
    }
}
