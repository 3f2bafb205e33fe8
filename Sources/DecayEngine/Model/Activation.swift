import DecayKernels

/// Elementwise nonlinearities. ReLU and tanh differentiate from their saved
/// output, GELU (the exact erf form, PyTorch's default) from its input.
public final class Activation: Layer {
    public enum Kind: String, Sendable, CaseIterable { case relu, tanh, gelu }
    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public var spec: LayerSpec {
        switch kind {
        case .relu: .relu
        case .tanh: .tanh
        case .gelu: .gelu
        }
    }

    public func forward(_ x: Matrix, into y: inout Matrix, context: ForwardContext) {
        y.reshape(rows: x.rows, columns: x.columns)
        x.storage.withUnsafeBufferPointer { px in
            y.storage.withUnsafeMutableBufferPointer { py in
                switch kind {
                case .relu: Kernels.reluForward(px, py)
                case .tanh: Kernels.tanhForward(px, py)
                case .gelu: Kernels.geluForward(px, py)
                }
            }
        }
    }

    /// Whether the layer can overwrite its input with its output, and its
    /// output gradient with its input gradient: ReLU and tanh differentiate
    /// from their output alone; GELU needs its input.
    public var worksInPlace: Bool { kind != .gelu }

    /// y = f(x) over x's own storage (`worksInPlace` only): the same values
    /// as `forward`, element by element, without a second buffer.
    public func forwardInPlace(_ x: inout Matrix) {
        precondition(worksInPlace, "\(kind) needs its input for backward")
        x.storage.withUnsafeMutableBufferPointer { p in
            switch kind {
            case .relu: Kernels.reluForward(UnsafeBufferPointer(p), p)
            case .tanh: Kernels.tanhForward(UnsafeBufferPointer(p), p)
            case .gelu: break
            }
        }
    }

    /// dy becomes dx in its own storage (`worksInPlace` only), from the
    /// saved output `y`: the same values as `backward`.
    public func backwardInPlace(y: Matrix, gradient dy: inout Matrix) {
        precondition(worksInPlace, "\(kind) needs its input for backward")
        precondition(y.rows == dy.rows && y.columns == dy.columns, "\(kind) backward: shape mismatch")
        y.storage.withUnsafeBufferPointer { py in
            dy.storage.withUnsafeMutableBufferPointer { p in
                switch kind {
                case .relu: Kernels.reluBackward(py, UnsafeBufferPointer(p), p)
                case .tanh: Kernels.tanhBackward(py, UnsafeBufferPointer(p), p)
                case .gelu: break
                }
            }
        }
    }

    public func backward(x: Matrix, y: Matrix, dy: Matrix, dx: inout Matrix, needInputGradient: Bool) {
        guard needInputGradient else { return }
        dx.reshape(rows: x.rows, columns: x.columns)
        dy.storage.withUnsafeBufferPointer { pdy in
            dx.storage.withUnsafeMutableBufferPointer { pdx in
                switch kind {
                case .relu: y.storage.withUnsafeBufferPointer { Kernels.reluBackward($0, pdy, pdx) }
                case .tanh: y.storage.withUnsafeBufferPointer { Kernels.tanhBackward($0, pdy, pdx) }
                case .gelu: x.storage.withUnsafeBufferPointer { Kernels.geluBackward($0, pdy, pdx) }
                }
            }
        }
    }
}
