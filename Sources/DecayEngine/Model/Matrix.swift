/// A row-major matrix of Floats: a batch of rows, one example per row.
///
/// Storage is one contiguous `[Float]`; layers keep their matrices between
/// steps and reshape them only when the batch size changes, so a training
/// step reuses memory instead of allocating it.
public struct Matrix: Sendable, Equatable {
    public private(set) var rows: Int
    public private(set) var columns: Int
    public var storage: [Float]

    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    public init(rows: Int, columns: Int, storage: [Float]) {
        precondition(storage.count == rows * columns, "Matrix: \(storage.count) values for \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    public init(_ rowArrays: [[Float]]) {
        let c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "Matrix: ragged rows")
        self.init(rows: rowArrays.count, columns: c, storage: rowArrays.flatMap { $0 })
    }

    public var count: Int { storage.count }

    public subscript(row: Int, column: Int) -> Float {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    public func row(_ r: Int) -> ArraySlice<Float> {
        storage[(r * columns)..<((r + 1) * columns)]
    }

    /// Makes the matrix `rows × columns`. Contents are unspecified afterwards.
    /// The allocation only ever grows: a network that alternates between
    /// minibatches and the (larger) validation set reuses the same memory.
    public mutating func reshape(rows: Int, columns: Int) {
        if rows == self.rows && columns == self.columns { return }
        self.rows = rows
        self.columns = columns
        let n = rows * columns
        if storage.count > n {
            storage.removeLast(storage.count - n)
        } else if storage.count < n {
            // Exactly n: growing by appending would double the allocation
            // (a buffer sized for the training set could take twice that).
            storage.reserveCapacity(n)
            storage.append(contentsOf: repeatElement(0, count: n - storage.count))
        }
    }

    /// The rows at `indices`, in that order (a minibatch).
    public func gatherRows(_ indices: [Int], into out: inout Matrix) {
        out.reshape(rows: indices.count, columns: columns)
        let c = columns
        storage.withUnsafeBufferPointer { src in
            out.storage.withUnsafeMutableBufferPointer { dst in
                for (k, r) in indices.enumerated() {
                    (dst.baseAddress! + k * c).update(from: src.baseAddress! + r * c, count: c)
                }
            }
        }
    }

    public var rowArrays: [[Float]] { (0..<rows).map { Array(row($0)) } }
}
