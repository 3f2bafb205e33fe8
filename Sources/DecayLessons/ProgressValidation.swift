import Foundation

/// Checking a progress file's values before anything uses them: a file is
/// outside data (hand-edited, from a newer tutor, or hostile), so a number
/// in it is never trusted for arithmetic or indexing.
extension LearnerProgress {
    /// The largest step number a lesson file can have (a lesson holds far fewer).
    public static let maximumStep = 10_000
    /// Past this many lessons or steps in one file, the file is not ours.
    static let maximumEntries = 100_000

    /// Keeps only what is plausible for any lessons folder: step numbers in
    /// 1…`maximumStep`, short printable lesson ids, and a `last` with both.
    /// - Returns: the cleaned progress and one line per kind of problem dropped.
    public func structurallyValid() -> (LearnerProgress, [String]) {
        var out = self
        var problems: [String] = []
        let steps = 1...Self.maximumStep
        out.lessons = [:]
        for (id, p) in lessons {
            guard Self.isPlausibleID(id) else {
                problems.append("a lesson id that is not one (\(Self.quoted(id)))")
                continue
            }
            let finished = p.finishedSteps.filter(steps.contains), answered = p.answeredGoals.filter(steps.contains)
            let missed = p.missedGoals.filter(steps.contains)
            if finished.count != p.finishedSteps.count || answered.count != p.answeredGoals.count || missed.count != p.missedGoals.count {
                problems.append("step numbers outside 1…\(Self.maximumStep) in lesson \(Self.quoted(id))")
            }
            out.lessons[id] = LessonProgress(finishedSteps: finished, answeredGoals: answered, missedGoals: missed)
        }
        if let last, !(Self.isPlausibleID(last.lesson) && steps.contains(last.step)) {
            problems.append("a last position that is not one (lesson \(Self.quoted(last.lesson)), step \(last.step))")
            out.last = nil
        }
        if let r = resets, !(0...Self.maximumEntries).contains(r) {
            problems.append("a reset count that is not one (\(r))")
            out.resets = nil
        }
        return (out, problems)
    }

    /// Also checks against the lessons there are: steps past a lesson's end
    /// and a `last` that names no step are dropped (a lesson id this folder
    /// does not have is kept: another lessons folder may have it).
    /// - Parameter steps: each known lesson id and its number of steps.
    public func valid(forLessons steps: [String: Int]) -> (LearnerProgress, [String]) {
        var (out, problems) = structurallyValid()
        for (id, p) in out.lessons {
            guard let count = steps[id] else { continue }
            let range = 1...max(count, 1)
            let finished = p.finishedSteps.filter(range.contains), answered = p.answeredGoals.filter(range.contains)
            let missed = p.missedGoals.filter(range.contains)
            if finished.count != p.finishedSteps.count || answered.count != p.answeredGoals.count || missed.count != p.missedGoals.count {
                problems.append("lesson \(Self.quoted(id)) has \(count) steps, but the file lists higher step numbers")
            }
            out.lessons[id] = LessonProgress(finishedSteps: finished, answeredGoals: answered, missedGoals: missed)
        }
        if let last = out.last {
            if let count = steps[last.lesson], !(1...max(count, 1)).contains(last.step) {
                problems.append("the last position (\(Self.quoted(last.lesson)) step \(last.step)) is past that lesson's \(count) steps")
                out.last = nil
            } else if steps[last.lesson] == nil {
                out.last = nil
            }
        }
        return (out, problems)
    }

    static func isPlausibleID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 200 && id.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
    }

    static func quoted(_ text: String) -> String {
        let clipped = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "\"" + TerminalText.escaped(clipped) + "\""
    }
}
