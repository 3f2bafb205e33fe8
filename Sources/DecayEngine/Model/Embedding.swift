import DecayKernels

/// An embedding table with mean pooling: each input row is a list of token
/// ids (stored as Floats), and its output is the mean of their embedding
/// vectors. The table's gradient is dense, as in `nn.Embedding` without
/// `sparse=True`: rows of tokens absent from the batch get a zero gradient,
/// but decay and optimizer state still act on them every step.
public final class Embedding: Layer {
    public let table: Parameter

    public init(table: Parameter) {
        precondition(table.shape.count == 2)
        self.table = table
    }

    public var count: Int { table.shape[0] }
    public var dimension: Int { table.shape[1] }
    public var spec: LayerSpec { .embedding(count: count, dimension: dimension) }
    public var parameters: [Parameter] { [table] }

    public func forward(_ x: Matrix, into y: inout Matrix, context: ForwardContext) {
        let n = x.rows, length = x.columns, d = dimension, v = count
        y.reshape(rows: n, columns: d)
        let scale = length > 0 ? 1 / Float(length) : 0
        x.storage.withUnsafeBufferPointer { px in
            table.value.withUnsafeBufferPointer { pe in
                y.storage.withUnsafeMutableBufferPointer { py in
                    Kernels.zero(py)
                    for i in 0..<n {
                        let yi = UnsafeMutableBufferPointer(rebasing: py[(i * d)..<((i + 1) * d)])
                        for t in 0..<length {
                            let id = min(max(Int(px[i * length + t]), 0), v - 1)
                            Kernels.axpy(scale, UnsafeBufferPointer(rebasing: pe[(id * d)..<((id + 1) * d)]), into: yi)
                        }
                    }
                }
            }
        }
    }

    public func backward(x: Matrix, y: Matrix, dy: Matrix, dx: inout Matrix, needInputGradient: Bool) {
        guard !table.isFrozen else { return }
        let n = x.rows, length = x.columns, d = dimension, v = count
        let scale = length > 0 ? 1 / Float(length) : 0
        x.storage.withUnsafeBufferPointer { px in
            dy.storage.withUnsafeBufferPointer { pdy in
                table.gradient.withUnsafeMutableBufferPointer { pde in
                    for i in 0..<n {
                        let g = UnsafeBufferPointer(rebasing: pdy[(i * d)..<((i + 1) * d)])
                        for t in 0..<length {
                            let id = min(max(Int(px[i * length + t]), 0), v - 1)
                            Kernels.axpy(scale, g, into: UnsafeMutableBufferPointer(rebasing: pde[(id * d)..<((id + 1) * d)]))
                        }
                    }
                }
            }
        }
        // Token ids have no gradient.
    }
}
