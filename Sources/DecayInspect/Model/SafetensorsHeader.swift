/// The header of a `.safetensors` file: an 8-byte little-endian length N,
/// then N bytes of JSON naming each tensor's dtype, shape and byte range in
/// the data that follows. Only the header is read, so a 16 GB checkpoint is
/// inspected in milliseconds; the data is never mapped or read.
public struct SafetensorsHeader: Sendable {
    public var tensors: [TensorInfo]
    public var metadata: [String: String]

    /// No real header comes near this (a 70B model's is about 50 KB); it
    /// bounds what a hostile length can make us allocate.
    public static let maximumHeaderLength: UInt64 = 100_000_000

    /// Reads and checks the header of the file at `path`.
    public static func read(path: String) throws -> SafetensorsHeader {
        let file = try OpenFile(path: path, what: "safetensors file")
        guard file.size >= 8 else {
            throw InspectError(path: path, message: "too short for a safetensors file (\(file.size) bytes; the header's length alone takes 8)")
        }
        let prefix = try file.read(offset: 0, count: 8)
        let length = prefix.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length <= maximumHeaderLength else {
            throw InspectError(path: path, message: "the header length field says \(length) bytes, more than the \(maximumHeaderLength / 1_000_000) MB a safetensors header may have",
                               hint: "this is not a safetensors file, or its first 8 bytes are damaged")
        }
        guard length <= file.size - 8 else {
            throw InspectError(path: path, message: "the header length field says \(length) bytes, but the file has only \(file.size - 8) after it",
                               hint: "the file is truncated or not a safetensors file")
        }
        guard length >= 2 else {
            throw InspectError(path: path, message: "the header is \(length) bytes long, too short to be a JSON object")
        }
        let bytes = try file.read(offset: 8, count: Int(length))
        return try parse(consume bytes, path: path, dataSize: file.size - 8 - length)
    }

    /// Parses header bytes; `dataSize` is the number of bytes after the
    /// header, which every tensor's byte range must fit in.
    ///
    /// One pass with `SafetensorsHeaderScanner`: each entry is checked as it
    /// is read and kept only as the `TensorInfo` it becomes, so memory is a
    /// few times the header's bytes and time linear in its length (a tree
    /// of the whole header first took ~60× its bytes). A JSON syntax error
    /// anywhere is reported before any entry's problem; of those, the one
    /// of the first tensor by name, as the listing is ordered.
    static func parse(_ bytes: consuming [UInt8], path: String, dataSize: UInt64) throws -> SafetensorsHeader {
        var entries = Entries()
        entries.reserve(expected: Self.countOccurrences(of: "\"dtype\"", in: bytes) + 1)
        var notAnObject: String?   // what the top level is instead, when it is a list
        do {
            try bytes.withUnsafeBufferPointer { buffer in
                var scanner = SafetensorsHeaderScanner(buffer)
                switch scanner.peek() {
                case UInt8(ascii: "{"):
                    try scanner.object(depth: 0) { s, name in
                        entries.append(name, try readEntry(name: name, &s, path: path, dataSize: dataSize), path: path)
                    }
                case UInt8(ascii: "["):
                    notAnObject = try scanner.skipValue(depth: 0).name
                default:
                    throw scanner.fail(scanner.peek() == nil ? "the header is empty" : "it does not start with `{`")
                }
                guard scanner.peek() == nil else { throw scanner.fail("more follows the header's JSON object") }
            }
        } catch let e as SafetensorsHeaderScanner.SyntaxError {
            let (line, column) = TextPosition.lineAndColumn(of: e.offset, in: bytes)
            throw InspectError(path: path, line: line, column: column, message: "the safetensors header is not valid JSON: \(e.reason)")
        }
        if let notAnObject {
            throw InspectError(path: path, message: "the safetensors header is \(notAnObject), not a JSON object")
        }
        bytes = []   // the header's bytes are done with: not held while the listing is sorted
        return try assemble(entries, path: path)
    }

