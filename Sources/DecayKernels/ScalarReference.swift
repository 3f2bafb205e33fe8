import Foundation

/// The optimizer updates as plain one-element-at-a-time loops: the baseline
/// the SIMD kernels are measured against (`adamw_scalar_ns_per_param_4096`,
/// and the ratio in `PerformanceGuardTests`).
///
/// Each loop also returns a strict left-to-right Float sum of the updated
/// parameters. Without permission to reassociate, LLVM cannot vectorize that
/// reduction, so the loop stays scalar at every optimization level (checked
/// with objdump: `vsqrtss`/`vdivss`, no packed ops), and the result keeps the
/// work from being optimized away. The extra add per element overlaps with
/// the sqrt/divide chain, which is several times longer.
public enum ScalarReference {
    /// AdamW, element by element, in exactly `Kernels.adamW`'s arithmetic.
    @inline(never)
    public static func adamW(
        parameters p: UnsafeMutableBufferPointer<Float>, gradients g: UnsafeBufferPointer<Float>,
        firstMoment m: UnsafeMutableBufferPointer<Float>, secondMoment v: UnsafeMutableBufferPointer<Float>,
        learningRate lr: Double, decayFactor f: Float, beta1: Double, beta2: Double, epsilon: Double, step t: Int
    ) -> Float {
        precondition(p.count == g.count && g.count == m.count && m.count == v.count)
        let c1 = 1 - pow(beta1, Double(t)), c2 = 1 - pow(beta2, Double(t))
        let stepSize = Float(lr / c1), inverseC2Root = Float(1 / c2.squareRoot())
        let oneMinusB1 = Float(1 - beta1), b2 = Float(beta2), oneMinusB2 = Float(1 - beta2), eps = Float(epsilon)
        var checksum: Float = 0
        for i in 0..<p.count {
            let gv = g[i]
            let mv = m[i] + oneMinusB1 * (gv - m[i])
            let vv = b2 * v[i] + oneMinusB2 * (gv * gv)
            m[i] = mv
            v[i] = vv
            let updated = p[i] * f - stepSize * (mv / (vv.squareRoot() * inverseC2Root + eps))
            p[i] = updated
            checksum += updated
        }
        return checksum
    }

    /// Lion, element by element, in exactly `Kernels.lion`'s arithmetic.
    @inline(never)
    public static func lion(
        parameters p: UnsafeMutableBufferPointer<Float>, gradients g: UnsafeBufferPointer<Float>,
        momentum m: UnsafeMutableBufferPointer<Float>, learningRate lr: Float, beta1: Double, beta2: Double,
        decayFactor f: Float?
    ) -> Float {
        precondition(p.count == g.count && g.count == m.count)
        let b1 = Float(beta1), oneMinusB1 = Float(1 - beta1), b2 = Float(beta2), oneMinusB2 = Float(1 - beta2)
        var checksum: Float = 0
        for i in 0..<p.count {
            let c = b1 * m[i] + oneMinusB1 * g[i]
            let sign: Float = c > 0 ? 1 : (c < 0 ? -1 : c * 0)
            var updated = p[i]
            if let f { updated = updated * f }
            updated = updated - lr * sign
            p[i] = updated
            m[i] = b2 * m[i] + oneMinusB2 * g[i]
            checksum += updated
        }
        return checksum
    }
}
