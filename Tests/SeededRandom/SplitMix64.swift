/// SplitMix64 (Steele, Lea & Flood, 2014), the tests' one seeded generator:
/// written out here from its definition, independently of the engine's
/// generators, so random inputs do not depend on the code under test, and
/// a failing case is reproduced from its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The output function: a bijection of 64-bit words that mixes every
    /// input bit into every output bit.
    public static func mix(_ z0: UInt64) -> UInt64 {
        var z = z0 &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 {
        defer { state &+= 0x9E37_79B9_7F4A_7C15 }
        return Self.mix(state)
    }

    /// A whole number in 0..<n (0 when n ≤ 1); the slight modulo bias does
    /// not matter for picking test cases.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}
