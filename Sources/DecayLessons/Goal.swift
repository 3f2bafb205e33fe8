import Foundation
import DecayEngine
import TextSupport

/// What a step asks the learner to achieve: a number to reach by moving the
/// controls, or a question to answer.
public enum Goal: Sendable, Equatable {
    case threshold(Threshold)
    case question(Question)

    public enum Comparison: String, Sendable, Equatable {
        case below, above

        func holds(_ value: Float, _ target: Float) -> Bool {
            self == .below ? value < target : value > target
        }

        var symbol: String { self == .below ? "<" : ">" }
    }

    /// Met when a run's metric (or its ratio to another run's) is below a
    /// value, above one, or between two, once enough steps have trained.
    public struct Threshold: Sendable, Equatable {
        public var run: String
        public var metric: Metric
        /// The value must end below this (nil: no upper bound).
        public var below: Float?
        /// The value must end above this (nil: no lower bound).
        public var above: Float?
        /// When set, the value judged is the run's metric divided by this
        /// run's, read at the same step: "‖w‖ within 5 % of the L2 run's".
        public var relativeTo: String?
        /// Steps the experiment must have trained before the goal counts, so
        /// an early dip of a noisy curve does not pass it; the fresh replay
        /// that confirms a goal is judged at this step.
        public var minSteps: Int
        public var prompt: String
        public var hint: String?

        public init(run: String, metric: Metric, below: Float? = nil, above: Float? = nil, relativeTo: String? = nil,
                    minSteps: Int = 100, prompt: String, hint: String? = nil) {
            self.run = run
            self.metric = metric
            self.below = below
            self.above = above
            self.relativeTo = relativeTo
            self.minSteps = minSteps
            self.prompt = prompt
            self.hint = hint
        }

        /// A one-sided goal.
        public init(run: String, metric: Metric, comparison: Comparison, value: Float, minSteps: Int = 100,
                    prompt: String, hint: String? = nil) {
            self.init(run: run, metric: metric, below: comparison == .below ? value : nil,
                      above: comparison == .above ? value : nil, minSteps: minSteps, prompt: prompt, hint: hint)
        }

        /// Whether `value` is where the goal wants it.
        public func holds(_ value: Float) -> Bool {
            value.isFinite && (below.map { value < $0 } ?? true) && (above.map { value > $0 } ?? true)
        }

        /// `value` formatted against this goal's bounds (`Goal.format`).
        public func shown(_ value: Float, digits: Int = 4) -> String {
            Goal.format(value, keeping: [above, below].compactMap { $0 }, digits: digits)
        }

        /// "< 0.3", "> 0.85" or "between 0.95 and 1.05".
        public var targetText: String {
            switch (above, below) {
            case let (a?, b?): "between \(Goal.format(a)) and \(Goal.format(b))"
            case let (nil, b?): "< \(Goal.format(b))"
            case let (a?, nil): "> \(Goal.format(a))"
            case (nil, nil): "any value"
            }
        }

        /// What the value is: `val_loss`, or for a relative goal
        /// `norm.weights of "yours" ÷ that of "L2"`.
        public func quantityText(unicode: Bool = true) -> String {
            guard let reference = relativeTo else { return metric.name }
            return "\(metric.name) of \"\(run)\" \(unicode ? "÷" : "/") that of \"\(reference)\""
        }

        /// The goal's value in one history entry of its run, given the
        /// reference run's entries (for a relative goal) — nil where either
        /// was not measured at that step.
        public func value(in entry: HistoryEntry, reference: History?) -> Float? {
            guard let v = entry[metric] else { return nil }
            guard relativeTo != nil else { return v }
            guard let r = reference?.last(where: { $0.step == entry.step })?[metric], r != 0 else {
                return nil
            }
            return v / r
        }
    }

    public struct Choice: Sendable, Equatable {
        public var text: String
        public var correct: Bool
        public var explain: String

        public init(text: String, correct: Bool, explain: String) {
            self.text = text
            self.correct = correct
            self.explain = explain
        }
    }

    public struct Question: Sendable, Equatable {
        public var prompt: String
        public var choices: [Choice]
        public var hint: String?
        /// The step that teaches the answer (`lesson-id:N`), which a quiz's
        /// score sends the learner back to after a mistake.
        public var revisit: String?

