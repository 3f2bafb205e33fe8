#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A labelled position on an axis.
public struct AxisTick: Hashable, Sendable {
    public var value: Double
    public var label: String
    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// Where to put tick marks so a reader can read values off a chart.
///
/// Ticks fall on "nice" numbers — 1, 2 or 5 times a power of ten — because
/// those are the ones people can interpolate between at a glance (Heckbert,
/// "Nice numbers for graph labels", Graphics Gems, 1990). On a log axis the
/// ticks are powers of ten; when the axis spans too few decades for that to
/// say anything, 2× and 5× are added.
public enum AxisTicks {
    /// The nice step for about `count` intervals over `span`.
    public static func niceStep(span: Double, count: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(1, count))
        let magnitude = pow(10, floor(Glibc.log10(raw)))
        let residual = raw / magnitude
        let nice: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10
        return nice * magnitude
    }

    /// Ticks on a linear axis: multiples of a 1-2-5 step within [lower, upper],
    /// at most `maxCount` of them.
    /// - Parameter minimumStep: e.g. 1 for training steps, so no "0.5" step.
    public static func linear(lower: Double, upper: Double, maxCount: Int, minimumStep: Double = 0) -> [AxisTick] {
        guard lower.isFinite, upper.isFinite, upper > lower, maxCount >= 1 else { return [] }
        var intervals = max(1, maxCount - 1)
        var step = max(niceStep(span: upper - lower, count: intervals), minimumStep)
        var values = multiples(of: step, from: lower, to: upper)
        // A nice step rounded down can overshoot the count; widen until it fits.
        while values.count > maxCount, intervals > 1 {
            intervals -= 1
            step = max(niceStep(span: upper - lower, count: intervals), minimumStep)
            values = multiples(of: step, from: lower, to: upper)
        }
        let decimals = NumberFormat.decimals(forStep: step)
        return values.map { v in
            let label = abs(v) >= 1e5 || (abs(v) < 1e-3 && v != 0)
                ? NumberFormat.compact(v) : NumberFormat.fixed(v, decimals: decimals)
            return AxisTick(value: v, label: label)
        }
    }

    /// Ticks on a log10 axis over [lower, upper] (data values, both > 0).
    public static func log10(lower: Double, upper: Double, maxCount: Int) -> [AxisTick] {
        guard lower > 0, upper > lower, lower.isFinite, upper.isFinite, maxCount >= 1 else { return [] }
        let lo = Glibc.log10(lower), hi = Glibc.log10(upper)
        let first = Int(ceil(lo - 1e-9)), last = Int(floor(hi + 1e-9))
        let decades = first <= last ? Array(first...last) : []
        func inRange(_ v: Double) -> Bool { v >= lower * (1 - 1e-9) && v <= upper * (1 + 1e-9) }

        // Few decades: 1-2-5 within each gives the eye more to hold on to.
        if decades.count < 3 {
            var values: [Double] = []
            for k in (Int(floor(lo)) - 1)...(Int(ceil(hi)) + 1) {
                for m in [1.0, 2.0, 5.0] {
                    let v = m * pow(10, Double(k))
                    if inRange(v) { values.append(v) }
                }
            }
            if values.count >= 2 && values.count <= maxCount {
                return values.map { AxisTick(value: $0, label: NumberFormat.compact($0)) }
            }
        }
        if decades.count >= 2 || (decades.count == 1 && maxCount == 1) {
            // Too many decades for the room: every m-th, aligned on multiples of m.
            var m = 1
            while (decades.filter { $0 % m == 0 }.count) > maxCount { m += 1 }
            return decades.filter { $0 % m == 0 }.map { k in
                let v = pow(10, Double(k))
                return AxisTick(value: v, label: NumberFormat.compact(v))
            }
        }
        // Less than a decade: linear nice values, placed on the log axis.
        let ticks = linear(lower: lower, upper: upper, maxCount: maxCount)
        return ticks.map { AxisTick(value: $0.value, label: NumberFormat.compact($0.value)) }
    }

    private static func multiples(of step: Double, from lower: Double, to upper: Double) -> [Double] {
        let first = ceil(lower / step - 1e-9), last = floor(upper / step + 1e-9)
        guard first <= last, last - first < 1000 else { return [] }
        return stride(from: first, through: last, by: 1).map { k in
            let v = k * step
            return abs(v) < step * 1e-9 ? 0 : v     // no "-0.0"
        }
    }
}
