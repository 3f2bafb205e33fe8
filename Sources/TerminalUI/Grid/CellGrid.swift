/// A width × height screen of cells that widgets draw into.
///
/// The grid is a plain value: `view` builds one per frame, a backend compares
/// it with the previous one and sends only the differences to the terminal,
/// and tests read it back as text with `lines()`. All drawing clips to the
/// grid (and optionally to a rectangle), so a widget given too little room
/// loses columns instead of corrupting its neighbours.
public struct CellGrid: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// An ASCII-only terminal (`--ascii`, or a locale that is not UTF-8):
    /// text is spelled in ASCII as it is written (`AsciiSpelling`), and a
    /// stray non-ASCII cell becomes `?`, so nothing is drawn as a blank.
    public var asciiOnly = false

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
    }

    /// The whole grid as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public func contains(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height
    }

    /// The cell at a position; blank outside the grid.
    public subscript(x: Int, y: Int) -> Cell {
        contains(x: x, y: y) ? cells[y * width + x] : .blank
    }

    /// Writes one cell, keeping double-width characters consistent: a wide
    /// character claims the cell to its right, and overwriting either half
    /// of an existing wide character blanks the other half (as a terminal would).
    public mutating func set(x: Int, y: Int, _ cell: Cell) {
        guard contains(x: x, y: y) else { return }
        var cell = cell
        if asciiOnly, !cell.glyph.isASCII, !cell.isContinuation {
            let spelled = AsciiSpelling.spell(String(cell.character))
            cell = Cell(spelled.count == 1 ? spelled.first! : "?", style: cell.style)
        }
        let i = y * width + x
        // Breaking the left half of a wide character leaves its right half orphaned.
        if cells[i].isContinuation, x > 0 {
            cells[i - 1] = Cell(glyph: .space, style: cells[i - 1].style)
        }
        if !cells[i].isContinuation, x + 1 < width, cells[i + 1].isContinuation {
            cells[i + 1] = Cell(glyph: .space, style: cells[i + 1].style)
        }
        cells[i] = cell
        if !cell.glyph.isASCII, CharacterWidth.of(cell.glyph) == 2 {
            if x + 1 < width {
                if x + 2 < width, cells[i + 2].isContinuation {
                    cells[i + 2] = Cell(glyph: .space, style: cells[i + 2].style)
                }
                cells[i + 1] = .continuation(style: cell.style)
            } else {
                cells[i] = Cell(glyph: .space, style: cell.style)   // half a wide char cannot be shown
            }
        }
    }

    /// Writes `text` starting at (x, y) on one row, clipped to the grid and
    /// to `clip` if given. Control characters are skipped.
    /// - Returns: the column just after the last character written (or that
    ///   would have been written), so calls can be chained along a row.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil) -> Int {
        let area = clip ?? bounds
        let text = asciiOnly ? AsciiSpelling.spell(text) : text
        guard y >= area.y, y < area.maxY else { return x + CharacterWidth.of(text) }
        // Most text on screen is ASCII: one byte is one cell, without
        // breaking the string into grapheme clusters.
        if let end = text.utf8.withContiguousStorageIfAvailable({ putASCII($0, x: x, y: y, style: style, area: area) }),
           let end { return end }
        var column = x
        for character in text {
            let glyph = Glyph(character)
            let w = CharacterWidth.of(glyph)
            if w == 0 { continue }
            if column >= area.x, column + w <= area.maxX {
                set(x: column, y: y, Cell(glyph: glyph, style: style))
            } else if column >= area.x, column < area.maxX {
                set(x: column, y: y, Cell(glyph: .space, style: style))   // wide char cut by the clip edge
            }
            column += w
        }
        return column
    }

    /// `put` for text of ASCII bytes only (nil, having drawn nothing, for
    /// any other): each byte is one cell of width 1, or none for a control
    /// character — what `put` gives the same text character by character
    /// ("\r\n", one character there, is two skipped bytes here).
    private mutating func putASCII(_ bytes: UnsafeBufferPointer<UInt8>, x: Int, y: Int, style: Style, area: Rect) -> Int? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        var column = x
        for b in bytes where b >= 0x20 && b != 0x7F {
            if column >= area.x, column < area.maxX {
                set(x: column, y: y, Cell(glyph: Glyph(Unicode.Scalar(b)), style: style))
            }
            column += 1
        }
        return column
    }

    /// Writes `text` so that it ends just before column `rightEdge`.
    @discardableResult
    public mutating func putRightAligned(_ text: String, rightEdge: Int, y: Int, style: Style = .plain, clip: Rect? = nil) -> Int {
        put(text, x: rightEdge - CharacterWidth.of(text), y: y, style: style, clip: clip)
    }

    /// Fills a rectangle with one character.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        let glyph = Glyph(character)
        let w = max(1, CharacterWidth.of(glyph))
        for y in rect.y..<rect.maxY {
            var x = rect.x
            while x + w <= rect.maxX {
                set(x: x, y: y, Cell(glyph: glyph, style: style))
                x += w
            }
        }
    }

    /// Changes the style of every cell in `rect`, keeping the characters
    /// (used for highlighting a selected row).
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) {
                cells[y * width + x].style = transform(cells[y * width + x].style)
            }
        }
    }

    /// A horizontal line of `length` cells.
    public mutating func horizontalLine(x: Int, y: Int, length: Int, glyphs: Glyphs = .unicode, style: Style = .plain) {
        guard length > 0 else { return }
        let cell = Cell(glyphs.horizontal, style: style)
        for i in 0..<length { set(x: x + i, y: y, cell) }
    }

    /// A vertical line of `length` cells.
    public mutating func verticalLine(x: Int, y: Int, length: Int, glyphs: Glyphs = .unicode, style: Style = .plain) {
        guard length > 0 else { return }
        let cell = Cell(glyphs.vertical, style: style)
        for i in 0..<length { set(x: x, y: y + i, cell) }
    }

    /// A frame around `rect` with an optional title set into the top edge.
    public mutating func box(_ rect: Rect, glyphs: Glyphs = .unicode, style: Style = .plain,
                             title: String? = nil, titleStyle: Style? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        horizontalLine(x: rect.x + 1, y: rect.y, length: rect.width - 2, glyphs: glyphs, style: style)
        horizontalLine(x: rect.x + 1, y: rect.maxY - 1, length: rect.width - 2, glyphs: glyphs, style: style)
        verticalLine(x: rect.x, y: rect.y + 1, length: rect.height - 2, glyphs: glyphs, style: style)
        verticalLine(x: rect.maxX - 1, y: rect.y + 1, length: rect.height - 2, glyphs: glyphs, style: style)
        set(x: rect.x, y: rect.y, Cell(glyphs.topLeft, style: style))
        set(x: rect.maxX - 1, y: rect.y, Cell(glyphs.topRight, style: style))
        set(x: rect.x, y: rect.maxY - 1, Cell(glyphs.bottomLeft, style: style))
        set(x: rect.maxX - 1, y: rect.maxY - 1, Cell(glyphs.bottomRight, style: style))
        if let title, !title.isEmpty, rect.width > 4 {
            let inner = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1)
            put(" \(title) ", x: rect.x + 1, y: rect.y, style: titleStyle ?? style, clip: inner)
        }
    }

    /// The text of row `y`, continuation cells omitted, trailing spaces kept.
    public func row(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = ""
        for x in 0..<width where !cells[y * width + x].isContinuation {
            s.append(cells[y * width + x].character)
        }
        return s
    }

    /// The screen as text, one string per row with trailing spaces trimmed:
    /// what a person would see, and what tests compare against.
    public func lines() -> [String] {
        (0..<height).map { y in
            var s = row(y)
            while s.last == " " { s.removeLast() }
            return s
        }
    }
}
