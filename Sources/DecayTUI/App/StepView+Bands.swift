import TerminalUI
import DecayEngine
import DecayLessons

/// Runs trained at several seeds (`seeds = N`): the chart draws the median
/// as the run's line and the min–max over the seeds as a stipple band in
/// the run's colour; the legend says so.
extension StepView {
    /// "band: min–max of 5 seeds, line: median" (the largest seed count on screen).
    var bandLabel: String {
        let n = training.runs.map(\.seedCount).max() ?? 1
        return theme.text("band: min–max of \(n) seeds, line: median")
    }

    /// The band of run `i` for `metric`, or nil for a run at one seed.
    func band(_ run: TrainingSnapshot.RunState, index i: Int, _ metric: Metric) -> ChartBand? {
        guard run.isBanded else { return nil }
        var low: [ChartPoint] = [], high: [ChartPoint] = []
        for (l, h) in zip(run.low, run.high) {
            guard let a = l[metric], let b = h[metric] else { continue }
            low.append(ChartPoint(x: Double(l.step), y: Double(a)))
            high.append(ChartPoint(x: Double(h.step), y: Double(b)))
        }
        return ChartBand(color: theme.runColor(i), low: low, high: high, label: bandLabel)
    }

    /// Every banded run's band for `metric`.
    func bands(_ metric: Metric) -> [ChartBand] {
        training.runs.enumerated().compactMap { band($1, index: $0, metric) }
    }
}
