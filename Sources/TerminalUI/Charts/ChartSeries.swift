/// One sample of a series: x is usually the training step.
public struct ChartPoint: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// Which kind of curve a series is; decides how it is drawn.
public enum SeriesRole: Hashable, Sendable {
    /// Training curves: solid lines.
    case training
    /// Validation curves: dashed in braille, `.` in ASCII, so a run's two
    /// curves share a colour yet cannot be confused.
    case validation

    var pattern: LinePattern { self == .training ? .solid : .dashed }
}

/// A named curve on a `LineChart`.
public struct ChartSeries: Hashable, Sendable {
    public var label: String
    /// Palette index; one per run, so a run's train and validation curves
    /// share it.
    public var color: UInt8?
    public var role: SeriesRole
    public var points: [ChartPoint]
    /// The run's own glyph, stamped along its line every few columns and
    /// shown in the legend, so runs differ without colour (`NO_COLOR`, a
    /// monochrome terminal, a screenshot in print).
    public var marker: Character?
    /// A short name written where the line ends.
    public var endLabel: String?
    /// Whether the marker is stamped on every sample instead of every few
    /// columns: for a series of a few points whose places are the data (a
    /// spectrum σ₁…σᵣ), not a sampled curve.
    public var marksPoints = false

    /// - Parameters:
    ///   - label: shown in the legend.
    ///   - color: palette index, or `nil` for the default foreground.
    ///   - role: `.training` (solid) or `.validation` (dashed).
    ///   - points: samples in x order; NaN/±inf values (and values ≤ 0 on
    ///     a log axis) are skipped and break the line.
    ///   - marker: the series' glyph along its line and in the legend.
    ///   - endLabel: written at the line's last point.
    public init(label: String, color: UInt8?, role: SeriesRole = .training, points: [ChartPoint],
                marker: Character? = nil, endLabel: String? = nil) {
        self.label = label
        self.color = color
        self.role = role
        self.points = points
        self.marker = marker
        self.endLabel = endLabel
    }

    /// A series sampled at evenly spaced x: `xStart`, `xStart + xStep`, …
    public init(label: String, color: UInt8?, role: SeriesRole = .training,
                values: [Double], xStart: Double = 0, xStep: Double = 1) {
        self.init(label: label, color: color, role: role,
                  points: values.enumerated().map { ChartPoint(x: xStart + Double($0.offset) * xStep, y: $0.element) })
    }
}

/// A labelled vertical line at an x position, e.g. "λ → 1e-2" where the
/// learner changed the decay mid-run.
public struct ChartMarker: Hashable, Sendable {
    public var x: Double
    public var label: String
    public init(x: Double, label: String) {
        self.x = x
        self.label = label
    }
}
