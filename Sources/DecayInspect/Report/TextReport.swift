import TerminalUI

/// The report as a person reads it in a terminal.
public struct TextReport {
    public var report: InspectReport
    public var width: Int
    public var glyphs: Glyphs

    /// - Parameters:
    ///   - width: columns for tables and charts (at least 40 are used).
    ///   - glyphs: `.unicode` for braille charts, `.ascii` for plain ones.
    public init(report: InspectReport, width: Int = 80, glyphs: Glyphs = .unicode) {
        self.report = report
        self.width = max(40, min(width, 160))
        self.glyphs = glyphs
    }

    public func lines() -> [String] {
        var out: [String] = []
        write { out.append($0) }
        return out
    }

    /// Hands each line to `emit` as it is made, so a checkpoint's table of
    /// hundreds of thousands of tensors reaches the output without the whole
    /// report being held as lines and again as one text.
    public func write<Failure: Error>(_ emit: (String) throws(Failure) -> Void) throws(Failure) {
        func put(_ line: String) throws(Failure) { try emit(glyphs.braille ? line : plainASCII(asciiOnly(line))) }
        var any = false
        if let model = report.model {
            try modelLines(model, put)
            any = true
        }
        var out: [String] = []
        if let peft = report.peft {
            if any { out.append("") }
            out += peftLines(peft)
        }
        if let s = report.schedule {
            if any || !out.isEmpty { out.append("") }
            out += scheduleLines(s)
        } else if let a = report.adapter {
            out += adapterLines(a)
        }
        out += noteLines()
        for line in out { try put(line) }
    }

    /// Anything still outside ASCII after the spellings becomes "?".
    func plainASCII(_ line: String) -> String {
        if line.utf8.allSatisfy({ $0 < 0x80 }) { return line }
        return String(String.UnicodeScalarView(line.unicodeScalars.map { $0.isASCII ? $0 : "?" }))
    }

    func peftLines(_ p: PeftAdapter) -> [String] {
        var out = ["Adapter folder: " + Quote.visible(p.folder, limit: 120)]
        if let base = p.baseModel { out.append("  base model \(Quote.visible(base, limit: 80)) (from adapter_config.json)") }
        out.append("")
        // peft saves every name under base_model.model.; the table leaves it out.
        let prefix = "base_model.model."
        let names = p.tensors.map { $0.name.hasPrefix(prefix) ? String($0.name.dropFirst(prefix.count)) : $0.name }
        let nameWidth = min(max(24, names.map(\.count).max() ?? 0), max(24, width - 34))
        out.append(pad("tensor (after \(prefix))", nameWidth) + "  " + pad("shape", 12) + "  " + left("params", 10) + "  decayed")
        let norms = DecayRules.layerNormModules(tensors: p.tensors, modelType: nil).0
        for (t, name) in zip(p.tensors, names) {
            let decayed = DecayRules.trainerReason(t.name, layerNormModules: norms) == .decayed
            out.append(fit(Quote.visible(name, limit: 200), nameWidth) + "  " + pad(t.shapeText, 12) + "  "
                       + left(Count.text(t.parameterCount), 10) + "  " + (decayed ? "yes" : "no"))
        }
        out.append("")
        out.append("Trained: \(Count.text(p.trainableParameters)) parameters in \(p.tensors.count) tensors; decayed by the Trainer's rule: \(Count.text(p.decayedParameters))")
        return out
    }

    public var text: String { lines().joined(separator: "\n") + "\n" }

    // MARK: - Model

