@testable import TerminalUI
@testable import DecayTUI

/// Reads braille dots back out of a rendered grid, so chart tests can
/// assert on dot positions (which we can reason about) instead of pasting
/// rendered output.
struct DotReader {
    let grid: CellGrid
    let plot: Rect

    /// Whether dot (x, y) of the plot area is raised.
    func isSet(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < plot.width * 2, y < plot.height * 4 else { return false }
        let cell = grid[plot.x + x / 2, plot.y + y / 4]
        guard let v = cell.character.unicodeScalars.first?.value, v >= 0x2800, v <= 0x28FF else { return false }
        return UInt8(v - 0x2800) & BrailleCanvas.dotBit[x % 2][y % 4] != 0
    }

    /// The raised dot rows in dot column x.
    func rows(inColumn x: Int) -> [Int] {
        (0..<(plot.height * 4)).filter { isSet(x: x, y: $0) }
    }
}

extension CellGrid {
    /// The first row containing `text`, if any.
    func row(containing text: String) -> Int? {
        lines().firstIndex { $0.contains(text) }
    }
}
