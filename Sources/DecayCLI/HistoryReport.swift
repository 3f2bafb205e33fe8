import TextSupport
import DecayEngine
import Foundation

/// The printed form of a finished headless run: CSV for spreadsheets, JSON
/// for scripts (`{"runs": [{"name", "history": [...]}]}`).
enum HistoryReport {
    enum Format: String, CaseIterable {
        case csv, json, table
    }

    static func render(_ experiment: Experiment, format: Format, goal: GoalVerdict? = nil) -> String {
        var out = ""
        write(experiment, format: format, goal: goal) { out += $0 }
        return out
    }

    /// The report in pieces, in order: a CSV row or a JSON history entry
    /// at a time, so `run` writes many runs of many steps without holding
    /// the whole text (a thousand runs of 10,000 steps made over a GB).
    static func write<Failure: Error>(_ experiment: Experiment, format: Format, goal: GoalVerdict? = nil,
                                      to emit: (String) throws(Failure) -> Void) throws(Failure) {
        switch format {
        case .csv: try csv(experiment, emit)
        case .json: try json(experiment, goal: goal, emit)
        case .table: try emit(table(experiment))
        }
    }

    static func number(_ v: Float?) -> String {
        v.map { "\($0)" } ?? "null"
    }

    static func csv<Failure: Error>(_ e: Experiment, _ emit: (String) throws(Failure) -> Void) throws(Failure) {
        let groups = e.groups
        // The tutor's "train (full set)" and "train acc" are the whole
        // training set in evaluation mode, measured where validation is:
        // `full_train_loss` and `train_accuracy`; `train_loss` is the
        // minibatch the step trained on.
        var header = ["run", "step", "lr", "lambda", "train_loss", "full_train_loss", "penalty", "val_loss",
                      "train_accuracy", "val_accuracy"]
        header += groups.map { "norm_\($0.rawValue)" }
        try emit(header.joined(separator: ",") + "\n")
        for run in e.runs {
            let name = run.name.contains(",") || run.name.contains("\"")
                ? "\"" + run.name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : run.name
            for h in run.history {
                func field(_ m: Metric) -> String { h[m].map { "\($0)" } ?? "" }
                var fields = [name, "\(h.step)", "\(h.learningRate)", "\(h.weightDecay)", field(.trainLoss),
                              field(.fullTrainLoss), field(.penalty), field(.validationLoss),
                              field(.trainAccuracy), field(.validationAccuracy)]
                fields += groups.map { field(.norm($0)) }
                try emit(fields.joined(separator: ",") + "\n")
            }
        }
    }

    static func json<Failure: Error>(_ e: Experiment, goal: GoalVerdict? = nil, _ emit: (String) throws(Failure) -> Void) throws(Failure) {
        func quote(_ s: String) -> String { JSONString.quoted(s) }
        try emit("{\"runs\": [")
        for (ri, run) in e.runs.enumerated() {
            var out = ri > 0 ? ", " : ""
            out += "{\"name\": \(quote(run.name))"
            if case let .diverged(step, reason) = run.status {
                out += ", \"diverged\": {\"step\": \(step), \"reason\": \(quote(reason))}"
            }
            try emit(out + ", \"history\": [")
            for (i, h) in run.history.enumerated() {
                var out = i > 0 ? ", " : ""
                let finite = { (v: Float) in v.isFinite ? v : nil }
                out += "{\"step\": \(h.step), \"lr\": \(number(finite(h.learningRate))), \"lambda\": \(number(finite(h.weightDecay)))"
                out += ", \"train_loss\": \(number(h[.trainLoss])), \"penalty\": \(number(h[.penalty]))"
                if let l = h[.fullTrainLoss] { out += ", \"full_train_loss\": \(number(l))" }
                out += ", \"val_loss\": \(number(h[.validationLoss]))"
                if let a = h[.validationAccuracy] { out += ", \"val_accuracy\": \(number(a))" }
                if let a = h[.trainAccuracy] { out += ", \"train_accuracy\": \(number(a))" }
                out += ", \"norms\": {"
                out += e.groups.compactMap { g in h[.norm(g)].map { "\(quote(g.rawValue)): \(number($0))" } }.joined(separator: ", ")
                try emit(out + "}}")
            }
            try emit("]}")
        }
        var out = "]"
        if let goal {
            out += ", \"goal\": {\"run\": \(quote(goal.goal.run)), \"metric\": \(quote(goal.goal.metric.name))"
            if let r = goal.goal.relativeTo { out += ", \"relative_to\": \(quote(r))" }
            if let b = goal.goal.below { out += ", \"below\": \(number(b))" }
            if let a = goal.goal.above { out += ", \"above\": \(number(a))" }
            out += ", \"step\": \(goal.step), \"value\": \(goal.value.map(number) ?? "null"), \"met\": \(goal.met)}"
        }
        try emit(out + "}\n")
    }

    /// A short human summary: the last entry of each run.
    static func table(_ e: Experiment) -> String {
        // Heads as the tutor's numbers panel has them: the training loss and
        // accuracy of the whole set at the last evaluation.
        let classifier = e.runs.contains { $0.history.latest(.trainAccuracy) != nil }
        var rows = [["run", "steps", "train (full set)", "val loss"] + (classifier ? ["train acc", "val acc"] : [])
            + e.groups.map { "‖\($0.rawValue)‖" }]
        for run in e.runs {
            guard let h = run.history.last else {
                // Diverged before its first entry: still a row, said plainly.
                let step = if case let .diverged(at, _) = run.status { "\(at)" } else { "0" }
                rows.append([run.name + " (diverged)", step, "–", "–"] + (classifier ? ["–", "–"] : []) + e.groups.map { _ in "–" })
                continue
            }
            let evaluated = run.history.last { $0[.validationLoss] != nil }
            func percent(_ v: Float?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "–" }
            var r = [run.name, "\(h.step)", fmt(evaluated?[.fullTrainLoss]), fmt(evaluated?[.validationLoss])]
            if classifier { r += [percent(evaluated?[.trainAccuracy]), percent(evaluated?[.validationAccuracy])] }
            r += e.groups.map { fmt(h[.norm($0)]) }
            if run.status.isDiverged { r[0] += " (diverged)" }
            rows.append(r)
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { r in
            r.enumerated().map { c, s in c == 0 ? s.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                : String(repeating: " ", count: widths[c] - s.count) + s }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    static func fmt(_ v: Float?) -> String {
        guard let v else { return "–" }
        return String(format: abs(v) >= 0.01 || v == 0 ? "%.4f" : "%.3e", v)
    }
}
