#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Number-to-text for axes and the status bar, without Foundation's
/// locale-dependent formatters (a chart must not print "0,5" in one locale
/// and "0.5" in another, and tests compare exact strings).
public enum NumberFormat {
    /// `value` with exactly `decimals` digits after the point: fixed(0.5, 2) = "0.50".
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        let d = max(0, min(decimals, 12))
        let scale = pow(10.0, Double(d))
        var scaled = (abs(value) * scale).rounded()
        if scaled >= 9.0e18 { return scientific(value, fractionDigits: 2) }
        let negative = value < 0 && scaled != 0
        if scaled == 0 { scaled = 0 }
        var digits = String(UInt64(scaled))
        if d > 0 {
            if digits.count <= d { digits = String(repeating: "0", count: d - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -d))
        }
        return (negative ? "-" : "") + digits
    }

    /// Scientific notation with a signed two-digit exponent, the way the
    /// status bar shows λ: scientific(0.01, fractionDigits: 1) = "1.0e-02".
    public static func scientific(_ value: Double, fractionDigits: Int) -> String {
        guard value.isFinite else { return fixed(value, decimals: 0) }
        if value == 0 { return fixed(0, decimals: fractionDigits) + "e+00" }
        var exponent = Int(floor(log10(abs(value))))
        var mantissa = value / pow(10.0, Double(exponent))
        // Rounding can carry into a new digit: 9.96 with one digit is 10.0.
        let scale = pow(10.0, Double(fractionDigits))
        if (abs(mantissa) * scale).rounded() >= 10 * scale {
            exponent += 1
            mantissa = value / pow(10.0, Double(exponent))
        }
        let e = abs(exponent) < 10 ? "0\(abs(exponent))" : "\(abs(exponent))"
        return fixed(mantissa, decimals: fractionDigits) + "e" + (exponent < 0 ? "-" : "+") + e
    }

    /// The shortest faithful label for a "round" number such as a tick:
    /// plain decimals between 1e-3 and 1e4 ("0.05", "200"), compact
    /// scientific outside ("1e-4", "2.5e5"). Up to `significantDigits`
    /// significant digits, trailing zeros dropped.
    public static func compact(_ value: Double, significantDigits: Int = 3) -> String {
        guard value.isFinite else { return fixed(value, decimals: 0) }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        let exponent = Int(floor(log10(magnitude)))
        if magnitude >= 1e4 || magnitude < 1e-3 {
            var mantissa = value / pow(10.0, Double(exponent))
            var e = exponent
            var text = trimZeros(fixed(mantissa, decimals: significantDigits - 1))
            if text == "10" || text == "-10" {      // 9.999 rounded up
                e += 1
                mantissa = value / pow(10.0, Double(e))
                text = trimZeros(fixed(mantissa, decimals: significantDigits - 1))
            }
            return text + "e" + String(e)
        }
        let decimals = max(0, significantDigits - 1 - exponent)
        return trimZeros(fixed(value, decimals: decimals))
    }

    /// Decimals needed to tell apart ticks `step` apart: 0.25 → 2, 5 → 0.
    public static func decimals(forStep step: Double) -> Int {
        guard step.isFinite, step > 0 else { return 0 }
        for d in 0...8 {
            let scaled = step * pow(10.0, Double(d))
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { return d }
        }
        return 8
    }

    private static func trimZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var t = text
        while t.last == "0" { t.removeLast() }
        if t.last == "." { t.removeLast() }
        return t == "-0" ? "0" : t
    }
}
