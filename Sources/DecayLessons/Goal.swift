import Foundation
import DecayEngine

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

    /// Met when a run's metric crosses a value after enough steps.
    public struct Threshold: Sendable, Equatable {
        public var run: String
        public var metric: Metric
        public var comparison: Comparison
        public var value: Float
        /// Steps the experiment must have trained before the goal counts, so
        /// an early dip of a noisy curve does not pass it.
        public var minSteps: Int
        public var prompt: String
        public var hint: String?

        public init(run: String, metric: Metric, comparison: Comparison, value: Float, minSteps: Int = 100,
                    prompt: String, hint: String? = nil) {
            self.run = run
            self.metric = metric
            self.comparison = comparison
            self.value = value
            self.minSteps = minSteps
            self.prompt = prompt
            self.hint = hint
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

        public init(prompt: String, choices: [Choice], hint: String? = nil) {
            self.prompt = prompt
            self.choices = choices
            self.hint = hint
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
            return Self.evaluate(t, status: run.status, entries: run.history)
        }
    }

    /// Checks a threshold against one run's status and history (a run at
    /// several seeds: its median history).
    public static func evaluate(_ t: Threshold, status: RunStatus, entries: History) -> GoalState {
        if case let .diverged(step, reason) = status {
            return .pending("\(t.run) diverged at step \(step) (\(reason)); change a control and restart")
        }
        // Validation metrics are not measured on steps that skip
        // validation: read the latest entry that measured it.
        guard let (entry, value) = entries.latest(t.metric) else {
            return .pending("\(t.metric.name): not measured yet")
        }
        let reading = "\(t.metric.name) = \(format(value)), goal \(t.comparison.symbol) \(format(t.value))"
        guard entry.step >= t.minSteps else {
            return .pending("\(reading); step \(entry.step) of at least \(t.minSteps)")
        }
        return t.comparison.holds(value, t.value) ? .met : .pending(reading)
    }

    /// The verdict on choice `index` (0-based) of a question; nil for a
    /// threshold goal or an index out of range.
    public func answer(_ index: Int) -> (correct: Bool, explanation: String)? {
        guard case let .question(q) = self, q.choices.indices.contains(index) else { return nil }
        return (q.choices[index].correct, q.choices[index].explain)
    }

    private static func format(_ v: Float) -> String {
        let a = abs(v)
        if a != 0 && (a < 1e-3 || a >= 1e4) {
            return String(format: "%.2e", v)
        }
        return String(format: "%.4g", v)
    }
}

/// Where a goal stands.
public enum GoalState: Sendable, Equatable {
    /// Not yet; the text says how far (for the status line).
    case pending(String)
    case met
}
