/// How many terminal columns a character takes, following `wcwidth`.
///
/// We only need the part of the rule that can occur in this program: braille
/// (U+2800…), box drawing, block elements, Greek (λ), arrows, ✓ and the math
/// operators in lesson formulas are all one column; East Asian wide and
/// full-width characters and pictographic emoji are two. Swift's `Character`
/// is a grapheme cluster, so combining marks (the bar in x̄) already travel
/// with their base character and add no width.
public enum CharacterWidth {
    public static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        // Emoji presentation selector forces two columns (e.g. "✔️").
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        return isWide(v) ? 2 : 1
    }

    /// The columns of a cell's glyph: the same rule, read off its packed scalars.
    @inline(__always)
    public static func of(_ glyph: Glyph) -> Int {
        let v = glyph.first.value
        if glyph.isASCII { return v < 0x20 || v == 0x7F ? 0 : 1 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if glyph.hasMark(0xFE0F) { return 2 }
        return isWide(v) ? 2 : 1
    }

    /// Total columns of a string.
    public static func of(_ text: String) -> Int {
        // ASCII text (most of it): a column per byte that is not a control character.
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            var columns = 0
            for b in bytes {
                if b >= 0x80 { return nil }
                if b >= 0x20 && b != 0x7F { columns += 1 }
            }
            return columns
        }
        if let ascii, let ascii { return ascii }
        return text.reduce(0) { $0 + of($1) }
    }

    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F,        // Hangul Jamo initials
             0x2E80...0x303E,        // CJK radicals, punctuation
             0x3041...0x33FF,        // Hiragana … CJK compatibility
             0x3400...0x4DBF,        // CJK extension A
             0x4E00...0x9FFF,        // CJK unified ideographs
             0xA000...0xA4CF,        // Yi
             0xAC00...0xD7A3,        // Hangul syllables
             0xF900...0xFAFF,        // CJK compatibility ideographs
             0xFE30...0xFE4F,        // CJK compatibility forms
             0xFF00...0xFF60,        // Full-width forms
             0xFFE0...0xFFE6,
             0x1F300...0x1F64F,      // Pictographs, emoticons
             0x1F900...0x1F9FF,      // Supplemental symbols and pictographs
             0x20000...0x3FFFD:      // CJK extensions B…
            return true
        default:
            return false
        }
    }
}
