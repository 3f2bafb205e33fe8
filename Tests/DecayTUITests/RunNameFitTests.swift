import Foundation
import Testing
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

/// Run names where they must fit a width (the numbers panel, the legends,
/// the end labels): cut with an ellipsis, never through a number, never
/// into two equal names.
@Suite struct RunNameFitTests {
    /// Every cut `names` get at `width` fits, keeps numbers whole, and keeps different names apart.
    func fitted(_ names: [String], width: Int, ellipsis: String = "…") -> [String] {
        let shown = RunNameFit.fit(names, width: width, ellipsis: ellipsis)
        for (s, full) in zip(shown, names) {
            #expect(CharacterWidth.of(s) <= width, "\(s) is wider than \(width)")
            #expect(ShippedRunNamesTests.problem(shown: s, full: full) == nil, "\(ShippedRunNamesTests.problem(shown: s, full: full) ?? "")")
        }
        #expect(Set(shown).count == Set(names).count, "\(names) at \(width): \(shown)")
        return shown
    }

    /// 8:1's "λ = 0.05, τ = 2000" once read "λ = 0.05, τ = 20", and 8:4's
    /// "λ = 0.01, τ = 10000" read "λ = 0.01, τ = 10".
    @Test func aNumberIsShownWholeWithItsWordOrNotAtAll() {
        #expect(fitted(["λ = 0.5, τ = 200", "λ = 0.05, τ = 2000"], width: 14) == ["λ=0.5, τ=200", "λ=0.05, τ=2000"])
        let ten = fitted(["λ = 1, τ = 100", "λ = 0.01, τ = 10000"], width: 12)
        #expect(ten[1] == "λ=0.01…" || ten[1] == "…τ=10000", "\(ten)")
        // A number never loses its word: no bare "2000" after the ellipsis.
        for s in fitted(["lambda = 0.5, tau = 200", "lambda = 0.05, tau = 2000"], width: 16, ellipsis: "..") {
            #expect(!s.contains("..2") && !s.contains("..0"), "\(s)")
        }
        #expect(ShippedRunNamesTests.problem(shown: "τ = 20", full: "τ = 2000") != nil)
        #expect(ShippedRunNamesTests.problem(shown: "λ = 0", full: "λ = 0.01") != nil)
        #expect(ShippedRunNamesTests.problem(shown: "min–max, 5 seeds77.9%", full: "min–max, 5 seeds") != nil)
        #expect(ShippedRunNamesTests.problem(shown: "λ=0.05…", full: "λ = 0.05, τ = 2000") == nil)
    }

    /// 2:3's decoupled runs once both read "decoupled, λ = 0", and 8:3's
    /// Lion runs the same: what the names share goes first.
    @Test func namesThatShareAHeadStayApart() {
        let decoupled = fitted(["L2, λ = 0.01", "decoupled, λ = 0.01", "decoupled, yours"], width: 12)
        #expect(decoupled[1].hasSuffix("λ=0.01") && decoupled[2].hasSuffix("yours"), "\(decoupled)")
        let lion = fitted(["AdamW, lr 0.01, λ = 0.5", "Lion, lr 0.001, λ = 5", "Lion, lr 0.001, λ = 0.5"], width: 14)
        #expect(lion[1].hasSuffix("λ=5") && lion[2].hasSuffix("λ=0.5"), "\(lion)")
        #expect(lion[0].hasPrefix("AdamW") && lion[2].hasPrefix("Lion"), "\(lion)")
        // The adapters lesson: the epochs stay whole beside the rank.
        let adapters = fitted(["r 8, 40 epochs", "r 2", "lora_dropout 0.3", "λ = 1", "r 8, 8 epochs"], width: 12)
        #expect(adapters[0].contains("40 ep") && adapters[4].contains("8 ep"), "\(adapters)")
    }

    /// Names that fit are left alone; equal names stay equal.
    @Test func namesThatFitAreLeftAlone() {
        #expect(RunNameFit.fit(["yours", "λ = 0"], width: 16, ellipsis: "…") == ["yours", "λ = 0"])
        let same = RunNameFit.fit(["a long run name here", "a long run name here"], width: 10, ellipsis: "…")
        #expect(same[0] == same[1] && CharacterWidth.of(same[0]) <= 10)
    }
}
