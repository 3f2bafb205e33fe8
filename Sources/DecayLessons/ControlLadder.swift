import DecayEngine
import Foundation

/// The values a live control steps through on ←/→.
///
/// λ and the learning rate move along a 1–2–3–5 logarithmic ladder: each
/// press changes the value by a factor of 1.5–2, a decade takes four
/// presses, and the values lessons name (λ = 3, lr = 0.003, 0.03) are on
/// it. λ also has 0 at the bottom, so "no decay" is one press below the
/// smallest λ. Dropout p moves in steps of 0.05 up to 0.2 and 0.1 above.
/// A step's own values (its start and every run's) join its ladder, so a
/// learner who moved away can always come back.
public struct ControlLadder: Sendable, Equatable {
    public let values: [Float]

    public init(values: [Float]) {
        let sorted = Array(Set(values.filter(\.isFinite))).sorted()
        precondition(!sorted.isEmpty)
        self.values = sorted
    }

    /// 1, 2, 3, 5 × 10ᵏ from `low` to `high` inclusive.
    public static func oneTwoThreeFive(from low: Float, to high: Float) -> [Float] {
        var out: [Float] = []
        var exponent = Int(log10(Double(low)).rounded(.down))
        while Float("1e\(exponent)")! <= high * 1.0001 {
            for m in [1, 2, 3, 5] {
                let v = Float("\(m)e\(exponent)")!
                if v >= low * 0.9999 && v <= high * 1.0001 { out.append(v) }
            }
            exponent += 1
        }
        return out
    }

    /// λ: 0, then 1e-5 … 100 — far enough past the useful values that a
    /// learner can see what too much decay does (λ = 30 underfits).
    public static let lambda = ControlLadder(values: [0] + oneTwoThreeFive(from: 1e-5, to: 100))
    /// Learning rate: 1e-5 … 10.
    public static let learningRate = ControlLadder(values: oneTwoThreeFive(from: 1e-5, to: 10))
    /// Dropout probability.
    public static let dropout = ControlLadder(values: [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])

    public static func of(_ control: Control) -> ControlLadder {
        switch control {
        case .lambda: lambda
        case .learningRate: learningRate
        case .dropout, .loraDropout: dropout
        }
    }

    /// The ladder of `control` in a step: the standard one plus the values
    /// the step's experiment starts its runs at.
    public static func of(_ control: Control, in spec: ExperimentSpec) -> ControlLadder {
        let base = of(control)
        let extra = [spec[keyPath: control.specField]] + spec.runs.compactMap { $0[keyPath: control.runField] }
        let range = (base.values.first!)...(base.values.last!)
        return ControlLadder(values: base.values + extra.filter { range.contains($0) })
    }

    /// The ladder of `control` in a step: its experiment's values, and the
    /// values its sweep shows (a learner can try any point of the heatmap).
    public static func of(_ control: Control, in step: Step) -> ControlLadder {
        let base = of(control, in: step.spec)
        let swept: [Float] = switch control {
        case .lambda: step.sweep?.lambdas ?? []
        case .learningRate: step.sweep?.learningRates ?? []
        case .dropout, .loraDropout: []
        }
        return ControlLadder(values: base.values + swept.filter { $0 >= 0 && $0 <= 1e4 })
    }

    /// Whether `value` is on the ladder (to float precision).
    public func contains(_ value: Float) -> Bool {
        values.contains { abs($0 - value) <= max(abs(value), 1e-12) * 1e-5 }
    }

    /// The next value above `value`, or `value` at the top.
    public func up(from value: Float) -> Float {
        values.first { $0 > value * (1 + 1e-6) && $0 > value } ?? max(value, values.last!)
    }

    /// The next value below `value`, or `value` at the bottom.
    public func down(from value: Float) -> Float {
        values.last { $0 < value * (1 - 1e-6) && $0 < value } ?? min(value, values.first!)
    }

    /// A decade up or down: the ladder value nearest to value × 10 (or ÷ 10);
    /// from 0, the smallest non-zero value; below the smallest, 0.
    public func decade(from value: Float, up: Bool) -> Float {
        let positive = values.filter { $0 > 0 }
        guard let smallest = positive.first else { return value }
        if value <= 0 { return up ? smallest : value }
        let target = up ? value * 10 : value / 10
        if !up && target < smallest * (1 - 1e-6) { return values.first! }
        let nearest = positive.min { abs(log10($0 / target)) < abs(log10($1 / target)) }!
        if up { return max(nearest, self.up(from: value)) }
        return min(nearest, down(from: value))
    }
}
