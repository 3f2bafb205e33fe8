import DecayKernels

/// A seeded xoshiro256** generator: every data set, initialization and
/// minibatch order is a function of the experiment's seed, so the same spec
/// gives the same numbers headless and in the terminal.
public struct RandomSource: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var z = seed
        func next() -> UInt64 {
            z = z &+ 0x9E37_79B9_7F4A_7C15
            return DropoutHash.mix(z &- 0x9E37_79B9_7F4A_7C15)
        }
        s = (next(), next(), next(), next())
    }

    /// A generator for a named sub-stream, so adding draws to one part of the
    /// setup (say the data) does not shift another (say the initialization).
    public init(seed: UInt64, stream: String) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in stream.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        self.init(seed: seed ^ h)
    }

    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = (s.3 << 45) | (s.3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// Standard normal by Box–Muller (one draw used per call: simpler, and
    /// setup cost is irrelevant here).
    public mutating func normal(mean: Double = 0, std: Double = 1) -> Double {
        var u = uniform()
        while u <= .leastNonzeroMagnitude { u = uniform() }
        let v = uniform()
        return mean + std * (-2 * _log(u)).squareRoot() * _cos(2 * .pi * v)
    }
}

import Foundation
@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
