/// A run of text in one style.
public struct StyledSpan: Hashable, Sendable {
    public var text: String
    public var style: Style
    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// One screen line of styled text, already wrapped to its width.
public struct StyledLine: Hashable, Sendable {
    public var spans: [StyledSpan]
    public init(_ spans: [StyledSpan] = []) { self.spans = spans }

    /// The text without styles.
    public var text: String { spans.map(\.text).joined() }
    /// Width in terminal columns.
    public var width: Int { CharacterWidth.of(text) }

    /// Draws the line at (x, y), clipped to `clip`.
    public func render(into grid: inout CellGrid, x: Int, y: Int, clip: Rect? = nil) {
        var column = x
        for span in spans {
            column = grid.put(span.text, x: column, y: y, style: span.style, clip: clip)
        }
    }

    /// Appends a character, merging it into the last span when the style matches.
    mutating func append(_ character: Character, style: Style) {
        if let last = spans.last, last.style == style {
            spans[spans.count - 1].text.append(character)
        } else {
            spans.append(StyledSpan(String(character), style: style))
        }
    }
}
