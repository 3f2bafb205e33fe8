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
