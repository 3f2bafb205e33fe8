/// A drawing surface addressed in *dots*, which the charts share so that a
/// chart draws the same way in braille (2×4 dots per cell) and in ASCII
/// (one dot per cell).
///
/// Dot (0, 0) is the top-left; y grows downwards, as on the screen.
public protocol PlotCanvas {
    /// Size in cells.
    var width: Int { get }
    var height: Int { get }
    /// Dots per cell horizontally and vertically.
    var dotsPerCellX: Int { get }
    var dotsPerCellY: Int { get }

    /// Sets one dot. `slope` says which way the line through it runs, in dots
    /// (dx, dy), for canvases that draw a line character rather than a dot.
    mutating func setDot(x: Int, y: Int, ink: Ink, pattern: LinePattern, slope: (dx: Int, dy: Int))
    /// Draws the canvas into `grid` with its top-left cell at (x, y). Empty
    /// cells are left alone, so what is underneath shows through.
    func render(into grid: inout CellGrid, x: Int, y: Int)
}

extension PlotCanvas {
    /// Size in dots.
    public var dotWidth: Int { width * dotsPerCellX }
    public var dotHeight: Int { height * dotsPerCellY }

    /// A single dot that is part of no line.
    public mutating func plot(x: Int, y: Int, ink: Ink) {
        setDot(x: x, y: y, ink: ink, pattern: .solid, slope: (0, 0))
    }

    /// Draws a line between two dots with Bresenham's algorithm, setting
    /// every dot on the way, so a curve between successive samples is
    /// continuous however steep it is (a naive "one dot per sample" plot
    /// breaks up into specks exactly where the loss moves fastest).
    /// - Parameters:
    ///   - phase: the dash counter, carried from segment to segment.
    ///   - skipStart: leave the first dot alone (it ended the previous
    ///     segment). Redrawing it would fill every dash gap of a dense
    ///     curve, whose segments are one or two dots long.
    public mutating func line(from start: (x: Int, y: Int), to end: (x: Int, y: Int),
                              ink: Ink, pattern: LinePattern = .solid, phase: inout Int, skipStart: Bool = false) {
        let dx = abs(end.x - start.x), dy = -abs(end.y - start.y)
        let sx = start.x < end.x ? 1 : -1, sy = start.y < end.y ? 1 : -1
        let slope = (dx: end.x - start.x, dy: end.y - start.y)
        var error = dx + dy
        var x = start.x, y = start.y
        var first = skipStart
        while true {
            if first {
                first = false
                if x == end.x && y == end.y { break }
                let e2 = 2 * error
                if e2 >= dy { error += dy; x += sx }
                if e2 <= dx { error += dx; y += sy }
                continue
            }
            // One dot per cell is too coarse for gaps; that canvas shows
            // dashes by character instead.
            if pattern.isOn(phase) || dotsPerCellX == 1 {
                setDot(x: x, y: y, ink: ink, pattern: pattern, slope: slope)
            }
            phase += 1
            if x == end.x && y == end.y { break }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
    }

    /// Convenience without a carried dash phase.
    public mutating func line(from start: (x: Int, y: Int), to end: (x: Int, y: Int),
                              ink: Ink, pattern: LinePattern = .solid) {
        var phase = 0
        line(from: start, to: end, ink: ink, pattern: pattern, phase: &phase)
    }

    /// A dotted vertical line over the full height (every other dot), for
    /// markers such as "λ changed here".
    public mutating func verticalMarker(x: Int, ink: Ink) {
        var y = 0
        while y < dotHeight {
            setDot(x: x, y: y, ink: ink, pattern: .dashed, slope: (0, 1))
            y += dotsPerCellY == 1 ? 1 : 2
        }
    }
}
