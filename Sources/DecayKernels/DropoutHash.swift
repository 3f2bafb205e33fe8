/// The counter-based hash behind dropout masks (and the dropout seed a
/// spec's runs share, `Experiment.dropoutSeed`).
///
/// A mask element is a pure function of (seed, step, layer, element index),
/// so masks need no RNG state, are identical in every run that shares a seed,
/// and can be rebuilt outside the engine: the exported `reproduce.py` computes
/// the same bits with numpy's wrapping uint64 arithmetic.
///
///     mix(z)   = SplitMix64 output function of z + 0x9E3779B97F4A7C15
///     key      = mix(seed ^ mix(step · 0x100000001B3 + layer))
///     keep i  ⇔  mix(key + i) >> 40  ≥  ⌊p · 2²⁴⌋
public enum DropoutHash {
    @inlinable
    public static func mix(_ z0: UInt64) -> UInt64 {
        var z = z0 &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inlinable
    public static func mix(_ z0: SIMD8<UInt64>) -> SIMD8<UInt64> {
        var z = z0 &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    /// The key of one dropout layer in one training step (steps count from 1).
    @inlinable
    public static func key(seed: UInt64, step: Int, layer: Int) -> UInt64 {
        mix(seed ^ mix(UInt64(step) &* 0x1_0000_0001_B3 &+ UInt64(layer)))
    }

    /// Elements whose 24-bit hash falls below this are dropped.
    @inlinable
    public static func threshold(p: Float) -> UInt64 {
        UInt64((Double(p) * 16_777_216.0).rounded(.down))
    }
}
