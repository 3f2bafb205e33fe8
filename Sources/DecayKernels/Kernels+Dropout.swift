extension Kernels {
    // MARK: - Dropout

    /// Writes an inverted-dropout mask: each element is `1/(1−p)` with
    /// probability 1−p and 0 otherwise, decided by `DropoutHash` from
    /// (key, element index) alone, so the same mask can be rebuilt anywhere
    /// (the exported reproduce.py does it with numpy).
    public static func dropoutMask(_ mask: Buffer, key: UInt64, p: Float) {
        let n = mask.count
        guard n > 0, let pm = mask.baseAddress else { return }
        let threshold = DropoutHash.threshold(p: p)
        let keep = Float(1) / (1 - p)
        let lane = SIMD8<UInt64>(0, 1, 2, 3, 4, 5, 6, 7)
        var i = 0
        while i + 8 <= n {
            let h = DropoutHash.mix(SIMD8<UInt64>(repeating: key &+ UInt64(i)) &+ lane) &>> 40
            var kept = SIMD8<UInt64>()
            kept.replace(with: 1, where: h .>= SIMD8<UInt64>(repeating: threshold))
            store8(SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: kept)) * keep, pm, i)
            i += 8
        }
        while i < n {
            pm[i] = DropoutHash.mix(key &+ UInt64(i)) >> 40 >= threshold ? keep : 0
            i += 1
        }
    }

    /// z = x ⊙ y (dropout's forward and backward: input or gradient times mask)
    public static func multiply(_ x: ReadBuffer, _ y: ReadBuffer, into z: Buffer) {
        precondition(x.count == y.count && y.count == z.count, "multiply: length mismatch")
        let n = x.count
        guard n > 0, let px = x.baseAddress, let py = y.baseAddress, let pz = z.baseAddress else { return }
        var i = 0
        while i + 16 <= n {
            store16(load16(px, i) * load16(py, i), pz, i)
            i += 16
        }
        while i < n { pz[i] = px[i] * py[i]; i += 1 }
    }
}
