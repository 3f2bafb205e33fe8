import Testing
import TerminalUI
import DecayLessons
@testable import DecayTUI

/// Run names in the numbers panel: cut with an ellipsis, never through a
/// number, never into two equal names.
@Suite struct RunNameFitTests {
    /// Whether position `p` of `name` falls strictly inside a word that has a
    /// digit in it (words end at spaces and `,;:()=+·`).
    static func cutsANumber(_ name: [Character], at p: Int) -> Bool {
        guard p > 0 && p < name.count else { return false }
        func separates(_ c: Character) -> Bool { c.isWhitespace || ",;:()=+·".contains(c) }
        guard !separates(name[p - 1]) && !separates(name[p]) else { return false }
        var start = p, end = p
        while start > 0 && !separates(name[start - 1]) { start -= 1 }
        while end < name.count && !separates(name[end]) { end += 1 }
        return name[start..<end].contains { $0.isNumber }
    }

    /// `shown` is `full` whole, or a head and a tail of it around one
    /// ellipsis, neither cut through a number.
    static func problem(shown: String, full: String, ellipsis: Character) -> String? {
        if shown == full { return nil }
        let parts = shown.split(separator: ellipsis, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return "\"\(shown)\" is not \"\(full)\" cut once" }
        let chars = Array(full), head = Array(parts[0]), tail = Array(parts[1])
        guard chars.starts(with: head), chars.reversed().starts(with: tail.reversed()), head.count + tail.count < chars.count else {
            return "\"\(shown)\" is not a head and tail of \"\(full)\""
        }
        if cutsANumber(chars, at: head.count) || cutsANumber(chars, at: chars.count - tail.count) {
            return "\"\(shown)\" cuts a number of \"\(full)\""
        }
        return nil
    }

    func check(_ names: [String], width: Int) throws -> [String] {
        let shown = try #require(RunNameFit.fit(names, width: width, ellipsis: "…"), "\(names) at \(width)")
        for (s, full) in zip(shown, names) {
            #expect(CharacterWidth.of(s) <= width, "\(s)")
            #expect(Self.problem(shown: s, full: full, ellipsis: "…") == nil, "\(Self.problem(shown: s, full: full, ellipsis: "…") ?? "")")
        }
        #expect(Set(shown).count == Set(names).count, "\(shown)")
        return shown
    }

    /// 8:1's "λ = 0.05, τ = 2000" once read "λ = 0.05, τ = 20".
    @Test func aNumberIsKeptWholeOrLeftOut() throws {
        let shown = try check(["λ = 0.5, τ = 200", "λ = 0.05, τ = 2000"], width: 16)
        #expect(shown[0] == "λ = 0.5, τ = 200")
        #expect(shown[1].hasSuffix("τ = 2000") && shown[1].contains("0.05"), "\(shown[1])")
    }

    /// 2:3's two decoupled runs once both read "decoupled, λ = 0"; 8:3's
    /// Lion rows read the same.
    @Test func namesThatShareAHeadStayApart() throws {
        let decoupled = try check(["L2, λ = 0.01", "decoupled, λ = 0.01", "decoupled, yours"], width: 16)
        #expect(decoupled[1].hasSuffix("λ = 0.01") && decoupled[1].hasPrefix("decoup"), "\(decoupled)")
        let lion = try check(["AdamW, lr 0.01, λ = 0.5", "Lion, lr 0.001, λ = 5", "Lion, lr 0.001, λ = 0.5"], width: 16)
        #expect(lion[1].hasSuffix("λ = 5") && lion[2].hasSuffix("λ = 0.5"), "\(lion)")
        #expect(lion[0].contains("0.01") && lion[1].contains("0.001"), "\(lion)")
    }

    /// Names that fit are left alone; equal names stay equal (nothing tells
    /// them apart); a width with no room for an ellipsis and a letter has no fit.
    @Test func edges() throws {
        #expect(RunNameFit.fit(["yours", "λ = 0"], width: 16, ellipsis: "…") == ["yours", "λ = 0"])
        let same = try #require(RunNameFit.fit(["a long run name here", "a long run name here"], width: 10, ellipsis: "…"))
        #expect(same[0] == same[1] && CharacterWidth.of(same[0]) <= 10)
        #expect(RunNameFit.fit(["abc"], width: 1, ellipsis: "…") == nil)
        #expect(Self.problem(shown: "τ = 20", full: "τ = 2000", ellipsis: "…") != nil)
        #expect(Self.problem(shown: "τ = 20…", full: "τ = 2000", ellipsis: "…") != nil)
        #expect(Self.problem(shown: "τ = …", full: "τ = 2000", ellipsis: "…") == nil)
    }

    /// Every shipped step, at 120×40 and 80×24, in Unicode and ASCII: at
    /// every width the panel can have, the names it draws are apart and cut
    /// no number; and the screen (every panel, over presses of c) shows the
    /// names drawn at one of those widths.
    @Test(arguments: [(120, 40, true), (80, 24, true), (80, 24, false)])
    func noShippedStepShowsACutNumberOrTwoEqualNames(width: Int, height: Int, unicode: Bool) throws {
        for (l, s) in shippedSteps {
            var screen = ShippedScreen(lesson: l, step: s, width: width, height: height, unicode: unicode, colors: 0)
            let text = screen.text(pressing: .char("c"), 6)
            let theme = Theme(screen.state)
            let panel = NumbersPanel(state: screen.state, training: screen.training, theme: theme)
            let table = panel.rows(panel.columns()).filter { !$0.spread }
            let full = table.map(\.name)
            let where_ = "lesson \(l + 1) step \(s + 1) at \(width)×\(height)\(unicode ? "" : ", ASCII")"
            var onScreen = false
            for w in 20...width {
                let shown = panel.shownNames(table, width: w).names
                #expect(Set(shown).count == Set(full).count, "\(where_), panel \(w): \(shown)")
                for (n, f) in zip(shown, full) {
                    let p = Self.problem(shown: n, full: f, ellipsis: unicode ? "…" : "~")
                    #expect(p == nil, "\(where_), panel \(w): \(p ?? "")")
                }
                if shown.allSatisfy({ text.contains($0) }) { onScreen = true }
            }
            #expect(onScreen || full.isEmpty, "\(where_): the panel's names are not on the screen")
        }
    }
}
