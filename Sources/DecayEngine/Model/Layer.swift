/// What a layer sees of the step it runs in. Dropout draws its mask from
/// (seed, step, layer index); everything else only needs `training`.
public struct ForwardContext: Sendable {
    public var training: Bool
    public var step: Int
    public var seed: UInt64
    public var layerIndex: Int

    public init(training: Bool, step: Int = 0, seed: UInt64 = 0, layerIndex: Int = 0) {
        self.training = training
        self.step = step
        self.seed = seed
        self.layerIndex = layerIndex
    }
}

/// A layer with a hand-written backward pass.
///
/// Layers do not keep their inputs or outputs: the `Network` owns every
/// activation buffer and hands them in, so a step reuses the same memory and
/// no buffer is shared (which would make the next write copy it).
public protocol Layer: AnyObject {
    var spec: LayerSpec { get }
    var parameters: [Parameter] { get }

    /// y = f(x). `y` arrives with unspecified contents; the layer reshapes it.
    func forward(_ x: Matrix, into y: inout Matrix, context: ForwardContext)

    /// Accumulates parameter gradients from dy and, when `needInputGradient`,
    /// writes the input gradient into `dx` (otherwise `dx` is left as it is:
    /// the first layer's input needs none). `x` and `y` are the forward
    /// pass's input and output.
    func backward(x: Matrix, y: Matrix, dy: Matrix, dx: inout Matrix, needInputGradient: Bool)
}

extension Layer {
    public var parameters: [Parameter] { [] }
}
