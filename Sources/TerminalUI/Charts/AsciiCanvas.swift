/// The plain-text stand-in for `BrailleCanvas`: one dot per cell, drawn as a
/// character that follows the line's direction (`-`, `/`, `|`, `\`) for
/// solid lines and `.` for dashed (validation) lines, so curves stay
/// readable on terminals without UTF-8. Dashed lines are not gapped here:
/// at one dot per cell, gaps would hide the curve, and `.` already reads
/// as dotted.
public struct AsciiCanvas: PlotCanvas {
    public let width: Int
    public let height: Int
    public var dotsPerCellX: Int { 1 }
    public var dotsPerCellY: Int { 1 }
    public private(set) var characters: [Character?]
    public private(set) var inks: [Ink?]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        characters = Array(repeating: nil, count: self.width * self.height)
        inks = Array(repeating: nil, count: self.width * self.height)
    }

    /// The character for a solid line running (dx, dy) on screen
    /// (y downwards): flat, rising, steep or falling.
    public static func character(slope: (dx: Int, dy: Int)) -> Character {
        let (dx, dy) = slope
        if dx == 0 && dy == 0 { return "*" }
        if dy == 0 || abs(dy) * 2 < abs(dx) { return "-" }
        if dx == 0 || abs(dx) * 2 < abs(dy) { return "|" }
        return (dx > 0) == (dy < 0) ? "/" : "\\"
    }

    public func character(x: Int, y: Int) -> Character? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        return characters[y * width + x]
    }

    public mutating func setDot(x: Int, y: Int, ink: Ink, pattern: LinePattern, slope: (dx: Int, dy: Int)) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = y * width + x
        if let current = inks[i], current.priority > ink.priority { return }
        if pattern == .band {
            characters[i] = "'"                      // a seed band
        } else if ink.priority == 0 {
            characters[i] = ":"                      // marker line
        } else {
            characters[i] = pattern == .dashed ? "." : AsciiCanvas.character(slope: slope)
        }
        inks[i] = ink
    }

    public func render(into grid: inout CellGrid, x: Int, y: Int) {
        for row in 0..<height {
            for column in 0..<width {
                let i = row * width + column
                guard let c = characters[i] else { continue }
                grid.set(x: x + column, y: y + row, Cell(c, style: inks[i]?.style ?? .plain))
            }
        }
    }
}
