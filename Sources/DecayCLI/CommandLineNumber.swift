import DecayEngine
import DecayLessons
import Foundation

/// A number from the command line, read as a person wrote it: decimal
/// notation only (`0x10` is refused, not read as 16), parsed as a Double and
/// range-checked on that Double before anything else is said about it — so
/// `--lambda 10000.0001` is over 1e4 even though a Float would round it to
/// 1e4, `--lambda 1e39` is out of range rather than "not finite", and the
/// message quotes the text given (`got 1e-300`), not what a Float made of it.
enum CommandLineNumber {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Digits with an optional sign, point and exponent: what Python's
    /// float() and a lesson file take, without hex, `nan` or `inf`.
    static func decimal(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.wholeMatch(of: #/[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/#) != nil else { return nil }
        return Double(t)
    }

    /// A control's value: in its range as a Double, and still in it once
    /// held as the Float the engine trains with (1e-300 is 0 there).
    static func control(_ text: String, _ option: String, _ control: Control) throws -> Float {
        let words = StepSettings.rangeWords(control)
        guard let v = decimal(text) else {
            let what = text.lowercased().contains("nan") ? "not a number"
                : text.lowercased().contains("inf") ? "not finite" : "not a decimal number, such as 0.01 or 1e-3"
            throw Problem(description: "\(option): \(words); got \(shown(text)), \(what)")
        }
        guard SettingBounds.allows(control, v) else {
            throw Problem(description: "\(option): \(words); got \(shown(text))")
        }
        let f = Float(v)
        guard SettingBounds.allows(control, Double(f)) else {
            throw Problem(description: "\(option): \(words); got \(shown(text)), which is \(f) in the engine's 32-bit floats "
                          + "(the smallest positive one is \(Float.leastNonzeroMagnitude))")
        }
        return f
    }

    /// A whole number in `range`, written in decimal (1e3 is 1000).
    static func whole(_ text: String, _ option: String, _ range: ClosedRange<Int>) throws -> Int {
        let words = "\(option) takes a whole number from \(range.lowerBound) to \(range.upperBound)"
        guard let v = decimal(text) else { throw Problem(description: "\(words); got \(shown(text)), not a decimal number") }
        guard v >= Double(range.lowerBound) && v <= Double(range.upperBound) else {
            throw Problem(description: "\(words); got \(shown(text))")
        }
        guard v == v.rounded() else { throw Problem(description: "\(words); got \(shown(text)), not a whole number") }
        return Int(v)
    }

    static func shown(_ text: String) -> String { text.count > 40 ? String(text.prefix(40)) + "…" : text }
}
