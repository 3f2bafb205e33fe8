import DecayKernels

/// y = x·Wᵀ + b, with W stored `[out][in]` as in PyTorch.
public final class Linear: Layer {
    public let weight: Parameter
    public let bias: Parameter?

    public init(weight: Parameter, bias: Parameter?) {
        precondition(weight.shape.count == 2)
        precondition(bias.map { $0.shape == [weight.shape[0]] } ?? true)
        self.weight = weight
        self.bias = bias
    }

    public var inputs: Int { weight.shape[1] }
    public var outputs: Int { weight.shape[0] }
    public var spec: LayerSpec { .linear(inputs: inputs, outputs: outputs, bias: bias != nil) }
    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }

    public func forward(_ x: Matrix, into y: inout Matrix, context: ForwardContext) {
        precondition(x.columns == inputs, "linear: input width \(x.columns), expected \(inputs)")
        y.reshape(rows: x.rows, columns: outputs)
        let n = x.rows, k = inputs, m = outputs
        x.storage.withUnsafeBufferPointer { px in
            weight.value.withUnsafeBufferPointer { pw in
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
    }

    public func backward(x: Matrix, y: Matrix, dy: Matrix, dx: inout Matrix, needInputGradient: Bool) {
        let n = x.rows, k = inputs, m = outputs
        x.storage.withUnsafeBufferPointer { px in
            dy.storage.withUnsafeBufferPointer { pdy in
                weight.gradient.withUnsafeMutableBufferPointer { pdw in
                    if let bias {
                        bias.gradient.withUnsafeMutableBufferPointer { pdb in
                            LinearAlgebra.accumulateWeightGradient(
                                x: px, rows: n, inputs: k, outputGradient: pdy, outputs: m,
                                weightGradient: pdw, biasGradient: pdb)
                        }
                    } else {
                        LinearAlgebra.accumulateWeightGradient(
                            x: px, rows: n, inputs: k, outputGradient: pdy, outputs: m,
                            weightGradient: pdw, biasGradient: nil)
                    }
                }
            }
        }
        guard needInputGradient else { return }
        dx.reshape(rows: n, columns: k)
        dy.storage.withUnsafeBufferPointer { pdy in
            weight.value.withUnsafeBufferPointer { pw in
                dx.storage.withUnsafeMutableBufferPointer { pdx in
                    LinearAlgebra.inputGradient(outputGradient: pdy, rows: n, outputs: m, weight: pw, inputs: k, into: pdx)
                }
            }
        }
    }
}