    func modelLines<Failure: Error>(_ m: ModelSummary, _ put: (String) throws(Failure) -> Void) throws(Failure) {
        let shards = m.files.count > 1 ? " (\(m.files.count - 1) shard\(m.files.count == 2 ? "" : "s"))" : ""
        var out = ["Model: " + Quote.visible(m.files.first ?? "", limit: 120) + shards]
        if let type = m.modelType {
            out.append("  model type \(Quote.visible(type, limit: 40)) (from config.json)")
        } else if m.layerNormsGuessed {
            out.append("  no config.json: LayerNorm modules recognised by name and shape (a weight and a bias, both vectors)")
        }
        out.append("")
        let nameWidth = min(max(24, m.rows.lazy.map { columns($0.tensor.name) }.max() ?? 0), max(24, width - 34))
        out.append(pad("tensor", nameWidth) + "  " + pad("shape", 12) + "  " + left("params", 10) + "  HF  ≥2-D".replacingOccurrences(of: "≥", with: glyphs.braille ? "≥" : ">="))
        for line in out { try put(line) }
        for r in m.rows { try put(modelRow(r, nameWidth: nameWidth)) }
        out = [""]
        out.append("Parameters: \(Count.text(m.totalParameters)) in \(m.rows.count) tensors")
        out.append("  decayed by the Trainer's rule (get_decay_parameter_names): \(Count.text(m.decayedByTrainer)) (\(percent(m.decayedByTrainer, of: m.totalParameters)))")
        out.append("  decayed by the \(ge)2-D rule (nanoGPT):                      \(Count.text(m.decayedByDimension)) (\(percent(m.decayedByDimension, of: m.totalParameters)))")
        let disagreements = m.rows.lazy.filter(\.disagrees)   // not copied: there may be 200,000
        let disagreeing = disagreements.count
        if disagreeing == 0 {
            out.append("  The two rules agree on every tensor.")
        } else {
            out.append("  The rules disagree on \(disagreeing) tensor\(disagreeing == 1 ? "" : "s") (\(mark)):")
            for r in disagreements.prefix(12) {
                let d = "\(r.tensor.shape.count)-D"
                let why = r.decayTrainer
                    ? "the Trainer decays it (no pattern matches its name); the \(ge)2-D rule skips it (\(d))"
                    : "the Trainer skips it (\(r.trainerReason.rawValue)); the \(ge)2-D rule decays it (\(d))"
                out.append("    \(Quote.visible(r.tensor.name, limit: 100)) [\(r.tensor.shapeText)]")
                out.append("      \(why)")
            }
            if disagreeing > 12 { out.append("    … and \(disagreeing - 12) more") }
        }
        for line in out { try put(line) }
    }

    /// One tensor's row, made in one string (a table may have 200,000).
    func modelRow(_ r: ModelSummary.Row, nameWidth: Int) -> String {
        var line = ""
        line.reserveCapacity(nameWidth + 48)
        let name = Quote.visible(r.tensor.name, limit: 200)
        let nameColumns = columns(name)
        if nameColumns <= nameWidth {
            line += name
            appendSpaces(&line, nameWidth - nameColumns)
        } else {
            line += fit(name, nameWidth)
        }
        line += "  "
        let shape = r.tensor.shapeText
        line += shape
        appendSpaces(&line, 12 - columns(shape))
        line += "  "
        let count = Count.text(r.tensor.parameterCount)
        appendSpaces(&line, 10 - count.utf8.count)
        line += count
        line += r.decayTrainer ? "  yes " : "  no  "
        line += r.decayByDimension ? "yes" : "no"
        if r.disagrees { line += "  " + mark }
        return line
    }

    static let spaces = String(repeating: " ", count: 64)

    func appendSpaces(_ line: inout String, _ n: Int) {
        guard n > 0 else { return }
        if n <= 64 { line.append(contentsOf: Self.spaces.prefix(n)) } else { line += String(repeating: " ", count: n) }
    }

    var mark: String { glyphs.braille ? "◆" : "*" }
    var ge: String { glyphs.braille ? "≥" : ">=" }

    func percent(_ part: Int, of total: Int) -> String {
        total > 0 ? NumberFormat.fixed(100 * Double(part) / Double(total), decimals: 1) + "%" : "–"
    }

    func pad(_ s: String, _ n: Int) -> String {
        let c = columns(s)
        return c >= n ? s : s + String(repeating: " ", count: n - c)
    }
    func left(_ s: String, _ n: Int) -> String {
        let c = columns(s)
        return c >= n ? s : String(repeating: " ", count: n - c) + s
    }
    func fit(_ s: String, _ n: Int) -> String {
        columns(s) <= n ? pad(s, n) : String(s.prefix(max(1, n - 1))) + (glyphs.braille ? "…" : "~")
    }

    /// Characters in `s`: its bytes when it is ASCII, without walking its
    /// grapheme clusters.
    func columns(_ s: String) -> Int {
        let ascii = s.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } } ?? false
        return ascii ? s.utf8.count : s.count
    }
}

/// Integers with thousands separators: 124,439,808.
enum Count {
    static func text(_ n: Int) -> String {
        if n > -1000 && n < 1000 { return String(n) }   // no separator; most tensors of a large table
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }
}
