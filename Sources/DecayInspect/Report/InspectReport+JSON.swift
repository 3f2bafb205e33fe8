import TextSupport

extension InspectReport {
    /// The `--json` object: `tensors` and `params` (with --model), `schedule`
    /// (with --config), `adapter`, `run_kind`, `verdict` and `notes`, each
    /// only when it applies; inside them, keys for what is not known (epochs
    /// without the data's size, τ without decay) are absent.
    public func json() -> String {
        var text = ""
        writeJSON { text += $0 }
        return text
    }

    /// The `--json` object in pieces, in order: the `tensors` list a row at
    /// a time (a checkpoint may have 200,000), then the rest.
    public func writeJSON<Failure: Error>(_ emit: (String) throws(Failure) -> Void) throws(Failure) {
        var sections: [String] = []
        if let model {
            try emit("{\n  \"tensors\": [")
            for (i, r) in model.rows.enumerated() {
                var row = i == 0 ? "\n    " : ",\n    "
                row.reserveCapacity(r.tensor.name.utf8.count + 120)
                row += "{\"name\": "
                row += JSONString.quoted(r.tensor.name)
                row += ", \"shape\": ["
                for (k, size) in r.tensor.shape.enumerated() {
                    if k > 0 { row += ", " }
                    row += String(size)
                }
                row += "], \"dtype\": \""
                row += r.tensor.dtype.rawValue
                row += "\", \"params\": "
                row += String(r.tensor.parameterCount)
                row += r.decayTrainer ? ", \"decay_hf\": true" : ", \"decay_hf\": false"
                row += r.decayByDimension ? ", \"decay_dim\": true}" : ", \"decay_dim\": false}"
                try emit(row)
            }
            try emit(model.rows.isEmpty ? "]" : "\n  ]")
            sections.append("\"params\": {\"total\": \(model.totalParameters), \"decayed_hf\": \(model.decayedByTrainer), \"decayed_dim\": \(model.decayedByDimension)}")
        }
        if let s = schedule { sections.append("\"schedule\": " + Self.object(scheduleFields(s))) }
        if let a = adapter { sections.append("\"adapter\": " + Self.object(adapterFields(a))) }
        if let runKind { sections.append("\"run_kind\": \(JSONString.quoted(runKind.rawValue))") }
        if let v = verdict {
            var fields: [(String, String)] = [("kind", JSONString.quoted(v.kind)), ("message", JSONString.quoted(v.message))]
            if let l = v.lambdaForOneEpoch { fields.append(("lambda_one_epoch", Self.number(l))) }
            if let l = v.lambdaForWholeRun { fields.append(("lambda_whole_run", Self.number(l))) }
            sections.append("\"verdict\": " + Self.object(fields))
        }
        if schedule != nil || !notes.isEmpty {
            let items = notes.map { n -> String in
                var fields = [("code", JSONString.quoted(n.code.rawValue)), ("message", JSONString.quoted(n.message))]
                if let line = n.line { fields.append(("line", String(line))) }
                return Self.object(fields)
            }
            sections.append("\"notes\": [" + (items.isEmpty ? "]" : "\n    " + items.joined(separator: ",\n    ") + "\n  ]"))
        }
        let opening = model == nil ? "{\n  " : (sections.isEmpty ? "" : ",\n  ")
        try emit(opening + sections.joined(separator: ",\n  ") + "\n}\n")
    }

    func scheduleFields(_ s: ScheduleSummary) -> [(String, String)] {
        let c = s.config
        var fields: [(String, String)] = [
            ("format", JSONString.quoted(c.formatLabel)),
            ("steps", "\(s.plan.steps)"), ("warmup_steps", "\(s.plan.warmupSteps)"),
            ("lr_scheduler", JSONString.quoted(c.scheduler.name)),
            ("schedule", JSONString.quoted(c.scheduler.description)),
            ("learning_rate", Self.number(c.learningRate)), ("weight_decay", Self.number(s.weightDecay)),
            ("optimizer", Self.object([("name", JSONString.quoted(c.optimizer)), ("decay_rule", JSONString.quoted(s.optimizer.rule.jsonName)),
                                       ("rule", JSONString.quoted(s.optimizer.rule.formula)), ("source", JSONString.quoted(s.optimizer.source))])),
            ("batch", "\(c.batchSize)"), ("accumulation", "\(c.accumulation)"),
        ]
        if let reason = s.plan.unknownReason { fields.append(("steps_unknown", JSONString.quoted(reason))) }
        if let n = s.plan.trainExamples {
            // examples: as given (--examples); train_examples: after val_set_size is held out.
            fields.append(("examples", "\(n + (s.plan.validationExamples ?? 0))"))
            fields.append(("train_examples", "\(n)"))
        }
        if let n = s.plan.validationExamples { fields.append(("val_examples", "\(n)")) }
        if let n = s.plan.tokens { fields.append(("tokens", "\(n)")) }
        if let u = s.plan.updatesPerEpoch { fields.append(("updates_per_epoch", "\(u)")) }
        if let e = s.plan.epochs { fields.append(("epochs", Self.number(e))) }
        if let p = s.peakShrink { fields.append(("shrink_peak", Self.number(p))) }
        if let r = s.remainingFraction { fields.append(("total_shrink", Self.number(r))) }
        if let r = s.remainingAtLeast { fields.append(("total_shrink_at_least", Self.number(r))) }
        if let t = s.timescaleSteps { fields.append(("timescale_steps", Self.number(t))) }
        if let t = s.timescaleEpochs { fields.append(("timescale_epochs", Self.number(t))) }
        return fields
    }

    func adapterFields(_ a: AdapterReport) -> [(String, String)] {
        var fields: [(String, String)] = []
        if let s = a.settings {
            fields += [("kind", JSONString.quoted(s.kind)), ("rank", "\(s.rank)"), ("alpha", Self.number(s.alpha)),
                       ("scaling", Self.number(s.scaling)), ("targets", Self.strings(s.targetModules)),
                       ("targets_description", JSONString.quoted(s.targetsDescription)),
                       ("modules_to_save", Self.strings(s.modulesToSave)),
                       ("use_dora", "\(s.useDoRA)"), ("use_rslora", "\(s.useRSLoRA)")]
        }
        if let n = a.trainableParameters { fields.append(("trainable_params", "\(n)")) }
        if let n = a.decayedParameters { fields.append(("decayed_params", "\(n)")) }
        if let n = a.allParameters { fields.append(("all_params", "\(n)")) }
        if let count = a.count {
            fields.append(("adapted_modules", Self.strings(count.layers.map(\.module))))
            fields.append(("trainable_percent", Self.number(count.trainablePercent)))
        }
        if let peft = a.peft { fields.append(("adapter_folder", JSONString.quoted(peft.folder))) }
        return fields
    }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    static func strings(_ items: [String]) -> String { "[" + items.map(JSONString.quoted).joined(separator: ", ") + "]" }

    /// The shortest decimal that reads back as the same double.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) + ".0" }
        return "\(x)"
    }

    func number(_ x: Double) -> String { Self.number(x) }
}
