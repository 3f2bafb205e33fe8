/// Lesson prose on screen: a small Markdown subset, wrapped to the pane's
/// width, scrollable.
///
/// Supported: paragraphs, `#` headings, `-`/`*`/`+` and `1.` lists (with
/// hanging indents, nested by two spaces), `>` quotes, fenced code blocks
/// (verbatim, never re-wrapped: formulas and code keep their alignment),
/// and inline `**bold**`, `*italic*` and `` `code` `` (see `InlineMarkdown`).
/// Unicode passes through untouched. The wrapped lines are cached per width,
/// since the text changes only when the step does but is drawn every frame.
public struct ProseView: Sendable {
    public let blocks: [MarkdownBlock]
    public var theme: ProseTheme
    public var glyphs: Glyphs

    private var cache: (width: Int, lines: [StyledLine])?

    /// - Parameters:
    ///   - markdown: the step's prose.
    ///   - theme: `ProseTheme.forColors(capabilities.colors)`.
    ///   - glyphs: bullets and quote bars follow the Unicode/ASCII choice.
    public init(markdown: String, theme: ProseTheme = .standard, glyphs: Glyphs = .unicode) {
        self.blocks = MarkdownBlock.parse(markdown)
        self.theme = theme
        self.glyphs = glyphs
    }

    /// The prose laid out for `width` columns.
    public mutating func lines(width: Int) -> [StyledLine] {
        if let cache, cache.width == width { return cache.lines }
        let lines = ProseView.layout(blocks, width: width, theme: theme, glyphs: glyphs)
        cache = (width, lines)
        return lines
    }

    /// The largest useful scroll offset: the last line at the bottom.
    public mutating func maxScrollOffset(width: Int, height: Int) -> Int {
        max(0, lines(width: width).count - height)
    }

    /// Draws the lines from `scrollOffset` on into `rect` (the offset is
    /// clamped, so callers can scroll freely).
    /// - Returns: the offset actually used.
    @discardableResult
    public mutating func render(into grid: inout CellGrid, in rect: Rect, scrollOffset: Int = 0) -> Int {
        let all = lines(width: rect.width)
        let offset = min(max(0, scrollOffset), max(0, all.count - rect.height))
        for (i, line) in all.dropFirst(offset).prefix(rect.height).enumerated() {
            line.render(into: &grid, x: rect.x, y: rect.y + i, clip: rect)
        }
        return offset
    }

    static func layout(_ blocks: [MarkdownBlock], width: Int, theme: ProseTheme, glyphs: Glyphs) -> [StyledLine] {
        var out: [StyledLine] = []
        for block in blocks {
            switch block {
            case .blank:
                out.append(StyledLine())
            case let .heading(level, text):
                let style = theme.heading(level)
                out += WrappedText.wrap(InlineMarkdown.parse(text, base: style, theme: theme), width: width)
            case let .paragraph(text):
                out += WrappedText.wrap(InlineMarkdown.parse(text, base: theme.body, theme: theme), width: width)
            case let .listItem(marker, ordered, depth, text):
                let indent = String(repeating: " ", count: 2 * depth)
                let shown = ordered ? marker : String(glyphs.bullet)
                let first = [StyledSpan(indent), StyledSpan(shown, style: theme.listMarker), StyledSpan(" ")]
                let hanging = [StyledSpan(indent + String(repeating: " ", count: CharacterWidth.of(shown) + 1))]
                out += WrappedText.wrap(InlineMarkdown.parse(text, base: theme.body, theme: theme), width: width,
                                        firstPrefix: first, prefix: hanging)
            case let .quote(text):
                let bar = [StyledSpan(String(glyphs.quoteBar) + " ", style: theme.quote)]
                out += WrappedText.wrap(InlineMarkdown.parse(text, base: theme.quote, theme: theme), width: width,
                                        firstPrefix: bar, prefix: bar)
            case let .code(lines):
                for line in lines {
                    out.append(StyledLine([StyledSpan("  " + line, style: theme.codeBlock)]))
                }
            }
        }
        return out
    }
}
