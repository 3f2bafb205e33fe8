import TerminalUI

extension TextReport {
    func scheduleLines(_ s: ScheduleSummary) -> [String] {
        let c = s.config, p = s.plan
        var out = ["Config: \(Quote.visible(c.path, limit: 120)) (\(c.format.rawValue))"]
        func row(_ label: String, _ value: String) { out.append("  " + pad(label, 15) + value) }
        var steps = Count.text(p.steps)
        if let u = p.updatesPerEpoch, let e = p.epochs {
            steps += " (\(Count.text(u)) per epoch × \(NumberFormat.compact(e, significantDigits: 4)) epochs; batch \(c.batchSize) × accumulation \(c.accumulation))"
        } else if c.maxSteps != nil {
            steps += " (max_steps)"
        }
        row("steps", steps)
        row("warm-up", "\(Count.text(p.warmupSteps)) steps")
        row("schedule", "\(c.schedulerName), peak lr \(sci(c.learningRate))")
        row("weight decay", "λ = \(sci(c.weightDecay)), optimizer \(c.optimizer)")
        row("peak shrink", "lr·λ = \(sci(s.peakShrink)) of each decayed weight per step")
        row("total shrink", "Π(1 − lr_t·λ) = \(NumberFormat.fixed(s.remainingFraction, decimals: 6)) left; "
            + "\(percentText(s.fractionLost)) lost to decay alone")
        if let tau = s.timescaleSteps {
            var t = "τ = 1/(lr·λ) = \(Count.textOrSci(tau)) steps"
            if let e = s.timescaleEpochs { t += " = \(NumberFormat.compact(e, significantDigits: 3)) epochs" }
            t += " (the run: \(Count.text(p.steps)) steps)"
            row("timescale", t)
        }
        out.append("")
        var prose = [verdictLines(s).joined(separator: " ")]
        if let caveat = c.optimizerCaveat { prose.append("Note: " + caveat) }
        if c.samplePacking {
            prose.append("Note: with sample_packing, --examples is taken as the number of packed sequences; Axolotl's own estimate may differ slightly.")
        }
        for paragraph in prose { out += wrap(paragraph, width: width - 2).map { "  " + $0 } }
        if p.steps > 0, s.peakShrink > 0 {
            out.append("")
            out += ShrinkChart.lines(s.schedule, weightDecay: c.weightDecay, width: width, glyphs: glyphs)
            while out.last == "" { out.removeLast() }
        }
        return out
    }

    func verdictLines(_ s: ScheduleSummary) -> [String] {
        var out: [String] = []
        switch s.verdict {
        case .noDecay:
            out.append("Verdict: no decay — λ is 0 (or the rate is), so weights shrink only if the gradient shrinks them.")
        case .overshoots:
            out.append("Verdict: broken — lr·λ is 1 or more, so a step at the peak rate would zero or flip the sign of every decayed weight.")
            out.append("Decoupled decay needs lr·λ far below 1; check that λ and the learning rate are what you meant.")
        case .tooStrong:
            out.append("Verdict: strong — τ is shorter than one epoch: a weight decays away before the data has been seen once,")
            out.append("so what it learns early is forgotten. The timescale lesson's guideline puts τ between one epoch and the whole run.")
        case .tooWeak:
            out.append("Verdict: weak — τ is longer than the whole run: decay removes only \(percentText(s.fractionLost)) of a weight by the end,")
            out.append("little regularisation. The timescale lesson's guideline puts τ between one epoch and the whole run.")
        case .withinGuideline:
            out.append("Verdict: within the guideline — τ lies between one epoch and the whole run.")
        case .withinRun:
            out.append("Verdict: τ is shorter than the run; pass --examples N to compare it with an epoch as well.")
        }
        var targets: [String] = []
        if let l = s.lambdaForOneEpoch { targets.append("λ = \(sci(l)) puts τ at one epoch") }
        if let l = s.lambdaForWholeRun { targets.append("λ = \(sci(l)) at the whole run") }
        if !targets.isEmpty { out.append("At this learning rate, " + targets.joined(separator: ", ") + ".") }
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

    func percentText(_ fraction: Double) -> String {
        let p = 100 * fraction
        if p != 0 && abs(p) < 0.01 { return NumberFormat.compact(p, significantDigits: 2) + "%" }
        return NumberFormat.fixed(p, decimals: 2) + "%"
    }

    func asciiOnly(_ line: String) -> String {
        var s = line
        for (u, a) in [("Π", "prod"), ("λ", "lambda"), ("τ", "tau"), ("×", "x"), ("−", "-"), ("—", "-"), ("·", "*"), ("≥", ">="), ("…", "..."), ("“", "\""), ("”", "\""), ("◆", "*")] {
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
