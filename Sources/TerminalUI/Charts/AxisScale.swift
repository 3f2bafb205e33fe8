#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How data values map to positions along an axis.
///
/// Losses are drawn on `log10`: training loss falls roughly geometrically,
/// so on a linear axis everything after the first few hundred steps is a
/// flat line at the bottom, while on a log axis each factor of ten gets the
/// same height and the late, decay-driven differences between runs are
/// visible.
public enum AxisScale: Hashable, Sendable {
    case linear
    case log10

    /// The value in axis space, or `nil` when it cannot be drawn (NaN, ±inf,
    /// or ≤ 0 on a log axis: such samples are skipped, breaking the line).
    public func transform(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        switch self {
        case .linear: return value
        case .log10: return value > 0 ? Glibc.log10(value) : nil
        }
    }

    /// Back from axis space to a data value.
    public func inverse(_ t: Double) -> Double {
        switch self {
        case .linear: return t
        case .log10: return pow(10, t)
        }
    }
}
