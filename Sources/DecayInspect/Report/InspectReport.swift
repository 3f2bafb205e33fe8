import TextSupport

/// Everything `inspect` found: the model's tensors under both rules, the
/// schedule's effect, or both.
public struct InspectReport: Sendable {
    public var model: ModelSummary?
    public var schedule: ScheduleSummary?

    public init(model: ModelSummary?, schedule: ScheduleSummary?) {
        self.model = model
        self.schedule = schedule
    }

    /// Reads what was given. - Parameters: as the command's options.
    public static func make(modelPath: String?, configPath: String?, examples: Int?) throws -> InspectReport {
        let model = try modelPath.map { ModelSummary(checkpoint: try Checkpoint.load(path: $0)) }
        let schedule = try configPath.map { try ScheduleSummary(config: try TrainingConfig.load(path: $0), examples: examples) }
        return InspectReport(model: model, schedule: schedule)
    }

    /// The `--json` object: `tensors`, `params` and `schedule`, each only
    /// when its input was given; inside `schedule`, keys for what is not
    /// known (epochs without the data's size, τ without decay) are absent.
    public func json() -> String {
        var sections: [String] = []
        if let model {
            let rows = model.rows.map { r in
                "{\"name\": \(JSONString.quoted(r.tensor.name)), \"shape\": [\(r.tensor.shape.map(String.init).joined(separator: ", "))], "
                    + "\"dtype\": \"\(r.tensor.dtype.rawValue)\", \"params\": \(r.tensor.parameterCount), "
                    + "\"decay_hf\": \(r.decayTrainer), \"decay_dim\": \(r.decayByDimension)}"
            }
            sections.append("\"tensors\": [" + (rows.isEmpty ? "]" : "\n    " + rows.joined(separator: ",\n    ") + "\n  ]"))
            sections.append("\"params\": {\"total\": \(model.totalParameters), \"decayed_hf\": \(model.decayedByTrainer), \"decayed_dim\": \(model.decayedByDimension)}")
        }
        if let s = schedule {
            var fields: [(String, String)] = [
                ("steps", "\(s.plan.steps)"), ("warmup_steps", "\(s.plan.warmupSteps)"),
                ("lr_scheduler", JSONString.quoted(s.config.schedulerName)),
                ("learning_rate", number(s.config.learningRate)), ("weight_decay", number(s.config.weightDecay)),
            ]
            if let e = s.plan.epochs { fields.append(("epochs", number(e))) }
            fields.append(("shrink_peak", number(s.peakShrink)))
            fields.append(("total_shrink", number(s.remainingFraction)))
            if let t = s.timescaleSteps { fields.append(("timescale_steps", number(t))) }
            if let t = s.timescaleEpochs { fields.append(("timescale_epochs", number(t))) }
            sections.append("\"schedule\": {" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
        }
        return "{\n  " + sections.joined(separator: ",\n  ") + "\n}\n"
    }

    /// The shortest decimal that reads back as the same double.
    func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) + ".0" }
        return "\(x)"
    }
}
