/// Maps axis-space values onto dots of a canvas and cells of the screen.
///
/// The lower bound lands on the first dot and the upper bound on the last,
/// with rounding to the nearest dot; ticks and data go through the same
/// functions, so a tick label sits exactly on the row where its value is
/// drawn.
public struct PlotMapping: Hashable, Sendable {
    /// Axis-space bounds (for a log axis, log10 of the data bounds).
    public var xLower: Double, xUpper: Double
    public var yLower: Double, yUpper: Double
    /// Canvas size in dots, and dots per cell.
    public var dotWidth: Int, dotHeight: Int
    public var dotsPerCellX: Int, dotsPerCellY: Int

    public func dotX(_ x: Double) -> Int {
        let span = xUpper - xLower
        let t = span > 0 ? (x - xLower) / span : 0.5
        return PlotMapping.clampedRound(t * Double(dotWidth - 1), limit: dotWidth)
    }

    /// Dot row of an axis-space y; row 0 is the top, i.e. `yUpper`.
    public func dotY(_ y: Double) -> Int {
        let span = yUpper - yLower
        let t = span > 0 ? (y - yLower) / span : 0.5
        return PlotMapping.clampedRound((1 - t) * Double(dotHeight - 1), limit: dotHeight)
    }

    public func cellColumn(_ x: Double) -> Int { dotX(x) / dotsPerCellX }
    public func cellRow(_ y: Double) -> Int { dotY(y) / dotsPerCellY }

    /// Rounds, and keeps far-off points a bounded distance off the canvas so
    /// that a line towards them keeps its direction yet costs O(canvas) to draw.
    private static func clampedRound(_ v: Double, limit: Int) -> Int {
        guard v.isFinite else { return v > 0 ? 2 * limit : -limit }
        return Int(min(max(v.rounded(), Double(-4 * limit)), Double(5 * limit)))
    }
}
