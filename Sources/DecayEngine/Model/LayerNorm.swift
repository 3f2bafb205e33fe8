import DecayKernels

/// LayerNorm over each row: y = (x − μ)/√(σ² + ε)·γ + β, with the biased
/// variance and ε inside the root, as PyTorch computes it. γ (gain) and β
/// (shift) both belong to the `norms` group.
public final class LayerNorm: Layer {
    public let gain: Parameter
    public let shift: Parameter
    public let epsilon: Float
    private var normalized = Matrix(rows: 0, columns: 0)   // x̂, saved for backward
    private var inverseStd: [Float] = []

    public init(gain: Parameter, shift: Parameter, epsilon: Float = 1e-5) {
        precondition(gain.count == shift.count)
        self.gain = gain
        self.shift = shift
        self.epsilon = epsilon
    }

    public var dimension: Int { gain.count }
    public var spec: LayerSpec { .layerNorm(dimension: dimension, epsilon: epsilon) }
    public var parameters: [Parameter] { [gain, shift] }

    public func forward(_ x: Matrix, into y: inout Matrix, context: ForwardContext) {
        let n = x.rows, d = dimension
        precondition(x.columns == d, "layernorm: input width \(x.columns), expected \(d)")
        y.reshape(rows: n, columns: d)
        normalized.reshape(rows: n, columns: d)
        if inverseStd.count < n { inverseStd = Array(repeating: 0, count: n) }
        let eps = epsilon
        x.storage.withUnsafeBufferPointer { px in
            normalized.storage.withUnsafeMutableBufferPointer { pxh in
                y.storage.withUnsafeMutableBufferPointer { py in
                    gain.value.withUnsafeBufferPointer { pg in
                        shift.value.withUnsafeBufferPointer { pb in
                            inverseStd.withUnsafeMutableBufferPointer { pr in
                                for i in 0..<n {
                                    let row = UnsafeBufferPointer(rebasing: px[(i * d)..<((i + 1) * d)])
                                    let mean = Kernels.sum(row) / Float(d)
                                    let xh = UnsafeMutableBufferPointer(rebasing: pxh[(i * d)..<((i + 1) * d)])
                                    for j in 0..<d { xh[j] = row[j] - mean }
                                    let variance = Kernels.sumOfSquares(UnsafeBufferPointer(xh)) / Float(d)
                                    let r = 1 / (variance + eps).squareRoot()
                                    pr[i] = r
                                    Kernels.scale(xh, by: r)
                                    let yi = UnsafeMutableBufferPointer(rebasing: py[(i * d)..<((i + 1) * d)])
                                    Kernels.multiply(UnsafeBufferPointer(xh), pg, into: yi)
                                    Kernels.axpy(1, pb, into: yi)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// dγ += Σᵢ dy⊙x̂, dβ += Σᵢ dy, and
    /// dx = r/d · (d·ĝ − Σĝ − x̂·Σ(ĝ⊙x̂)) with ĝ = dy⊙γ, per row.
    public func backward(x: Matrix, y: Matrix, dy: Matrix, dx: inout Matrix, needInputGradient: Bool) {
        let n = dy.rows, d = dimension
        let frozen = gain.isFrozen && shift.isFrozen
        if frozen && !needInputGradient { return }
        if needInputGradient { dx.reshape(rows: n, columns: d) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: d) { gh in
            normalized.storage.withUnsafeBufferPointer { pxh in
                dy.storage.withUnsafeBufferPointer { pdy in
                    gain.value.withUnsafeBufferPointer { pg in
                        gain.gradient.withUnsafeMutableBufferPointer { pdg in
                            shift.gradient.withUnsafeMutableBufferPointer { pdb in
                                dx.storage.withUnsafeMutableBufferPointer { pdx in
                                    for i in 0..<n {
                                        let xh = UnsafeBufferPointer(rebasing: pxh[(i * d)..<((i + 1) * d)])
                                        let g = UnsafeBufferPointer(rebasing: pdy[(i * d)..<((i + 1) * d)])
                                        if !frozen {
                                            for j in 0..<d { pdg[j] += g[j] * xh[j] }
                                            Kernels.axpy(1, g, into: pdb)
                                        }
                                        guard needInputGradient else { continue }
                                        Kernels.multiply(g, pg, into: gh)
                                        let sumG = Kernels.sum(UnsafeBufferPointer(gh))
                                        let sumGX = Kernels.dot(UnsafeBufferPointer(gh), xh)
                                        let r = inverseStd[i] / Float(d)
                                        let fd = Float(d)
                                        for j in 0..<d {
                                            pdx[i * d + j] = r * (fd * gh[j] - sumG - xh[j] * sumGX)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