    /// How often `needle` occurs in `bytes` (an estimate of the entries to
    /// come: every tensor has a `"dtype"`).
    static func countOccurrences(of needle: String, in bytes: [UInt8]) -> Int {
        let n = Array(needle.utf8)
        guard let first = n.first, bytes.count >= n.count else { return 0 }
        var count = 0
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            while i <= b.count - n.count {
                if b[i] == first, (1..<n.count).allSatisfy({ b[i + $0] == n[$0] }) {
                    count += 1
                    i += n.count
                } else {
                    i += 1
                }
            }
        }
        return count
    }

    /// What one top-level entry turned out to be.
    enum Outcome {
        case tensor(TensorInfo, start: Int, end: Int)
        case metadata([String: String])
        case problem(InspectError)
    }

    /// The entries in file order, kept lean: a tensor as its `TensorInfo`
    /// and byte range, anything else as a placeholder with the entry's name
    /// and its metadata or problem on the side (rare).
    struct Entries {
        var tensors: [TensorInfo] = []
        var ranges: [(start: Int, end: Int)] = []
        var problems: [Int: InspectError] = [:]
        var metadata: [Int: [String: String]] = [:]
        /// One stored list per distinct shape: a model repeats a few shapes
        /// over all its layers, and a list of its own per tensor would cost
        /// a heap block each. Bounded, so a header of all-different shapes
        /// does not build a large table for nothing.
        var shapes: [[Int]: [Int]] = [:]
        static let maximumSharedShapes = 4096

        /// Room for about as many entries as there are: a list that grows
        /// by doubling holds up to twice its entries, and copies them.
        mutating func reserve(expected count: Int) {
            tensors.reserveCapacity(count)
            ranges.reserveCapacity(count)
        }

        mutating func append(_ name: String, _ outcome: Outcome, path: String) {
            switch outcome {
            case .tensor(var t, let start, let end):
                if let shared = shapes[t.shape] {
                    t.shape = shared
                } else if shapes.count < Self.maximumSharedShapes {
                    shapes[t.shape] = t.shape
                }
                tensors.append(t)
                ranges.append((start, end))
                return
            case let .metadata(m): metadata[tensors.count] = m
            case let .problem(e): problems[tensors.count] = e
            }
            tensors.append(TensorInfo(name: name, dtype: .u8, shape: [], parameterCount: 0, file: path))
            ranges.append((0, 0))
        }
    }

    /// The entries in name order (a name given twice keeps its last
    /// entry, as a JSON object reader does), checked for overlaps.
    private static func assemble(_ entries: Entries, path: String) throws -> SafetensorsHeader {
        let all = entries.tensors
        let order = all.indices.sorted { all[$0].name < all[$1].name || (all[$0].name == all[$1].name && $0 < $1) }
        var tensors: [TensorInfo] = []
        tensors.reserveCapacity(all.count - entries.metadata.count)
        var ranges: [(start: Int, end: Int, index: Int)] = []
        ranges.reserveCapacity(all.count)
        var metadata: [String: String] = [:]
        for (k, i) in order.enumerated() {
            if k + 1 < order.count, all[order[k + 1]].name == all[i].name { continue }   // a later one wins
            if let error = entries.problems[i] { throw error }
            if let m = entries.metadata[i] {
                metadata = m
                continue
            }
            ranges.append((entries.ranges[i].start, entries.ranges[i].end, tensors.count))
            tensors.append(all[i])
        }
        try checkOverlaps(ranges, tensors, path: path)
        return SafetensorsHeader(tensors: tensors, metadata: metadata)
    }

    /// Reads the value of top-level key `name`; a problem with its content
    /// is returned (the rest of the header must still be read for syntax).
    private static func readEntry(name: String, _ s: inout SafetensorsHeaderScanner, path: String,
                                  dataSize: UInt64) throws -> Outcome {
        if name == "__metadata__" {
            guard s.peek() == UInt8(ascii: "{") else {
                let kind = try s.skipValue(depth: 1)
                return .problem(InspectError(path: path, message: "`__metadata__` is \(kind.name), not an object of strings"))
            }
            var pairs: [String: String] = [:]
            var problem: InspectError?
            try s.object(depth: 1) { s, key in
                if s.peek() == UInt8(ascii: "\"") {
                    pairs[key] = try s.string()
                } else {
                    let kind = try s.skipValue(depth: 2)
                    problem = problem ?? InspectError(path: path, message: "`__metadata__` entry \(Quote.code(key)) is \(kind.name), not a string")
                }
            }
            return problem.map { .problem($0) } ?? .metadata(pairs)
        }
        guard s.peek() == UInt8(ascii: "{") else {
            let kind = try s.skipValue(depth: 1)
            return .problem(tensorError(name, path, "its entry is \(kind.name), not an object"))
        }
        var raw = RawTensor()
        try raw.read(&s)
        do {
            let (tensor, start, end) = try raw.check(name: name, path: path, dataSize: dataSize)
            return .tensor(tensor, start: start, end: end)
        } catch let error as InspectError {
            return .problem(error)
        }
    }

    static func tensorError(_ name: String, _ path: String, _ message: String, hint: String? = nil) -> InspectError {
        InspectError(path: path, message: "tensor \(Quote.code(name)): \(message)", hint: hint)
    }

    private static func checkOverlaps(_ ranges: [(start: Int, end: Int, index: Int)], _ tensors: [TensorInfo], path: String) throws {
        let sorted = ranges.filter { $0.end > $0.start }.sorted { $0.start < $1.start }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.start < a.end {
            throw InspectError(path: path, message: "tensors \(Quote.code(tensors[a.index].name)) and \(Quote.code(tensors[b.index].name)) overlap in the file's data")
        }
    }
}

