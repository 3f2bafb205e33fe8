/// What one cell shows: a character as up to three Unicode scalars packed
/// into one 64-bit word (21 bits each, the first in the low bits; 0 ends
/// the list).
///
/// The tutor draws single scalars nearly everywhere (ASCII, braille, box
/// drawing, Greek) and a base letter with one combining mark in formulas
/// (the circumflex of v̂), so three scalars hold everything it draws; a
/// longer grapheme cluster keeps its first three, one fewer than curses
/// itself keeps (`CCHARW_MAX` − 1). A `Character` is a string: copying,
/// comparing and releasing one per cell cost a third of a 120×40 frame,
/// where a word costs nothing.
public struct Glyph: Hashable, Sendable {
    public let bits: UInt64

    /// Scalars a glyph holds at most.
    public static let capacity = 3
    private static let mask: UInt64 = 0x1F_FFFF

    public init(_ scalar: Unicode.Scalar) {
        bits = UInt64(scalar.value)
    }

    /// The first `capacity` scalars of `character`.
    public init(_ character: Character) {
        if let ascii = character.asciiValue {
            bits = UInt64(ascii)
            return
        }
        var packed: UInt64 = 0, shift: UInt64 = 0
        for scalar in character.unicodeScalars {
            packed |= UInt64(scalar.value) << shift
            shift += 21
            if shift >= 21 * UInt64(Self.capacity) { break }
        }
        bits = packed
    }

    public static let space = Glyph(Unicode.Scalar(UInt8(0x20)))

    /// The base scalar.
    public var first: Unicode.Scalar { Unicode.Scalar(UInt32(bits & Self.mask)) ?? " " }

    /// One scalar below U+0080.
    public var isASCII: Bool { bits < 0x80 }

    /// The scalars, base first.
    public var scalars: [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        forEachScalar { out.append($0) }
        return out
    }

    @inline(__always)
    public func forEachScalar(_ body: (Unicode.Scalar) -> Void) {
        var rest = bits
        while rest != 0 {
            if let s = Unicode.Scalar(UInt32(rest & Self.mask)) { body(s) }
            rest >>= 21
        }
    }

    /// Whether any scalar after the base is `value` (the emoji presentation selector, for width).
    func hasMark(_ value: UInt32) -> Bool {
        var rest = bits >> 21
        while rest != 0 {
            if UInt32(rest & Self.mask) == value { return true }
            rest >>= 21
        }
        return false
    }

    public var character: Character {
        if bits <= Self.mask { return Character(first) }
        var text = String.UnicodeScalarView()
        forEachScalar { text.append($0) }
        return Character(String(text))
    }
}
