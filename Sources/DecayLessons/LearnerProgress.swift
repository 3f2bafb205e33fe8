import Foundation

/// What a learner has done, per lesson id: the steps finished and the goals
/// answered (both 1-based step numbers), and where they were last.
///
/// Progress only grows (sets are merged by union), so two tutors saving at
/// once can always be reconciled without asking which one wins.
public struct LearnerProgress: Codable, Sendable, Equatable {
    public struct LessonProgress: Codable, Sendable, Equatable {
        public var finishedSteps: Set<Int>
        public var answeredGoals: Set<Int>

        public init(finishedSteps: Set<Int> = [], answeredGoals: Set<Int> = []) {
            self.finishedSteps = finishedSteps
            self.answeredGoals = answeredGoals
        }
    }

    /// A lesson id and 1-based step.
    public struct Position: Codable, Sendable, Equatable {
        public var lesson: String
        public var step: Int
        public init(lesson: String, step: Int) {
            self.lesson = lesson
            self.step = step
        }
    }

    /// Identifies the file as ours; a file without it is not overwritten.
    public var format: String = LearnerProgress.formatName
    public var version: Int = 1
    public var lessons: [String: LessonProgress]
    public var last: Position?
    /// How many times `reset-progress` has cleared this file (nil: never).
    /// A tutor that loaded an earlier count has progress from before the
    /// reset, which its next save must not bring back.
    public var resets: Int?

    public static let formatName = "decay-tutor progress"

    public init(lessons: [String: LessonProgress] = [:], last: Position? = nil) {
        self.lessons = lessons
        self.last = last
    }

    public mutating func finish(lesson: String, step: Int) {
        lessons[lesson, default: LessonProgress()].finishedSteps.insert(step)
    }

    public mutating func answer(lesson: String, step: Int) {
        lessons[lesson, default: LessonProgress()].answeredGoals.insert(step)
    }

    public func isFinished(lesson: String, step: Int) -> Bool {
        lessons[lesson]?.finishedSteps.contains(step) ?? false
    }

    /// The union of both; `last` is taken from `newer` when it has one (the
    /// tutor saving now was the one the learner used last).
    public func merged(with newer: LearnerProgress) -> LearnerProgress {
        var out = self
        for (id, p) in newer.lessons {
            out.lessons[id, default: LessonProgress()].finishedSteps.formUnion(p.finishedSteps)
            out.lessons[id, default: LessonProgress()].answeredGoals.formUnion(p.answeredGoals)
        }
        out.last = newer.last ?? last
        out.resets = resets
        return out
    }
}