extension SafetensorsHeader {
    /// A tensor entry's fields as written, before they are checked: a field
    /// given twice keeps its last value; unknown fields are skipped (the
    /// safetensors library ignores them too).
    struct RawTensor {
        enum Field<Value> {
            case missing
            case wrong(SafetensorsHeaderScanner.Kind)
            case value(Value)
        }

        /// The sizes before the first element that is not one, and that element.
        struct Shape {
            var sizes: [Int] = []
            var firstBad: SafetensorsHeaderScanner.Kind?
        }

        /// `[start, end]` when it is two integers, else how many elements.
        struct Offsets {
            var elements = 0
            var integers: [Int] = []
        }

        var dtype: Field<String> = .missing
        var shape: Field<Shape> = .missing
        var offsets: Field<Offsets> = .missing

        mutating func read(_ s: inout SafetensorsHeaderScanner) throws {
            try s.object(depth: 1) { s, field in
                switch field {
                case "dtype":
                    dtype = s.peek() == UInt8(ascii: "\"") ? .value(try s.string()) : .wrong(try s.skipValue(depth: 2))
                case "shape":
                    guard s.peek() == UInt8(ascii: "[") else { shape = .wrong(try s.skipValue(depth: 2)); return }
                    var out = Shape()
                    try s.array(depth: 2) { s in
                        let kind = try s.skipOrReadNumber(depth: 3)
                        guard out.firstBad == nil else { return }
                        if case .number(let n) = kind, let size = n.integer, size >= 0 { out.sizes.append(size) } else { out.firstBad = kind }
                    }
                    shape = .value(out)
                case "data_offsets":
                    guard s.peek() == UInt8(ascii: "[") else { offsets = .wrong(try s.skipValue(depth: 2)); return }
                    var out = Offsets()
                    try s.array(depth: 2) { s in
                        let kind = try s.skipOrReadNumber(depth: 3)
                        out.elements += 1
                        if out.elements <= 2, case .number(let n) = kind, let v = n.integer { out.integers.append(v) }
                    }
                    offsets = .value(out)
                default:
                    try s.skipValue(depth: 2)
                }
            }
        }

        /// The tensor and its byte range, or the first thing wrong with it
        /// (checked in the order a reader of the fields would meet them).
        func check(name: String, path: String, dataSize: UInt64) throws -> (TensorInfo, Int, Int) {
            func fail(_ message: String, hint: String? = nil) -> InspectError { tensorError(name, path, message, hint: hint) }
            guard case .value(let dtypeName) = dtype else { throw fail("`dtype` is missing or not a string") }
            guard let type = TensorDType(rawValue: dtypeName) else {
                throw fail("unknown dtype \(Quote.code(dtypeName))",
                           hint: "expected one of " + TensorDType.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard case .value(let dims) = shape else { throw fail("`shape` is missing or not a list") }
            var count = 1
            var overflow = false
            for (i, size) in dims.sizes.enumerated() {
                (count, overflow) = count.multipliedReportingOverflow(by: size)
                if overflow {
                    let text = dims.sizes[...i].map(String.init).joined(separator: "×")
                    throw fail("its shape \(Quote.code(text)) has more elements than can be counted")
                }
            }
            if let bad = dims.firstBad { throw fail("`shape` holds \(Self.describe(bad)), not a size") }
            guard case .value(let o) = offsets, o.elements == 2, o.integers.count == 2,
                  o.integers[0] >= 0, o.integers[1] >= o.integers[0] else {
                throw fail("`data_offsets` must be two byte offsets [start, end] with start ≤ end")
            }
            let (start, end) = (o.integers[0], o.integers[1])
            let (bits, o1) = count.multipliedReportingOverflow(by: type.bits)
            if o1 || (bits + 7) / 8 != end - start {
                throw fail("its byte range holds \(end - start) bytes, but \(dtypeName) × \(dims.sizes) needs \(o1 ? "more than can be counted" : String((bits + 7) / 8))")
            }
            if UInt64(end) > dataSize {
                throw fail("its bytes end at \(end), past the \(dataSize) bytes of data in the file",
                           hint: "the file is truncated; download or save it again")
            }
            return (TensorInfo(name: name, dtype: type, shape: dims.sizes, parameterCount: count, file: path), start, end)
        }

        static func describe(_ kind: SafetensorsHeaderScanner.Kind) -> String {
            if case .number(let n) = kind { return Quote.code(n.text, limit: 40) }
            return kind.name
        }
    }
}

extension SafetensorsHeaderScanner {
    /// A number read (its value is needed), or any other value skipped.
    mutating func skipOrReadNumber(depth: Int) throws -> Kind {
        guard let b = peek(), b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39) else { return try skipValue(depth: depth) }
        return .number(try number())
    }
}
