import TerminalUI
import DecayEngine
import DecayLessons
import Foundation
import TextSupport

/// One column of the numbers panel: the latest value of one metric per run.
struct NumbersColumn {
    enum Format { case number, percent, factor }

    var metric: Metric
    var head: String
    var format: Format
    /// Shown, smoothed, until `metric` is measured (the minibatch loss
    /// before the first full-set training loss).
    var standIn: Metric?

    /// The column a metric has in the panel, or nil for one it leaves to
    /// the charts. Heads are spelled for `theme`.
    static func of(_ metric: Metric, theme: Theme) -> NumbersColumn? {
        func column(_ head: String, _ format: Format = .number, standIn: Metric? = nil) -> NumbersColumn {
            NumbersColumn(metric: metric, head: theme.text(head), format: format, standIn: standIn)
        }
        switch metric.kind {
        case .fullTrainLoss: return column("train (full set)", standIn: .trainLoss)
        case .validationLoss: return column("val loss")
        case .trainAccuracy: return column("train acc", .percent)
        case .validationAccuracy: return column("val acc", .percent)
        case .penalty: return column("penalty (λ/2)‖w‖²")
        case .gainNorm: return column("‖γ‖ gains")
        case .shiftNorm: return column("‖β‖ shifts")
        case .frequentRowNorm: return column("frequent rows")
        case .rareRowNorm: return column("rare rows")
        case .norm: return column("‖\(metric.memberName)‖")
        // Six decimals: the point of the column is how close to 1 it stays.
        case .totalShrink: return column("Π(1−lr·λ) A,B", .factor)
        case .adapterUpdateNorm: return column("‖ΔW‖ \(layerName(metric))")
        case .stableRank: return column("srank \(layerName(metric))")
        case .trainLoss, .accuracyGap, .gap, .updateNorm, .decayShare, .effectiveStep, .distanceFromInit, .functionDistance,
             .adapterANorm, .adapterBNorm, .singularValue, .effectiveRank:
            return nil
        }
    }

    /// "L2" for layer 2: short, as a head has little room.
    private static func layerName(_ metric: Metric) -> String {
        if case let .layer(l) = metric.index { "L\(l)" } else { metric.memberName }
    }

    /// The run's latest value, formatted; nil where it has none yet.
    func value(_ entries: History, smoothed: (Metric, History) -> [ChartPoint]) -> String? {
        if let (_, v) = entries.latest(metric) { return text(Double(v)) }
        guard let standIn else { return nil }
        return smoothed(standIn, entries).last(where: { $0.y.isFinite }).map { text($0.y) }
    }

    func text(_ v: Double) -> String {
        switch format {
        case .number: NumbersPanel.number(v)
        case .percent: PrintfNumber.format("%.1f%%", v * 100)
        case .factor: PrintfNumber.format("%.6f", v)
        }
    }
}

extension NumbersPanel {
    /// Where the step's table is narrower than its columns: when a
    /// column gives way (lower tiers first, then right to left within a
    /// tier), or nil for one that stays. A column whose metric the step
    /// charts stays, unless the step argues from another chart.
    func dropTier(_ column: NumbersColumn) -> Int? {
        let charts = state.step?.charts ?? []
        let charted = Set(charts.flatMap(\.kinds))
        let isCharted = charted.contains(column.metric.kind)
        // A norms chart focused on one group other than the weights (the one
        // decayed group of the step) keeps that group's column: the weights'
        // and the uncharted gains' go before it is cut.
        let focusElsewhere = charts.contains { $0.isFocusable } && state.normGroup.map { $0 != .weights } == true
        // A step that charts accuracy and not the losses argues in accuracy:
        // last of all, its loss columns go before its accuracy ones would be cut.
        let arguesInAccuracy = charted.contains(.validationAccuracy) && !charted.contains(.validationLoss)
        switch column.metric.kind {
        case .penalty: return isCharted ? nil : 0
        case .shiftNorm: return isCharted ? nil : 1
        case .norm:
            // ‖norms‖ mixes gains and shifts, which have columns of their own.
            switch column.metric.group {
            case .layerNorms?: return 2
            case .biases?: return 3
            case .weights?: return focusElsewhere ? 7 : nil
            case .embeddings?, .adapters?, nil: return nil
            }
        case .trainAccuracy, .validationAccuracy: return isCharted ? nil : 4
        case .frequentRowNorm, .rareRowNorm: return isCharted ? nil : 5
        case .gainNorm: return focusElsewhere && !isCharted ? 6 : nil
        case .fullTrainLoss, .validationLoss: return arguesInAccuracy ? 8 : nil
        case .adapterUpdateNorm, .stableRank: return isCharted ? nil : 1
        case .trainLoss, .accuracyGap, .gap, .updateNorm, .decayShare, .effectiveStep, .distanceFromInit, .functionDistance,
             .totalShrink, .adapterANorm, .adapterBNorm, .singularValue, .effectiveRank:
            return nil
        }
    }
}

extension Chart {
    /// Whether `g` focuses the chart on one parameter group.
    var isFocusable: Bool {
        switch plot {
        case let .metrics(m): m.focusedTitle != nil
        case .fit, .spectrum: false
        }
    }
}
