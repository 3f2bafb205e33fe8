import TerminalUI
import DecayEngine

/// The values a live control steps through on ←/→.
///
/// λ and the learning rate move along a 1–2–5 logarithmic ladder, so each
/// press changes the value by a factor of 2–2.5 and a decade takes three
/// presses; λ also has 0 at the bottom, so "no decay" is one press below
/// the smallest λ. Dropout p moves in steps of 0.05 up to 0.2 and 0.1 above.
/// A value that is not on the ladder (a lesson may start at λ = 0.003) moves
/// to its nearest neighbour in the direction pressed.
public struct ControlLadder: Sendable, Equatable {
    public let values: [Float]

    public init(values: [Float]) {
        precondition(!values.isEmpty && zip(values, values.dropFirst()).allSatisfy { $0 < $1 })
        self.values = values
    }

    /// 1, 2, 5 × 10ᵏ from `low` to `high` inclusive.
    public static func oneTwoFive(from low: Float, to high: Float) -> [Float] {
        var out: [Float] = []
        var decade = low
        while decade <= high * 1.0001 {
            for m: Float in [1, 2, 5] {
                let v = Float("\(m)e\(Int((log10(Double(decade))).rounded()))")!
                if v >= low * 0.9999 && v <= high * 1.0001 { out.append(v) }
            }
            decade *= 10
        }
        return out
    }

    /// λ: 0, then 1e-5 … 10.
    public static let lambda = ControlLadder(values: [0] + oneTwoFive(from: 1e-5, to: 10))
    /// Learning rate: 1e-5 … 10.
    public static let learningRate = ControlLadder(values: oneTwoFive(from: 1e-5, to: 10))
    /// Dropout probability.
    public static let dropout = ControlLadder(values: [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])

    public static func of(_ control: Control) -> ControlLadder {
        switch control {
        case .lambda: lambda
        case .learningRate: learningRate
        case .dropout: dropout
        }
    }

    /// The next value above `value`, or `value` at the top.
    public func up(from value: Float) -> Float {
        values.first { $0 > value * (1 + 1e-6) && $0 > value } ?? max(value, values.last!)
    }

    /// The next value below `value`, or `value` at the bottom.
    public func down(from value: Float) -> Float {
        values.last { $0 < value * (1 - 1e-6) && $0 < value } ?? min(value, values.first!)
    }
}

import Foundation
