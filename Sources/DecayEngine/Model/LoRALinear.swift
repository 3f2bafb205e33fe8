import DecayKernels

/// A linear layer with a LoRA adapter, computed as peft's `LoraLayer` does:
///
///     y = x·W₀ᵀ + b + s·((dropout(x)·Aᵀ)·Bᵀ),   s = α/r (α/√r with rsLoRA)
///
/// W₀ and b are frozen (the base model); A (r × in) and B (out × r) are the
/// trainable `adapters`. The adapter is never merged into W₀, so ΔW = s·B·A
/// stays a product of two thin factors and every product here is r wide
/// or goes through W₀ once, as in peft. Dropout acts on the adapter's input
/// only (the base layer sees x), with the engine's hashed masks keyed by
/// (seed, step, this layer's index).
public final class LoRALinear: Layer {
    public let base: Parameter
    public let bias: Parameter?
    public let loraA: Parameter
    public let loraB: Parameter
    public let alpha: Float
    public let rsLoRA: Bool
    /// lora_dropout; changeable between steps (the learner's control).
    public var dropout: Float

    // Scratch kept between forward and backward, reshaped (never shrunk
    // in capacity) so a step allocates nothing once the batch size is seen.
    private var mask = Matrix(rows: 0, columns: 0)
    private var dropped = Matrix(rows: 0, columns: 0)   // dropout(x), then dh·A in backward
    private var hidden = Matrix(rows: 0, columns: 0)    // h = dropout(x)·Aᵀ, n × r
    private var adapterOutput = Matrix(rows: 0, columns: 0)  // h·Bᵀ, then s·dy in backward
    private var hiddenGradient = Matrix(rows: 0, columns: 0) // dh, n × r
    private var maskActive = false

    public init(base: Parameter, bias: Parameter?, loraA: Parameter, loraB: Parameter,
                alpha: Float, rsLoRA: Bool = false, dropout: Float = 0) {
        precondition(base.shape.count == 2 && loraA.shape.count == 2 && loraB.shape.count == 2)
        precondition(loraA.shape[1] == base.shape[1] && loraB.shape[0] == base.shape[0] && loraB.shape[1] == loraA.shape[0],
                     "lora: A \(loraA.shape), B \(loraB.shape) do not fit W₀ \(base.shape)")
        precondition(bias.map { $0.shape == [base.shape[0]] } ?? true)
        precondition(dropout >= 0 && dropout < 1, "lora_dropout must be in [0, 1)")
        self.base = base
        self.bias = bias
        self.loraA = loraA
        self.loraB = loraB
        self.alpha = alpha
        self.rsLoRA = rsLoRA
        self.dropout = dropout
        base.isFrozen = true
        bias?.isFrozen = true
    }

    public var inputs: Int { base.shape[1] }
    public var outputs: Int { base.shape[0] }
    public var rank: Int { loraA.shape[0] }
    public var scaling: Float { AdapterSpec.scaling(rank: rank, alpha: alpha, rsLoRA: rsLoRA) }
    public var spec: LayerSpec {
        .lora(inputs: inputs, outputs: outputs, bias: bias != nil, rank: rank, alpha: alpha, rsLoRA: rsLoRA, dropout: dropout)
    }
    /// Every tensor in model order; W₀ and b are frozen, so only A and B reach `Network.parameters`.
    public var parameters: [Parameter] { (bias.map { [base, $0] } ?? [base]) + [loraA, loraB] }

