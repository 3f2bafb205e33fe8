import TerminalUI

extension TextReport {
    func scheduleLines(_ s: ScheduleSummary) -> [String] {
        let c = s.config, p = s.plan
        var out = ["Config: \(Quote.visible(c.path, limit: 120)) (\(c.formatLabel))"]
        func row(_ label: String, _ value: String) { out += rowLines(label, value) }
        if let kind = report.runKind { row("run kind", kind.title + (report.runKindReason.map { " (\($0))" } ?? "")) }
        row("steps", stepsText(s))
        row("data", examplesText(s))
        if p.unknownReason == nil { row("warm-up", "\(Count.text(p.warmupSteps)) step\(p.warmupSteps == 1 ? "" : "s")") }
        row("schedule", "\(c.scheduler.description), peak lr \(sci(c.learningRate))")
        row("optimizer", "\(c.optimizer): \(s.optimizer.rule.formula)")
        row("weight decay", "λ = \(sci(s.weightDecay))")
        if let peak = s.peakShrink {
            row("peak shrink", s.optimizer.rule == .lrSquaredOverMax
                ? "λ·lr_t²/lr_max = \(sci(peak)) at the peak rate, less as the rate falls"
                : "lr·λ = \(sci(peak)) of each decayed weight per step")
        }
        if let left = s.remainingFraction, let lost = s.fractionLost {
            let formula = s.optimizer.rule == .lrSquaredOverMax ? "Π(1 − λ·lr_t²/lr_max)" : "Π(1 − lr_t·λ)"
            row("total shrink", "\(formula) = \(NumberFormat.fixed(left, decimals: 6)) left; \(percentText(lost)) lost to decay alone")
        } else if let least = s.remainingAtLeast {
            row("total shrink", "at least \(NumberFormat.fixed(least, decimals: 6)) left (the schedule only lowers the rate)")
        } else {
            row("total shrink", "not computed (see the notes)")
        }
        if let tau = s.timescaleSteps {
            var t = "τ = 1/(lr·λ) = \(Count.textOrSci(tau)) steps"
            if let e = s.timescaleEpochs { t += " = \(NumberFormat.compact(e, significantDigits: 3)) epochs" }
            if p.unknownReason == nil { t += " (the run: \(Count.text(p.steps)) steps)" }
            row("timescale", t)
        }
        if let a = report.adapter { out += adapterLines(a) }
        out.append("")
        if let v = report.verdict {
            out += wrap("Verdict: " + v.message, width: width - 2).map { "  " + $0 }
        }
        if let profile = s.profile, p.steps > 0, (s.peakShrink ?? 0) > 0 {
            out.append("")
            out += ShrinkChart.lines(profile, width: width, glyphs: glyphs)
            while out.last == "" { out.removeLast() }
        }
        return out
    }

    func stepsText(_ s: ScheduleSummary) -> String {
        let c = s.config, p = s.plan
        if let reason = p.unknownReason { return "cannot be predicted: \(reason)" }
        var text = Count.text(p.steps)
        if let u = p.updatesPerEpoch, let e = p.epochs {
            text += " (\(Count.text(u)) per epoch × \(epochsText(e)))"
        } else if c.axolotl.streaming || c.axolotl.pretrainingDataset {
            text += " (max_steps; streamed data has no length, so no epochs)"
        } else {
            text += " (\(p.basis))"
        }
        return text
    }

    /// The examples counted and held out, and the batch.
    func examplesText(_ s: ScheduleSummary) -> String {
        let c = s.config, p = s.plan
        var parts: [String] = []
        if let tokens = p.tokens, let efficiency = c.axolotl.packingEfficiency {
            parts.append("\(Count.text(tokens)) tokens packed into sequences of \(Count.text(c.axolotl.sequenceLength)) at efficiency \(NumberFormat.compact(efficiency, significantDigits: 4))")
            parts.append("batch \(c.batchSize) × accumulation \(c.accumulation) = \(Count.text(c.examplesPerStep)) sequences per step on one device")
            return parts.joined(separator: "; ")
        }
        if let held = p.validationExamples, let train = p.trainExamples {
            parts.append("\(Count.text(train + held)) examples: \(Count.text(held)) held out for validation (val_set_size), \(Count.text(train)) train")
        } else if let train = p.trainExamples {
            parts.append("\(Count.text(train)) examples")
        }
        parts.append("batch \(c.batchSize) × accumulation \(c.accumulation) = \(Count.text(c.examplesPerStep)) examples per step on one device")
        return parts.joined(separator: "; ")
    }

