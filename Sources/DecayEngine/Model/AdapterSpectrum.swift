import Foundation

/// The shape of one adapter's update ΔW = s·B·A, from r × r matrices only.
///
/// ΔWᵀΔW = s²·Aᵀ(BᵀB)A has the same non-zero eigenvalues as s²·(BᵀB)(AAᵀ),
/// which is similar to the symmetric positive semi-definite
/// s²·Q^½·(BᵀB)·Q^½ with Q = AAᵀ. So the singular values of the out × in
/// matrix ΔW are s times the square roots of the eigenvalues of an r × r
/// symmetric matrix: two Gram matrices (r²·(in + out)/2 multiply-adds, in
/// Double) and two r × r eigenproblems, never ΔW itself nor an SVD of it.
public struct AdapterSpectrum: Sendable, Equatable {
    /// σ₁ ≥ σ₂ ≥ … ≥ σ_r ≥ 0.
    public var singularValues: [Float]

    public init(singularValues: [Float]) { self.singularValues = singularValues }

    /// ‖ΔW‖_F = √Σσᵢ².
    public var frobeniusNorm: Float { Float(singularValues.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()) }

    /// ‖ΔW‖_F² / ‖ΔW‖₂² = Σσᵢ²/σ₁²: between 1 (one direction) and r (all equal).
    /// nil for ΔW = 0.
    public var stableRank: Float? {
        guard let top = singularValues.first, top > 0 else { return nil }
        let t = Double(top)
        return Float(singularValues.reduce(0.0) { $0 + Double($1) * Double($1) } / (t * t))
    }

    /// exp(−Σ pᵢ·ln pᵢ) with pᵢ = σᵢ/Σσⱼ (Roy & Vetterli, 2007): the number
    /// of equally strong directions with the same entropy. nil for ΔW = 0.
    public var effectiveRank: Float? {
        let total = singularValues.reduce(0.0) { $0 + Double($1) }
        guard total > 0 else { return nil }
        var entropy = 0.0
        for s in singularValues where s > 0 {
            let p = Double(s) / total
            entropy -= p * log(p)
        }
        return Float(exp(entropy))
    }

    /// The spectrum of s·B·A, with A r × in and B out × r row-major.
    public init(a: UnsafeBufferPointer<Float>, b: UnsafeBufferPointer<Float>, rank r: Int, inputs k: Int, outputs m: Int,
                scaling s: Float) {
        let meter = SpectrumMeter(rank: r)
        meter.measure(a: a, b: b, inputs: k, outputs: m, scaling: s)
        singularValues = meter.values
    }

    /// The spectrum of one LoRA layer's ΔW.
    public init(_ layer: LoRALinear) {
        self = layer.loraA.value.withUnsafeBufferPointer { a in
            layer.loraB.value.withUnsafeBufferPointer { b in
                AdapterSpectrum(a: a, b: b, rank: layer.rank, inputs: layer.inputs, outputs: layer.outputs, scaling: layer.scaling)
            }
        }
    }
}