    public func forward(_ x: Matrix, into y: inout Matrix, context: ForwardContext) {
        precondition(x.columns == inputs, "lora: input width \(x.columns), expected \(inputs)")
        let n = x.rows, k = inputs, m = outputs, r = rank
        y.reshape(rows: n, columns: m)
        hidden.reshape(rows: n, columns: r)
        adapterOutput.reshape(rows: n, columns: m)
        maskActive = context.training && dropout > 0
        if maskActive {
            mask.reshape(rows: n, columns: k)
            dropped.reshape(rows: n, columns: k)
            let key = DropoutHash.key(seed: context.seed, step: context.step, layer: context.layerIndex)
            mask.storage.withUnsafeMutableBufferPointer { Kernels.dropoutMask($0, key: key, p: dropout) }
            x.storage.withUnsafeBufferPointer { px in
                mask.storage.withUnsafeBufferPointer { pm in
                    dropped.storage.withUnsafeMutableBufferPointer { Kernels.multiply(px, pm, into: $0) }
                }
            }
        }
        // y = x·W₀ᵀ + b
        x.storage.withUnsafeBufferPointer { px in
            base.value.withUnsafeBufferPointer { pw in
                y.storage.withUnsafeMutableBufferPointer { py in
                    if let bias {
                        bias.value.withUnsafeBufferPointer { pb in
                            LinearAlgebra.forward(x: px, rows: n, inputs: k, weight: pw, bias: pb, outputs: m, into: py)
                        }
                    } else {
                        LinearAlgebra.forward(x: px, rows: n, inputs: k, weight: pw, bias: nil, outputs: m, into: py)
                    }
                }
            }
        }
        // h = dropout(x)·Aᵀ, then h·Bᵀ, then y += s·(h·Bᵀ): peft's order of
        // operations, so the roundings are the same ones.
        (maskActive ? dropped : x).storage.withUnsafeBufferPointer { px in
            loraA.value.withUnsafeBufferPointer { pa in
                hidden.storage.withUnsafeMutableBufferPointer { ph in
                    LinearAlgebra.forward(x: px, rows: n, inputs: k, weight: pa, bias: nil, outputs: r, into: ph)
                }
            }
        }
        hidden.storage.withUnsafeBufferPointer { ph in
            loraB.value.withUnsafeBufferPointer { pb in
                adapterOutput.storage.withUnsafeMutableBufferPointer { pz in
                    LinearAlgebra.forward(x: ph, rows: n, inputs: r, weight: pb, bias: nil, outputs: m, into: pz)
                }
            }
        }
        let s = scaling
        adapterOutput.storage.withUnsafeBufferPointer { pz in
            y.storage.withUnsafeMutableBufferPointer { Kernels.axpy(s, pz, into: $0) }
        }
    }

    /// With dz = s·dy:  dB += dzᵀ·h,  dh = dz·B,  dA += dhᵀ·dropout(x),
    /// dx = dy·W₀ + (dh·A)⊙mask. W₀ and b get no gradient.
    public func backward(x: Matrix, y: Matrix, dy: Matrix, dx: inout Matrix, needInputGradient: Bool) {
        let n = dy.rows, k = inputs, m = outputs, r = rank
        let s = scaling
        scaleOutputGradient(dy, by: s)
        hiddenGradient.reshape(rows: n, columns: r)
        hidden.storage.withUnsafeBufferPointer { ph in
            adapterOutput.storage.withUnsafeBufferPointer { pdz in
                loraB.gradient.withUnsafeMutableBufferPointer { pdb in
                    LinearAlgebra.accumulateWeightGradient(x: ph, rows: n, inputs: r, outputGradient: pdz, outputs: m,
                                                           weightGradient: pdb, biasGradient: nil)
                }
                loraB.value.withUnsafeBufferPointer { pb in
                    hiddenGradient.storage.withUnsafeMutableBufferPointer { pdh in
                        LinearAlgebra.inputGradient(outputGradient: pdz, rows: n, outputs: m, weight: pb, inputs: r, into: pdh)
                    }
                }
            }
        }
        (maskActive ? dropped : x).storage.withUnsafeBufferPointer { px in
            hiddenGradient.storage.withUnsafeBufferPointer { pdh in
                loraA.gradient.withUnsafeMutableBufferPointer { pda in
                    LinearAlgebra.accumulateWeightGradient(x: px, rows: n, inputs: k, outputGradient: pdh, outputs: r,
                                                           weightGradient: pda, biasGradient: nil)
                }
            }
        }
        guard needInputGradient else { return }
        backwardInput(dy: dy, dx: &dx)
    }

