@testable import TerminalUI

/// A frame as a golden file holds it: every row of characters padded to the
/// full width, then every cell's style (as ratatui's buffer assertions
/// compare both), so a colour, bold or dim that changes fails like a moved
/// character does.
///
/// The style section lists, per row, the runs of cells that are not plain:
///
///     styles (row: first-last style, …; unlisted cells are plain)
///     0: 0-79 b
///     7: 4-4 fg6, 6-6 fg6 b
///
/// where a style is `fgN` (palette colour N), `b` bold, `d` dim,
/// `r` reverse and `u` underline, in that order.
enum GoldenFrame {
    static let styleHeader = "styles (row: first-last style, …; unlisted cells are plain)"

    static func encode(_ grid: CellGrid) -> String {
        let rows = (0..<grid.height).map { y in
            (0..<grid.width).map { x in grid[x, y].isContinuation ? "" : String(grid[x, y].character) }.joined()
        }
        var styles: [String] = []
        for y in 0..<grid.height {
            let runs = styleRuns(grid, row: y)
            if !runs.isEmpty { styles.append("\(y): " + runs.joined(separator: ", ")) }
        }
        return (rows + [styleHeader] + styles).joined(separator: "\n") + "\n"
    }

    /// `fg6 b` for cyan bold; "" for plain.
    static func code(_ style: Style) -> String {
        var parts: [String] = []
        if let fg = style.foreground { parts.append("fg\(fg)") }
        if style.bold { parts.append("b") }
        if style.dim { parts.append("d") }
        if style.reverse { parts.append("r") }
        if style.underline { parts.append("u") }
        return parts.joined(separator: " ")
    }

    /// Runs of equal, non-plain style along a row, as `first-last style`.
    static func styleRuns(_ grid: CellGrid, row y: Int) -> [String] {
        var runs: [String] = []
        var x = 0
        while x < grid.width {
            let style = grid[x, y].style
            var last = x
            while last + 1 < grid.width, grid[last + 1, y].style == style { last += 1 }
            if style != .plain { runs.append("\(x)-\(last) \(code(style))") }
            x = last + 1
        }
        return runs
    }

    /// What differs between a golden file's text and a frame, one line per
    /// differing row of characters or of styles; empty when they match.
    static func differences(expected: String, actual grid: CellGrid) -> [String] {
        let (expectedRows, expectedStyles) = split(expected)
        let (actualRows, actualStyles) = split(encode(grid))
        var out: [String] = []
        if expectedRows.count != actualRows.count {
            out.append("\(actualRows.count) rows, expected \(expectedRows.count)")
        }
        for (i, (e, a)) in zip(expectedRows, actualRows).enumerated() where e != a {
            out.append("row \(i) differs:\n  expected: \(e)\n  actual:   \(a)")
        }
        let styledRows = Set(expectedStyles.keys).union(actualStyles.keys).sorted()
        for row in styledRows where expectedStyles[row] != actualStyles[row] {
            out.append("row \(row) styles differ:\n  expected: \(expectedStyles[row] ?? "plain")\n  actual:   \(actualStyles[row] ?? "plain")")
        }
        return out
    }

    /// The character rows, and the style runs by row.
    private static func split(_ text: String) -> (rows: [String], styles: [Int: String]) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.firstIndex(of: styleHeader) else { return (lines, [:]) }
        var styles: [Int: String] = [:]
        for line in lines[(header + 1)...] {
            guard let colon = line.firstIndex(of: ":"), let row = Int(line[..<colon]) else { continue }
            styles[row] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        return (Array(lines[..<header]), styles)
    }
}
