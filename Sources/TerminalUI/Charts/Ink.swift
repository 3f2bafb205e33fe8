/// What a canvas dot is drawn with: the colour of its series, whether it is
/// dimmed, and how much it matters when two things land in one cell.
///
/// A braille cell holds eight dots but only one colour, so when two series
/// cross in a cell one colour must win. Data beats decoration: a series
/// (priority 1) always wins over a marker line (priority 0), and among equals
/// the last writer wins, so later series are drawn on top.
public struct Ink: Hashable, Sendable {
    public var color: UInt8?
    public var dim: Bool
    public var priority: Int

    public init(color: UInt8?, dim: Bool = false, priority: Int = 1) {
        self.color = color
        self.dim = dim
        self.priority = priority
    }

    public var style: Style { Style(foreground: color, dim: dim) }
}

/// Solid lines for training curves, dashed for validation: "2 dots on,
/// 2 dots off" along the line, counted across segments so the rhythm does
/// not restart at every sample.
public enum LinePattern: Hashable, Sendable {
    case solid
    case dashed
    /// The spread of a run's seeds: a stipple between its lowest and highest
    /// seed (a quarter of the braille dots; `'` in ASCII), under the lines.
    case band

    func isOn(_ step: Int) -> Bool {
        switch self {
        case .solid, .band: return true
        case .dashed: return (step / 2) % 2 == 0
        }
    }
}
