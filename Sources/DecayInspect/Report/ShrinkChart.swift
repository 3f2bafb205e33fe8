import Foundation
import TerminalUI

/// The two curves of a schedule's effect, drawn with the tutor's line
/// chart: the per-step shrink (lr_t·λ, or the optimizer's own rule), and
/// the fraction of a decayed weight left after each step.
public enum ShrinkChart {
    /// Samples of both curves at most `count` evenly spaced steps (and the
    /// last), computed in one pass over the run.
    public static func samples(_ profile: DecayProfile, count: Int = 400) -> (shrink: [ChartPoint], remaining: [ChartPoint]) {
        let n = max(0, profile.schedule.totalSteps)
        guard n > 0 else { return ([], []) }
        let stride = max(1, n / max(1, count))
        var shrink: [ChartPoint] = [], remaining: [ChartPoint] = [ChartPoint(x: 0, y: 1)]
        var w = 1.0
        for t in 0..<n {
            let s = profile.shrink(at: t)
            if t % stride == 0 || t == n - 1 { shrink.append(ChartPoint(x: Double(t), y: s)) }
            w *= 1 - s
            if (t + 1) % stride == 0 || t == n - 1 { remaining.append(ChartPoint(x: Double(t + 1), y: w)) }
        }
        return (shrink, remaining)
    }

    /// Both charts as text lines, `width` columns wide.
    public static func lines(_ profile: DecayProfile, width: Int, height: Int = 9, glyphs: Glyphs) -> [String] {
        var (shrink, remaining) = samples(profile, count: width * 2)
        // The shrink is plotted in units of a power of ten, so its axis reads
        // 0, 1, 2 rather than 0.00000, 1e-5, 2e-5.
        let peak = shrink.map(\.y).filter(\.isFinite).max() ?? 0
        let exponent = peak > 0 ? Int(floor(log10(peak))) : 0
        var title = "per-step shrink " + (profile.shrink == .rateTimesLambda ? "lr_t·λ" : "λ·lr_t²/lr_max")
        if exponent < -2 || exponent > 3 {
            let unit = pow(10.0, Double(exponent))
            shrink = shrink.map { ChartPoint(x: $0.x, y: $0.y / unit) }
            title += " (in units of 1e\(exponent))"
        }
        let xRange = 0...Double(max(1, profile.schedule.totalSteps))
        let top = LineChart(title: title, series: [ChartSeries(label: "", color: nil, points: shrink)],
                            xRange: xRange, xAxisLabel: "step", glyphs: glyphs, showLegend: false)
        let bottom = LineChart(title: "fraction of a decayed weight left", series: [ChartSeries(label: "", color: nil, points: remaining)],
                               xRange: xRange, xAxisLabel: "step", glyphs: glyphs, showLegend: false)
        var out: [String] = []
        for chart in [top, bottom] {
            var grid = CellGrid(width: width, height: height)
            chart.render(into: &grid, in: grid.bounds)
            out += grid.lines()
            out.append("")
        }
        return out
    }
}
