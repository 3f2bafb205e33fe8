import DecayKernels

/// One parameter tensor: its values, its gradient, and the group whose decay
/// switch governs it. Shapes follow PyTorch (`[out, in]` for a linear weight)
/// so exported parameters load into `nn.Module`s unchanged.
public final class Parameter {
    public let name: String
    public var group: ParameterGroup
    public let shape: [Int]
    public var value: [Float]
    public var gradient: [Float]
    /// A frozen tensor takes part in the forward pass only: its layer
    /// accumulates no gradient for it and `Network.parameters` leaves it
    /// out, so no optimizer or decay rule touches it (a pretrained model's
    /// base weights under a LoRA adapter, as peft sets `requires_grad`).
    public var isFrozen = false

    public init(name: String, group: ParameterGroup, shape: [Int], value: [Float]) {
        precondition(shape.reduce(1, *) == value.count, "Parameter \(name): shape \(shape) vs \(value.count) values")
        self.name = name
        self.group = group
        self.shape = shape
        self.value = value
        self.gradient = Array(repeating: 0, count: value.count)
    }

    public var count: Int { value.count }

    public func zeroGradient() {
        gradient.withUnsafeMutableBufferPointer { Kernels.zero($0) }
    }

    public var sumOfSquares: Float {
        value.withUnsafeBufferPointer { Kernels.sumOfSquares($0) }
    }
}
