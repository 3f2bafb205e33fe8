import DecayEngine
import Foundation

/// A value the prose of a step names for a live control (`λ = 3`, "try λ
/// of 1", `lr 0.003`, `p = 0.5`) must be reachable with ←/→: on that
/// control's ladder for the step. Otherwise the text asks for something
/// the keys cannot do (as λ = 3 was on the old 1–2–5 ladder).
public enum LadderRule {
    /// The problems in one lesson, located at each step's heading.
    public static func problems(in lesson: Lesson) -> [LessonError] {
        var out: [LessonError] = []
        for step in lesson.steps {
            for (control, value) in namedValues(in: step.prose) where step.controls.contains(where: { $0.engineControl == control }) {
                let ladder = ControlLadder.of(control, in: step)
                if !ladder.contains(value) {
                    out.append(LessonError(path: lesson.file, line: step.line,
                                           message: "the prose names \(control.rawValue) = \(value), which ←/→ cannot reach",
                                           suggestion: "use a value on the 1-2-3-5 ladder, or start a run at it"))
                }
            }
        }
        return out
    }

    /// `(control, value)` for every "λ = 3", "λ of 1", "lr 0.003", "p = 0.5"
    /// in a text.
    static func namedValues(in text: String) -> [(Control, Float)] {
        let pattern = #"(λ|lambda|\blr|\bp)\s*(?:=|of|≈)?\s*([0-9]+(?:\.[0-9]+)?(?:e-?[0-9]+)?)\b"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap { m in
            let name = ns.substring(with: m.range(at: 1))
            guard let value = Float(ns.substring(with: m.range(at: 2))) else { return nil }
            let control: Control = name == "lr" ? .learningRate : name == "p" ? .dropout : .lambda
            return (control, value)
        }
    }
}
