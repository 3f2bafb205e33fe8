/// A canvas of braille characters: each cell is a 2×4 grid of dots, which
/// gives charts eight times the resolution of one symbol per cell.
///
/// The braille mapping lives here and only here. A braille pattern is
/// U+2800 plus one bit per raised dot, numbered the way braille numbers them:
///
///     dot 1 (0x01)  dot 4 (0x08)      row 0
///     dot 2 (0x02)  dot 5 (0x10)      row 1
///     dot 3 (0x04)  dot 6 (0x20)      row 2
///     dot 7 (0x40)  dot 8 (0x80)      row 3
///
/// Dots 7 and 8 were added later (8-dot braille), which is why the bottom
/// row does not follow the 1-2-3 / 4-5-6 sequence.
public struct BrailleCanvas: PlotCanvas {
    public let width: Int
    public let height: Int
    public var dotsPerCellX: Int { 2 }
    public var dotsPerCellY: Int { 4 }

    /// Raised-dot bits per cell, row-major.
    public private(set) var bits: [UInt8]
    /// The ink of each cell (see `Ink` for who wins).
    public private(set) var inks: [Ink?]

    /// `dotBit[column][row]` for a dot inside a cell.
    public static let dotBit: [[UInt8]] = [
        [0x01, 0x02, 0x04, 0x40],   // left column: dots 1, 2, 3, 7
        [0x08, 0x10, 0x20, 0x80],   // right column: dots 4, 5, 6, 8
    ]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        bits = Array(repeating: 0, count: self.width * self.height)
        inks = Array(repeating: nil, count: self.width * self.height)
    }

    /// The character for a set of raised dots.
    public static func character(bits: UInt8) -> Character {
        Character(Unicode.Scalar(0x2800 + UInt32(bits))!)
    }

    /// The same pattern as a cell's glyph.
    @inline(__always)
    public static func glyph(bits: UInt8) -> Glyph {
        Glyph(Unicode.Scalar(0x2800 + UInt32(bits))!)
    }

    /// Whether the dot at (x, y) is raised.
    public func isSet(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return false }
        return bits[(y / 4) * width + x / 2] & BrailleCanvas.dotBit[x % 2][y % 4] != 0
    }

    public mutating func setDot(x: Int, y: Int, ink: Ink, pattern: LinePattern, slope: (dx: Int, dy: Int)) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let i = (y / 4) * width + x / 2
        bits[i] |= BrailleCanvas.dotBit[x % 2][y % 4]
        if let current = inks[i], current.priority > ink.priority { return }
        inks[i] = ink
    }

    public func render(into grid: inout CellGrid, x: Int, y: Int) {
        for row in 0..<height {
            for column in 0..<width where bits[row * width + column] != 0 {
                let i = row * width + column
                grid.set(x: x + column, y: y + row,
                         Cell(glyph: BrailleCanvas.glyph(bits: bits[i]), style: inks[i]?.style ?? .plain))
            }
        }
    }
}
