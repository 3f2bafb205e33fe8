import Testing
@testable import TerminalUI

@Suite struct ProseViewTests {
    static let source = """
    # Weight decay

    Decay adds `(λ/2)·‖w‖²` to the loss.
    Its gradient is `λ·w`.

    - first point that is long enough to wrap
    - second
      1. nested one

    > Quote me

    ```
    p = p * (1 - lr*wd)   # verbatim, **not bold**
    ```
    """

    @Test func blocksAreRecognised() {
        let blocks = MarkdownBlock.parse(Self.source)
        #expect(blocks == [
            .heading(level: 1, text: "Weight decay"), .blank,
            .paragraph("Decay adds `(λ/2)·‖w‖²` to the loss. Its gradient is `λ·w`."), .blank,
            .listItem(marker: "•", ordered: false, depth: 0, text: "first point that is long enough to wrap"),
            .listItem(marker: "•", ordered: false, depth: 0, text: "second"),
            .listItem(marker: "1.", ordered: true, depth: 1, text: "nested one"), .blank,
            .quote("Quote me"), .blank,
            .code(["p = p * (1 - lr*wd)   # verbatim, **not bold**"]),
        ])
    }

    @Test func layoutAtWidth24() {
        var view = ProseView(markdown: Self.source)
        let lines = view.lines(width: 24)
        #expect(lines.map(\.text) == [
            "Weight decay",
            "",
            "Decay adds (λ/2)·‖w‖² to",
            "the loss. Its gradient",
            "is λ·w.",
            "",
            "• first point that is",
            "  long enough to wrap",
            "• second",
            "  1. nested one",
            "",
            "│ Quote me",
            "",
            "  p = p * (1 - lr*wd)   # verbatim, **not bold**",
        ])
        #expect(lines[0].spans[0].style == Style(bold: true, underline: true))
        #expect(lines[13].spans.allSatisfy { $0.style == ProseTheme.standard.codeBlock })
    }

    @Test func scrollingShowsTheRequestedWindowAndClamps() {
        var view = ProseView(markdown: Self.source)
        var grid = CellGrid(width: 24, height: 3)
        let used = view.render(into: &grid, in: grid.bounds, scrollOffset: 6)
        #expect(used == 6)
        #expect(grid.lines() == ["• first point that is", "  long enough to wrap", "• second"])
        #expect(view.maxScrollOffset(width: 24, height: 3) == 11)
        var end = CellGrid(width: 24, height: 3)
        #expect(view.render(into: &end, in: end.bounds, scrollOffset: 999) == 11)
    }

    @Test func asciiGlyphsForBulletsAndQuotes() {
        var view = ProseView(markdown: "- a\n\n> b", glyphs: .ascii)
        #expect(view.lines(width: 20).map(\.text) == ["* a", "", "| b"])
    }
}
