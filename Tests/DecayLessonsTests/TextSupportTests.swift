import Foundation
import Testing
import SeededRandom
@testable import TextSupport

/// The tutor's own number formatting and replacement against Foundation's,
/// which they replace on the per-frame paths: the same text, or a screen
/// would read differently for no reason.
@Suite struct TextSupportTests {
    /// Values of every size and sign, the edges of each format's range
    /// (rounding to 1e5, 9.9995, 0.001), zero, infinities and NaN.
    static func values(count: Int, seed: UInt64) -> [Double] {
        var random = SplitMix64(seed: seed)
        var out: [Double] = [0, -0.0, 1, -1, 0.001, 0.000_999_95, 9.9995, 99_999.5, 1e5, 1e-3, 0.3, 1.0 / 3,
                             2.5e-5, 1e300, -1e300, 5e-324, .infinity, -.infinity, .nan, Double(Float(0.3)), 0.949_96]
        for _ in 0..<count {
            let mantissa = Double(random.next() >> 11) / Double(1 << 53)
            let exponent = Double(random.below(40)) - 20
            let sign: Double = random.below(2) == 0 ? 1 : -1
            out.append(sign * mantissa * pow(10, exponent))
            out.append(Double(Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))))
        }
        return out
    }

    @Test(arguments: ["%.4g", "%.2e", "%.1f%%", "%.6f", "%g", "%.1g", "%.7g", "%.3g"])
    func printfNumberReadsAsFoundationFormats(_ format: String) {
        for v in Self.values(count: 2_000, seed: 23) {
            #expect(PrintfNumber.format(format, v) == String(format: format, v), "\(format) of \(v)")
        }
    }

    @Test func aLongResultIsWrittenWhole() {
        let text = PrintfNumber.format("%.6f", 1e300)
        #expect(text == String(format: "%.6f", 1e300))
        #expect(text.count == 308)
    }

    @Test func replacingScalarsReplacesAsFoundationDoes() {
        var random = SplitMix64(seed: 7)
        let pieces = [" ", "=", " = ", "λ", "0.5", "{}", "{", "}", "*", "**", "x\u{304}", "é", "e\u{301}", "τ"]
        let targets = [" = ", "{}", "*", "=", "λ=", "  "]
        for _ in 0..<3_000 {
            let text = (0..<random.below(9)).map { _ in pieces[random.below(pieces.count)] }.joined()
            let target = targets[random.below(targets.count)]
            let replacement = ["", "=", "weights", "·"][random.below(4)]
            #expect(text.replacingScalars(target, with: replacement)
                    == text.replacingOccurrences(of: target, with: replacement), "\(text) \(target) → \(replacement)")
        }
        #expect("λ = 0.05, τ = 2000".replacingScalars(" = ", with: "=") == "λ=0.05, τ=2000")
        #expect("abc".replacingScalars("", with: "x") == "abc")
    }
}
