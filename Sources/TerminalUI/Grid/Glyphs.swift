/// Every character the widgets draw that has a plain-ASCII stand-in.
///
/// Keeping both sets in one place is what makes the fallback complete: a
/// widget asks `glyphs.horizontal`, never spells "─" itself, so a terminal
/// without UTF-8 (or a learner who passed `--ascii`) never sees mojibake.
public struct Glyphs: Sendable, Hashable {
    /// Whether charts may use braille dots (2×4 per cell) or must use one
    /// symbol per cell.
    public var braille: Bool
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    /// Y-axis tick: the axis line with a stub pointing at the label.
    public var yTick: Character
    /// X-axis tick: the axis line with a stub pointing down at the label.
    public var xTick: Character
    /// Dotted vertical marker line (used in ASCII charts; braille draws dots).
    public var markerLine: Character
    /// Light-to-dark shades for heatmaps, first is "lowest".
    public var shades: [Character]
    public var diverged: Character
    public var pending: Character
    public var bullet: Character
    public var quoteBar: Character
    /// Progress bar: full cell, partial cells (⅛ … ⅞, ASCII: none), empty.
    public var barFull: Character
    public var barPartials: [Character]
    public var barEmpty: Character
    /// Scatter markers for training and validation points.
    public var trainPoint: Character
    public var validationPoint: Character
    public var ellipsis: Character

    public static let unicode = Glyphs(
        braille: true,
        horizontal: "─", vertical: "│",
        topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        yTick: "┤", xTick: "┬", markerLine: "┊",
        shades: [" ", "░", "▒", "▓", "█"],
        diverged: "×", pending: "·",
        bullet: "•", quoteBar: "│",
        barFull: "█", barPartials: ["▏", "▎", "▍", "▌", "▋", "▊", "▉"], barEmpty: "░",
        trainPoint: "●", validationPoint: "○",
        ellipsis: "…")

    public static let ascii = Glyphs(
        braille: false,
        horizontal: "-", vertical: "|",
        topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        yTick: "+", xTick: "+", markerLine: ":",
        shades: [" ", ".", ":", "*", "#"],
        diverged: "x", pending: ".",
        bullet: "*", quoteBar: "|",
        barFull: "#", barPartials: [], barEmpty: "-",
        trainPoint: "o", validationPoint: "+",
        ellipsis: "~")
}
