import Testing
@testable import TerminalUI

/// ASCII spelling of Markdown prose must not change what the Markdown means:
/// two `·` spelled `*` in one paragraph used to open an emphasis between them
/// and swallow both ("lr_tlambda").
@Suite struct AsciiMarkdownTests {
    func rendered(_ markdown: String) -> (text: String, underlined: Bool) {
        let chars = InlineMarkdown.parse(AsciiSpelling.spellMarkdown(markdown), base: .plain, theme: .standard)
        return (String(chars.map(\.0)), chars.contains { $0.1.underline })
    }

    @Test func productDotsStayVisibleAndOpenNoEmphasis() {
        let r = rendered("The shrink is lr_t·λ per step, and η·λ in the paper's form.")
        #expect(r.text == "The shrink is lr_t*lambda per step, and eta*lambda in the paper's form.", "\(r.text)")
        #expect(!r.underlined)
    }

    @Test func authorsEmphasisIsKept() {
        let r = rendered("an *important* point about λ·w")
        #expect(r.text == "an important point about lambda*w", "\(r.text)")
        #expect(r.underlined)
    }

    @Test func codeSpansAndFencesGetThePlainSpelling() {
        // Inside code a backslash is literal, so nothing is escaped there.
        #expect(AsciiSpelling.spellMarkdown("use `p·(1 − lr·λ)` here, a·b") == "use `p*(1 - lr*lambda)` here, a\\*b")
        let fenced = "```\nw·x\n```\ny·z"
        #expect(AsciiSpelling.spellMarkdown(fenced) == "```\nw*x\n```\ny\\*z")
        #expect(AsciiSpelling.spellMarkdown("plain ascii * stays") == "plain ascii * stays")
    }

    /// A Greek letter keeps its plural: "the λs are pinned" reads "the
    /// lambdas", while a letter glued to a word still gets a space ("λw").
    @Test func pluralsStayOneWord() {
        #expect(AsciiSpelling.spell("The λs are pinned") == "The lambdas are pinned")
        #expect(AsciiSpelling.spell("two τs.") == "two taus.")
        #expect(AsciiSpelling.spell("λw and λsum") == "lambda w and lambda sum")
    }

    @Test func everyByteIsAscii() {
        let s = AsciiSpelling.spellMarkdown("‖w‖² ≈ √(lr/λ) · τ — θ₀ … ✓")
        #expect(s.utf8.allSatisfy { $0 < 0x80 }, "\(s)")
    }
}
