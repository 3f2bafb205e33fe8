/// One Float per parameter group, NaN where the model has no such group.
public struct GroupValues: Sendable, Equatable {
    public var storage = SIMD4<Float>(repeating: .nan)

    public init() {}

    public subscript(group: ParameterGroup) -> Float? {
        get {
            let v = storage[Self.index(group)]
            return v.isNaN ? nil : v
        }
        set { storage[Self.index(group)] = newValue ?? .nan }
    }

    public var groups: [ParameterGroup] { ParameterGroup.allCases.filter { self[$0] != nil } }

    /// Every group, for loops on the training path that must not build an array.
    public static let all: [ParameterGroup] = ParameterGroup.allCases

    @inline(__always)
    static func index(_ g: ParameterGroup) -> Int {
        switch g {
        case .weights: 0
        case .biases: 1
        case .norms: 2
        case .embeddings: 3
        }
    }
}
