import TextSupport
import Foundation
import DecayEngine
import DecayKernels

/// The suite's results, rendered as a table for people or JSON for scripts.
public struct BenchmarkReport: Sendable {
    public var measurements: [Measurement]
    public var quick: Bool
    public var cores: Int

    public init(measurements: [Measurement], quick: Bool, cores: Int) {
        self.measurements = measurements
        self.quick = quick
        self.cores = cores
    }

    public subscript(key: String) -> Measurement? { measurements.first { $0.key == key } }

    // MARK: - Text

    /// One row per benchmark: median, spread (min–max and IQR), repetitions,
    /// PyTorch's figure and the target where the issue gives them.
    public var table: String {
        let header = ["benchmark", "median", "unit", "min … max", "IQR", "n", "PyTorch", "target", ""]
        var rows: [[String]] = [header]
        for m in measurements {
            guard m.isAvailable else {
                rows.append([m.label, "n/a", m.unit, "", "", "0", "", m.target.map(Self.format) ?? "", ""])
                continue
            }
            let verdict = m.meetsTarget.map { $0 ? "ok" : "MISSED" } ?? ""
            rows.append([
                m.label, Self.format(m.median), m.unit,
                "\(Self.format(m.minimum)) … \(Self.format(m.maximum))",
                Self.format(m.upperQuartile - m.lowerQuartile), "\(m.samples.count)",
                m.reference.map(Self.format) ?? "", m.target.map { (m.higherIsBetter ? "≥ " : "≤ ") + Self.format($0) } ?? "",
                verdict,
            ])
        }
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        func line(_ r: [String]) -> String {
            r.enumerated().map { c, s in
                let pad = String(repeating: " ", count: widths[c] - s.count)
                return c == 0 || c == 2 || c == header.count - 1 ? s + pad : pad + s
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var out = [line(rows[0]), String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1))]
        out += rows.dropFirst().map(line)
        out.append("")
        out.append("Medians over repetitions after a warm-up\(quick ? " (--quick: fewer repetitions)" : ""); \(cores) cores.")
        out.append("Build: \(BuildTarget.name), for \(BuildTarget.cpu). Vector ISA: \(VectorISA.summary).")
        for m in measurements where !m.note.isEmpty { out.append("  \(m.key): \(m.note)") }
        return out.joined(separator: "\n")
    }

    static func format(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        let a = abs(x)
        if a >= 1000 { return String(format: "%.0f", x) }
        if a >= 100 { return String(format: "%.1f", x) }
        if a >= 10 { return String(format: "%.2f", x) }
        return String(format: "%.3f", x)
    }

    // MARK: - JSON

    /// Top-level keys are the medians (null when not measured); `details`
    /// holds the spread, the samples and the notes.
    public var json: String {
        func number(_ x: Double) -> String { x.isFinite ? String(format: "%.6g", x) : "null" }
        func string(_ s: String) -> String { JSONString.quoted(s) }
        var lines: [String] = []
        lines.append("  \"quick\": \(quick)")
        lines.append("  \"cores\": \(cores)")
        lines.append("  \"build\": \(string(BuildTarget.name))")
        lines.append("  \"vector_isa\": \(string(VectorISA.running.description))")
        lines.append("  \"vector_bits\": \(VectorISA.running.registerBits)")
        lines.append("  \"cpu_vector_isa\": \(string(VectorISA.cpu.description))")
        for m in measurements { lines.append("  \(string(m.key)): \(number(m.median))") }
        let details = measurements.map { m -> String in
            var fields = [
                "\"label\": \(string(m.label))", "\"unit\": \(string(m.unit))",
                "\"median\": \(number(m.median))", "\"min\": \(number(m.minimum))", "\"max\": \(number(m.maximum))",
                "\"q1\": \(number(m.lowerQuartile))", "\"q3\": \(number(m.upperQuartile))",
                "\"repetitions\": \(m.samples.count)",
                "\"samples\": [\(m.samples.map(number).joined(separator: ", "))]",
                "\"note\": \(string(m.note))",
            ]
            if let r = m.reference { fields.append("\"pytorch\": \(number(r))") }
            if let t = m.target { fields.append("\"target\": \(number(t))") }
            if let ok = m.meetsTarget { fields.append("\"meets_target\": \(ok)") }
            return "    \(string(m.key)): {\(fields.joined(separator: ", "))}"
        }
        lines.append("  \"details\": {\n\(details.joined(separator: ",\n"))\n  }")
        return "{\n\(lines.joined(separator: ",\n"))\n}"
    }
}
