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
        /// Questions whose first answer was wrong: the quiz's mistakes, kept
        /// for its score. Only grows, like the rest.
        public var missedGoals: Set<Int>

        public init(finishedSteps: Set<Int> = [], answeredGoals: Set<Int> = [], missedGoals: Set<Int> = []) {
            self.finishedSteps = finishedSteps
            self.answeredGoals = answeredGoals
            self.missedGoals = missedGoals
        }

        enum CodingKeys: String, CodingKey { case finishedSteps, answeredGoals, missedGoals }

        /// A file from before `missedGoals` existed reads as no mistakes.
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            finishedSteps = try c.decode(Set<Int>.self, forKey: .finishedSteps)
            answeredGoals = try c.decode(Set<Int>.self, forKey: .answeredGoals)
            missedGoals = try c.decodeIfPresent(Set<Int>.self, forKey: .missedGoals) ?? []
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

    /// A wrong answer to a question not answered right before: a mistake
    /// the lesson's score counts (a later right answer does not erase it).
    public mutating func miss(lesson: String, step: Int) {
        guard !(lessons[lesson]?.answeredGoals.contains(step) ?? false) else { return }
        lessons[lesson, default: LessonProgress()].missedGoals.insert(step)
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
            out.lessons[id, default: LessonProgress()].missedGoals.formUnion(p.missedGoals)
        }
        out.last = newer.last ?? last
        out.resets = resets
        return out
    }
}
