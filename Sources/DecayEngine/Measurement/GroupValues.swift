/// One Float per parameter group, with a presence mask: a group the model
/// lacks is absent, while a group whose value is NaN (a run whose numbers ran
/// away) is present with the value NaN. Absent slots also hold NaN in
/// `storage`, so bitwise comparisons of `storage` stay meaningful.
public struct GroupValues: Sendable, Equatable {
    public private(set) var storage = SIMD8<Float>(repeating: .nan)
    /// Bit i set: the group at index i has a value.
    public private(set) var presence: UInt8 = 0

    public init() {}

    public subscript(group: ParameterGroup) -> Float? {
        get {
            let i = Self.index(group)
            return presence & (1 << i) != 0 ? storage[i] : nil
        }
        set {
            let i = Self.index(group)
            if let newValue {
                storage[i] = newValue
                presence |= 1 << i
            } else {
                storage[i] = .nan
                presence &= ~(1 << i)
            }
        }
    }

    /// Adds `value` to a group's entry, making it present (from 0) if absent.
    @inline(__always)
    public mutating func accumulate(_ group: ParameterGroup, _ value: Float) {
        self[group] = (self[group] ?? 0) + value
    }

    /// The same groups, each value passed through `transform`.
    @inline(__always)
    public func map(_ transform: (Float) -> Float) -> GroupValues {
        var out = GroupValues()
        for g in Self.all { if let v = self[g] { out[g] = transform(v) } }
        return out
    }

    public var groups: [ParameterGroup] { ParameterGroup.allCases.filter { self[$0] != nil } }

    /// Every group, for loops on the training path that must not build an array.
    public static let all: [ParameterGroup] = ParameterGroup.allCases

    /// Equal when the same groups are present with equal values; a NaN value
    /// equals a NaN value (a recorded divergence compares as recorded).
    public static func == (a: GroupValues, b: GroupValues) -> Bool {
        guard a.presence == b.presence else { return false }
        for g in all {
            if let x = a[g], let y = b[g], x != y, !(x.isNaN && y.isNaN) { return false }
        }
        return true
    }

    @inline(__always)
    static func index(_ g: ParameterGroup) -> Int {
        switch g {
        case .weights: 0
        case .biases: 1
        case .layerNorms: 2
        case .embeddings: 3
        case .adapters: 4
        }
    }
}