    /// dz = s·dy, in the adapter output's buffer (free once forward is done).
    private func scaleOutputGradient(_ dy: Matrix, by s: Float) {
        adapterOutput.reshape(rows: dy.rows, columns: dy.columns)
        adapterOutput.storage.withUnsafeMutableBufferPointer { pz in
            dy.storage.withUnsafeBufferPointer { pdy in
                if pdy.count > 0 { pz.baseAddress!.update(from: pdy.baseAddress!, count: pdy.count) }
            }
            Kernels.scale(pz, by: s)
        }
    }

    /// dx = dy·W₀ + (dh·A)⊙mask; dh·A goes into the dropped-input buffer,
    /// which dA no longer needs.
    private func backwardInput(dy: Matrix, dx: inout Matrix) {
        let n = dy.rows, k = inputs, m = outputs, r = rank
        dx.reshape(rows: n, columns: k)
        dropped.reshape(rows: n, columns: k)
        dy.storage.withUnsafeBufferPointer { pdy in
            base.value.withUnsafeBufferPointer { pw in
                dx.storage.withUnsafeMutableBufferPointer { pdx in
                    LinearAlgebra.inputGradient(outputGradient: pdy, rows: n, outputs: m, weight: pw, inputs: k, into: pdx)
                }
            }
        }
        hiddenGradient.storage.withUnsafeBufferPointer { pdh in
            loraA.value.withUnsafeBufferPointer { pa in
                dropped.storage.withUnsafeMutableBufferPointer { pt in
                    LinearAlgebra.inputGradient(outputGradient: pdh, rows: n, outputs: r, weight: pa, inputs: k, into: pt)
                    if maskActive {
                        mask.storage.withUnsafeBufferPointer { pm in Kernels.multiply(UnsafeBufferPointer(pt), pm, into: pt) }
                    }
                }
            }
        }
        dropped.storage.withUnsafeBufferPointer { pt in
            dx.storage.withUnsafeMutableBufferPointer { Kernels.axpy(1, pt, into: $0) }
        }
    }
}

extension LoRALinear {
    /// ‖s·B·A − s·B₀·A₀‖²_F, how far this adapter has moved the layer's
    /// weight from where it started, without forming either out × in
    /// product: with aᵢ the rows of A and bᵢ the columns of B,
    /// ‖B·A‖² = Σᵢⱼ (bᵢ·bⱼ)(aᵢ·aⱼ), and the cross term likewise. Summed in
    /// Double; r²·(in + out) multiply-adds per term, nothing allocated.
    public func squaredUpdateDistance(a0: [Float], b0: [Float]) -> Double {
        precondition(a0.count == loraA.count && b0.count == loraB.count)
        let r = rank, k = inputs, m = outputs
        let s = Double(scaling)
        return loraA.value.withUnsafeBufferPointer { a in
            loraB.value.withUnsafeBufferPointer { b in
                a0.withUnsafeBufferPointer { a0 in
                    b0.withUnsafeBufferPointer { b0 in
                        func gram(_ x: UnsafeBufferPointer<Float>, _ i: Int, _ y: UnsafeBufferPointer<Float>, _ j: Int, rows: Bool) -> Double {
                            var sum = 0.0
                            if rows {
                                for t in 0..<k { sum += Double(x[i * k + t]) * Double(y[j * k + t]) }
                            } else {
                                for o in 0..<m { sum += Double(x[o * r + i]) * Double(y[o * r + j]) }
                            }
                            return sum
                        }
                        var total = 0.0
                        for i in 0..<r {
                            for j in 0..<r {
                                let now = gram(b, i, b, j, rows: false) * gram(a, i, a, j, rows: true)
                                let cross = gram(b, i, b0, j, rows: false) * gram(a0, j, a, i, rows: true)
                                let start = gram(b0, i, b0, j, rows: false) * gram(a0, i, a0, j, rows: true)
                                total += now - 2 * cross + start
                            }
                        }
                        return max(total, 0) * s * s
                    }
                }
            }
        }
    }
}
