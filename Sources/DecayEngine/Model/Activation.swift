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
            y.storage.withUnsafeMutableBufferPointer { py in apply(px, py) }
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
        x.storage.withUnsafeMutableBufferPointer { p in apply(UnsafeBufferPointer(p), p) }
    }

    /// dy becomes dx in its own storage (`worksInPlace` only), from the
    /// saved output `y`: the same values as `backward`.
    public func backwardInPlace(y: Matrix, gradient dy: inout Matrix) {
        precondition(worksInPlace, "\(kind) needs its input for backward")
        precondition(y.rows == dy.rows && y.columns == dy.columns, "\(kind) backward: shape mismatch")
        y.storage.withUnsafeBufferPointer { py in
            dy.storage.withUnsafeMutableBufferPointer { p in differentiate(from: py, UnsafeBufferPointer(p), p) }
        }
    }

    public func backward(x: Matrix, y: Matrix, dy: Matrix, dx: inout Matrix, needInputGradient: Bool) {
        guard needInputGradient else { return }
        dx.reshape(rows: x.rows, columns: x.columns)
        dy.storage.withUnsafeBufferPointer { pdy in
            dx.storage.withUnsafeMutableBufferPointer { pdx in
                (kind == .gelu ? x : y).storage.withUnsafeBufferPointer { differentiate(from: $0, pdy, pdx) }
            }
        }
    }

    /// The kind's kernel: y = f(x) (x and y may be the same buffer).
    private func apply(_ x: UnsafeBufferPointer<Float>, _ y: UnsafeMutableBufferPointer<Float>) {
        switch kind {
        case .relu: Kernels.reluForward(x, y)
        case .tanh: Kernels.tanhForward(x, y)
        case .gelu: Kernels.geluForward(x, y)
        }
    }

    /// The kind's backward kernel: dx from dy and `saved`, the layer's
    /// output for ReLU and tanh, its input for GELU (dy and dx may be the
    /// same buffer).
    private func differentiate(from saved: UnsafeBufferPointer<Float>,
                               _ dy: UnsafeBufferPointer<Float>, _ dx: UnsafeMutableBufferPointer<Float>) {
        switch kind {
        case .relu: Kernels.reluBackward(saved, dy, dx)
        case .tanh: Kernels.tanhBackward(saved, dy, dx)
        case .gelu: Kernels.geluBackward(saved, dy, dx)
        }
    }
}
