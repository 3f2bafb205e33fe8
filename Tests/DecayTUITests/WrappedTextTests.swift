import Testing
@testable import TerminalUI

@Suite struct WrappedTextTests {
    /// Words (widths): Weight 6, decay 5, shrinks 7, every 5, weight 6, by 2,
    /// "(1" 2, "−" 1, "lr·λ)" 5, each 4, "step," 5, pulling 7, it 2, toward 6,
    /// "zero." 5. Greedy at 20: 6+1+5+1+7 = 20 fills line 1 exactly;
    /// 5+1+6+1+2+1+2+1+1 = 20 fills line 2; line 3 stops at 16 because
    /// " pulling" would make 24; line 4 at 17 because " zero." would make 23.
    @Test func paragraphWithBoldAndCodeWrapsAtTwenty() {
        let text = "Weight decay **shrinks every weight** by `(1 − lr·λ)` each step, pulling it toward zero."
        let lines = WrappedText.wrap(InlineMarkdown.parse(text, base: .plain, theme: .standard), width: 20)
        #expect(lines.map(\.text) == ["Weight decay shrinks", "every weight by (1 −", "lr·λ) each step,", "pulling it toward", "zero."])
        #expect(lines.allSatisfy { $0.width <= 20 })
        // Styles: "shrinks" bold; "every weight" bold including its inner space;
        // "(1 −" and "lr·λ)" in the code style, the space inside the span too.
        #expect(lines[0].spans.last == StyledSpan("shrinks", style: Style(bold: true)))
        #expect(lines[1].spans.first == StyledSpan("every weight", style: Style(bold: true)))
        #expect(lines[1].spans.last == StyledSpan("(1 −", style: ProseTheme.standard.code))
        #expect(lines[2].spans.first == StyledSpan("lr·λ)", style: ProseTheme.standard.code))
        #expect(lines[2].spans.dropFirst().allSatisfy { $0.style == .plain })
    }

    @Test func wordLongerThanTheLineIsBrokenHard() {
        let lines = WrappedText.wrap("a " + String(repeating: "x", count: 45), width: 20)
        #expect(lines.map(\.text) == ["a", String(repeating: "x", count: 20), String(repeating: "x", count: 20), "xxxxx"])
    }

    /// "within 5 % of" at 8 columns: "within 5" fills the first line, and
    /// the "%" goes down with its number instead of opening the next line;
    /// "5 %)" keeps its bracket too, and a line that fits is unchanged.
    @Test func aPercentSignStaysWithItsNumber() {
        #expect(WrappedText.wrap("within 5 % of", width: 8).map(\.text) == ["within", "5 % of"])
        #expect(WrappedText.wrap("lower (by 5 %) here", width: 9).map(\.text) == ["lower (by", "5 %) here"])
        #expect(WrappedText.wrap("within 5 % of", width: 13).map(\.text) == ["within 5 % of"])
        #expect(WrappedText.wrap("% first", width: 3).map(\.text) == ["%", "fir", "st"])
    }

    @Test func hangingIndentPrefixesContinuationLines() {
        let lines = WrappedText.wrap("one two three four".map { ($0, Style.plain) }, width: 10,
                                     firstPrefix: [StyledSpan("• ")], prefix: [StyledSpan("  ")])
        #expect(lines.map(\.text) == ["• one two", "  three", "  four"])
    }

    @Test func formulasAndLoneAsterisksPassThrough() {
        let text = "decay: p ← p·(1 − lr·λ), penalty (λ/2)·‖p‖², and λ * p is not italic; train_loss stays"
        let chars = InlineMarkdown.parse(text, base: .plain, theme: .standard)
        #expect(String(chars.map(\.0)) == text)
        #expect(chars.allSatisfy { $0.1 == .plain })
    }

    @Test func italicAndEscapes() {
        let chars = InlineMarkdown.parse("an *important* \\*point\\*", base: .plain, theme: .standard)
        #expect(String(chars.map(\.0)) == "an important *point*")
        #expect(chars[3].1.underline && chars[11].1.underline && !chars[13].1.underline)
    }
}