        public init(prompt: String, choices: [Choice], hint: String? = nil, revisit: String? = nil) {
            self.prompt = prompt
            self.choices = choices
            self.hint = hint
            self.revisit = revisit
        }
    }

    public var prompt: String {
        switch self {
        case let .threshold(t): t.prompt
        case let .question(q): q.prompt
        }
    }

    /// What the tutor shows after a failed attempt, or on `i`.
    public var hint: String? {
        switch self {
        case let .threshold(t): t.hint
        case let .question(q): q.hint
        }
    }

    /// Checks a threshold against the experiment as it stands. Questions
    /// are met by `answer`, so they stay pending here.
    public func evaluate(_ experiment: Experiment) -> GoalState {
        switch self {
        case .question:
            return .pending("choose an answer")
        case let .threshold(t):
            guard let run = experiment.runs.first(where: { $0.name == t.run }) else {
                return .pending("no run named \"\(t.run)\"")
            }
            var reference: History?
            if let name = t.relativeTo {
                guard let r = experiment.runs.first(where: { $0.name == name }) else {
                    return .pending("no run named \"\(name)\"")
                }
                if case let .diverged(step, reason) = r.status {
                    return .pending("\(name) diverged at step \(step) (\(reason))")
                }
                reference = r.history
            }
            return Self.evaluate(t, status: run.status, entries: run.history, reference: reference)
        }
    }

    /// Checks a threshold against one run's status and history (a run at
    /// several seeds: its median history), and for a relative goal the
    /// reference run's history.
    public static func evaluate(_ t: Threshold, status: RunStatus, entries: History,
                                reference: History? = nil) -> GoalState {
        if case let .diverged(step, reason) = status {
            return .pending("\(t.run) diverged at step \(step) (\(reason)); change a control and restart")
        }
        // Validation metrics are not measured on steps that skip
        // validation: read the latest entry that measured it.
        guard let (entry, value) = latest(t, entries: entries, reference: reference) else {
            return .pending("\(t.quantityText()): not measured yet")
        }
        let reading = "\(t.quantityText()) = \(t.shown(value)), goal \(t.targetText)"
        guard entry.step >= t.minSteps else {
            return .pending("\(reading); step \(entry.step) of at least \(t.minSteps)")
        }
        return t.holds(value) ? .met : .pending(reading)
    }

    /// The latest entry where the goal's value was measured, and the value.
    public static func latest(_ t: Threshold, entries: History, reference: History? = nil) -> (HistoryEntry, Float)? {
        guard t.relativeTo != nil else { return entries.latest(t.metric) }
        return entries.reversed().lazy.compactMap { e in t.value(in: e, reference: reference).map { (e, $0) } }.first
    }

    /// The verdict on choice `index` (0-based) of a question; nil for a
    /// threshold goal or an index out of range.
    public func answer(_ index: Int) -> (correct: Bool, explanation: String)? {
        guard case let .question(q) = self, q.choices.indices.contains(index) else { return nil }
        return (q.choices[index].correct, q.choices[index].explain)
    }

    /// A goal's value as the learner reads it: `digits` significant digits, more
    /// where fewer would put it on the other side of a bound the goal names
    /// (0.94996 against "< 0.95") or make a value that is not round read as a
    /// round one (0.999699 as "1", which says decay did nothing at all).
    public static func format(_ v: Float, keeping bounds: [Float] = [], digits: Int = 4) -> String {
        let a = abs(v)
        if a != 0 && (a < 1e-3 || a >= 1e4) {
            return PrintfNumber.format("%.2e", Double(v))
        }
        for shown in max(1, min(digits, 7))...7 {
            let text = PrintfNumber.format("%.\(shown)g", Double(v))
            guard let read = Float(text) else { return text }
            let honest = text.contains(".") || abs(read - v) <= 1e-6 * a
            let sameSide = bounds.allSatisfy { (read < $0) == (v < $0) && (read > $0) == (v > $0) }
            if honest && sameSide { return text }
        }
        return PrintfNumber.format("%.7g", Double(v))
    }
}

/// Where a goal stands.
public enum GoalState: Sendable, Equatable {
    /// Not yet; the text says how far (for the status line).
    case pending(String)
    case met
}