    func epochsText(_ e: Double) -> String {
        let n = NumberFormat.compact(e, significantDigits: 4)
        return n + (e == 1 ? " epoch" : " epochs")
    }

    func adapterLines(_ a: AdapterReport) -> [String] {
        var out = [""]
        guard let s = a.settings else {
            out.append("Adapter: (--adapter) no adapter settings in what was given; parameters not counted")
            return out
        }
        let scale = NumberFormat.compact(s.scaling, significantDigits: 4)
        out.append("Adapter: \(s.kind), r \(s.rank), α \(AdapterReport.number(s.alpha)) (scale \(s.useRSLoRA ? "α/√r" : "α/r") = \(scale))"
                   + (s.useDoRA ? ", DoRA" : ""))
        func row(_ label: String, _ value: String) { out += rowLines(label, value) }
        row("read from", Quote.visible(s.source, limit: 120))
        row("targets", s.targetsDescription)
        if !s.modulesToSave.isEmpty { row("saved in full", s.modulesToSave.joined(separator: ", ")) }
        if let count = a.count {
            row("adapted", "\(count.layers.count) layer\(count.layers.count == 1 ? "" : "s"): A (r × in) and B (out × r)" + (s.useDoRA ? " and a magnitude per output" : ""))
            let byName = Dictionary(grouping: count.layers) { $0.module.split(separator: ".").last.map(String.init) ?? $0.module }
            row("layers", byName.keys.sorted().map { "\($0) ×\(byName[$0]!.count)" }.joined(separator: ", "))
        } else if let peft = a.peft {
            row("adapted", "\(peft.factorTensors.count) LoRA factor tensors in \(PeftAdapter.weightsName)")
        }
        if let trainable = a.trainableParameters {
            var text = Count.text(trainable)
            if let all = a.allParameters {
                text += " of \(Count.text(all)) (\(NumberFormat.fixed(100 * Double(trainable) / Double(all), decimals: 4))%), as peft's print_trainable_parameters() counts"
            }
            row("trainable", text)
        }
        if let decayed = a.decayedParameters { row("decayed", "\(Count.text(decayed)) (the Trainer's rule); the frozen base is not decayed") }
        return out
    }

    /// "  label          value", the value wrapped under itself.
    func rowLines(_ label: String, _ value: String) -> [String] {
        wrap(value, width: max(20, width - 17)).enumerated().map { i, line in
            (i == 0 ? "  " + pad(label, 15) : String(repeating: " ", count: 17)) + line
        }
    }

    func noteLines() -> [String] {
        // The run kind and its reason have their own row.
        let notes = report.notes.filter { $0.code != .runKind }
        guard !notes.isEmpty else { return [] }
        var out = ["", "Notes:"]
        let path = report.schedule.map { Quote.visible($0.config.path, limit: 120) }
        for n in notes {
            let place = n.line.flatMap { line in path.map { "\($0):\(line): " } } ?? ""
            let lines = wrap(place + n.message, width: width - 6)
            out += lines.enumerated().map { ($0.offset == 0 ? "  - " : "    ") + $0.element }
        }
        return out
    }

    /// Greedy word wrap at spaces.
    func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    func sci(_ x: Double) -> String { NumberFormat.compact(x, significantDigits: 3) }

    func percentText(_ fraction: Double) -> String { Verdict.percent(fraction) }

    func asciiOnly(_ line: String) -> String {
        if line.utf8.allSatisfy({ $0 < 0x80 }) { return line }   // most lines, and every row of a large table
        var s = line
        for (u, a) in [("Π", "prod"), ("λ", "lambda"), ("τ", "tau"), ("×", "x"), ("−", "-"), ("—", "-"), ("–", "-"), ("·", "*"), ("≥", ">="),
                       ("≤", "<="), ("…", "..."), ("“", "\""), ("”", "\""), ("◆", "*"), ("←", "<-"), ("α", "alpha"), ("√", "sqrt"),
                       ("ΔW", "dW"), ("Δ", "d"), ("²", "^2"), ("₀", "0"), ("’", "'")] {
            s = s.replacingOccurrences(of: u, with: a)
        }
        return s
    }
}

extension Count {
    /// A count with separators up to a trillion, scientific beyond.
    static func textOrSci(_ x: Double) -> String {
        x < 1e12 ? text(Int(x.rounded())) : NumberFormat.compact(x, significantDigits: 3)
    }
}
