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
        let trainsWeight = !weight.isFrozen
        let trainableBias = bias.flatMap { $0.isFrozen ? nil : $0 }
        if trainsWeight || trainableBias != nil {
            // A frozen weight with a trainable bias: the bias's column sums
            // alone, through the same kernel with no inputs.
            let kw = trainsWeight ? k : 0
            x.storage.withUnsafeBufferPointer { px in
                dy.storage.withUnsafeBufferPointer { pdy in
                    weight.gradient.withUnsafeMutableBufferPointer { pdw in
                        let xs = trainsWeight ? px : UnsafeBufferPointer(rebasing: px[0..<0])
                        let dws = trainsWeight ? pdw : UnsafeMutableBufferPointer(rebasing: pdw[0..<0])
                        if let trainableBias {
                            trainableBias.gradient.withUnsafeMutableBufferPointer { pdb in
                                LinearAlgebra.accumulateWeightGradient(
                                    x: xs, rows: n, inputs: kw, outputGradient: pdy, outputs: m,
                                    weightGradient: dws, biasGradient: pdb)
                            }
                        } else {
                            LinearAlgebra.accumulateWeightGradient(
                                x: xs, rows: n, inputs: kw, outputGradient: pdy, outputs: m,
                                weightGradient: dws, biasGradient: nil)
                        }
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
