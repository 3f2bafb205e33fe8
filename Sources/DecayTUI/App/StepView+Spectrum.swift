import TerminalUI
import DecayEngine
import DecayLessons

/// The spectrum chart: each adapted layer's ΔW = s·B·A as it stands at the
/// latest evaluation, σᵢ/σ₁ against i on a log axis. Counting the singular
/// values that stand clear of σ₁/10 (the dashed line) and reading σ₁ (in the
/// legend) is what the adapters lesson asks of the learner; a line per σᵢ
/// over the steps put r lines per run on the chart, and at r = 8 with two
/// runs no one could count them.
extension StepView {
    /// The lowest ratio the axis shows; smaller ones (a direction the
    /// adapter never used, 1e-20 of σ₁) sit on the floor.
    static let spectrumFloor = 1e-3

    /// One run's spectrum of one adapted layer at its latest evaluation.
    struct LayerSpectrum {
        var layer: Int
        /// The evaluation measured; nil before the first.
        var step: Int?
        /// σ₁ ≥ σ₂ ≥ … (r of them), NaN where unmeasured.
        var values: [Float]

        /// How many singular values stand above a tenth of σ₁ (σ₁ among them).
        var aboveATenth: Int? {
            guard let top = values.first, top.isFinite, top > 0 else { return nil }
            return values.filter { $0 > top / 10 }.count
        }

        /// The legend's words after the run's name: how many stand above
        /// the σ₁/10 line (the entry before them), then σ₁.
        var summary: String {
            guard let top = values.first, top.isFinite else { return "σ₁ not measured yet" }
            let sigma = NumberFormat.compact(Double(top), significantDigits: 3)
            return aboveATenth.map { "\($0) above, σ₁ = \(sigma)" } ?? "σ₁ = \(sigma)"
        }

        /// (i, σᵢ/σ₁) for i = 1…r, each ratio raised to `floor`; none when
        /// σ₁ is zero or unmeasured (ΔW = 0 before the first step).
        func ratios(floor: Double) -> [ChartPoint] {
            guard let top = values.first.map(Double.init), top.isFinite, top > 0 else { return [] }
            return values.enumerated().map { i, v in
                let r = Double(v) / top
                return ChartPoint(x: Double(i + 1), y: r.isFinite ? max(r, floor) : .nan)
            }
        }
    }

    /// A run's spectra, one per adapted layer in layer order, r values
    /// each (NaN until the first evaluation measures them).
    func spectra(_ entries: History) -> [LayerSpectrum] {
        var byLayer: [Int: LayerSpectrum] = [:]
        for metric in ChartLine(.singularValue).metrics(in: entries.layout) {
            guard case let .component(l, i) = metric.index else { continue }
            var s = byLayer[l] ?? LayerSpectrum(layer: l, step: nil, values: [])
            if s.values.count <= i { s.values += Array(repeating: .nan, count: i + 1 - s.values.count) }
            if let latest = entries.latest(metric) {
                s.values[i] = latest.value
                s.step = max(s.step ?? 0, latest.entry.step)
            }
            byLayer[l] = s
        }
        return byLayer.keys.sorted().map { byLayer[$0]! }
    }

    func spectrumChart(width: Int) -> LineChart {
        let perRun = training.runs.map { spectra($0.entries) }
        let layers = perRun.map(\.count).max() ?? 0
        let rank = perRun.joined().map(\.values.count).max() ?? 0
        let span = 1...Double(max(rank, 2))
        var series = [ChartSeries(label: theme.text("σ₁/10"), color: nil, role: .validation,
                                  points: [ChartPoint(x: span.lowerBound, y: 0.1), ChartPoint(x: span.upperBound, y: 0.1)])]
        for (i, spectra) in perRun.enumerated() {
            let run = training.runs[i]
            for (k, s) in spectra.enumerated() {
                let id = layers == 1 ? i : i * layers + k
                let look = theme.seriesLook(id)
                let layer = layers == 1 ? "" : " L\(s.layer)"
                var line = ChartSeries(label: theme.text("\(runLabel(run))\(layer): \(s.summary)"),
                                       color: theme.runColor(id), role: look.role,
                                       points: s.ratios(floor: Self.spectrumFloor), marker: look.marker,
                                       endLabel: endLabel(run.name + layer))
                line.marksPoints = true
                series.append(line)
            }
        }
        let step = perRun.joined().compactMap(\.step).max()
        let title = step.map { "singular values σᵢ of ΔW = s·B·A at step \($0), as σᵢ/σ₁ (log scale)" }
            ?? "singular values σᵢ of ΔW = s·B·A (drawn from the first evaluation on)"
        var chart = LineChart(title: theme.text(title), series: fittingLegend(series, width: width), yScale: .log10,
                              xRange: span, yRange: Self.spectrumFloor...1.2, xAxisLabel: "i", glyphs: theme.glyphs)
        chart.xTicks = (1...max(rank, 1)).map { AxisTick(value: Double($0), label: "\($0)") }
        return chart
    }
}
