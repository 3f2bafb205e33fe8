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
        return try parse(bytes, path: path, dataSize: file.size - 8 - length)
    }

    /// Parses header bytes; `dataSize` is the number of bytes after the
    /// header, which every tensor's byte range must fit in.
    static func parse(_ bytes: [UInt8], path: String, dataSize: UInt64) throws -> SafetensorsHeader {
        let json = try JSONReader.parse(bytes, path: path, what: "safetensors header")
        guard case .object(let entries) = json else {
            throw InspectError(path: path, message: "the safetensors header is \(json.kindName), not a JSON object")
        }
        var tensors: [TensorInfo] = []
        var ranges: [(start: Int, end: Int, name: String)] = []
        var metadata: [String: String] = [:]
        for (name, value) in entries.sorted(by: { $0.key < $1.key }) {
            if name == "__metadata__" {
                metadata = try readMetadata(value, path: path)
                continue
            }
            let (tensor, range) = try readTensor(name: name, value: value, path: path, dataSize: dataSize)
            tensors.append(tensor)
            ranges.append((range.0, range.1, name))
        }
        try checkOverlaps(ranges, path: path)
        return SafetensorsHeader(tensors: tensors, metadata: metadata)
    }

    private static func readMetadata(_ value: JSONValue, path: String) throws -> [String: String] {
        guard case .object(let pairs) = value else {
            throw InspectError(path: path, message: "`__metadata__` is \(value.kindName), not an object of strings")
        }
        var out: [String: String] = [:]
        for (k, v) in pairs {
            guard case .string(let s) = v else {
                throw InspectError(path: path, message: "`__metadata__` entry \(Quote.code(k)) is \(v.kindName), not a string")
            }
            out[k] = s
        }
        return out
    }

    private static func readTensor(name: String, value: JSONValue, path: String,
                                   dataSize: UInt64) throws -> (TensorInfo, (Int, Int)) {
        func fail(_ message: String, hint: String? = nil) -> InspectError {
            InspectError(path: path, message: "tensor \(Quote.code(name)): \(message)", hint: hint)
        }
        guard case .object(let fields) = value else { throw fail("its entry is \(value.kindName), not an object") }
        guard case .string(let dtypeName)? = fields["dtype"] else { throw fail("`dtype` is missing or not a string") }
        guard let dtype = TensorDType(rawValue: dtypeName) else {
            throw fail("unknown dtype \(Quote.code(dtypeName))",
                       hint: "expected one of " + TensorDType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard case .array(let dims)? = fields["shape"] else { throw fail("`shape` is missing or not a list") }
        var shape: [Int] = []
        var count = 1
        var overflow = false
        for d in dims {
            guard case .number(let n) = d, let size = n.integer, size >= 0 else {
                throw fail("`shape` holds \(describe(d)), not a size")
            }
            shape.append(size)
            (count, overflow) = count.multipliedReportingOverflow(by: size)
            if overflow { throw fail("its shape \(Quote.code(shape.map(String.init).joined(separator: "×"))) has more elements than can be counted") }
        }
        guard case .array(let offsets)? = fields["data_offsets"], offsets.count == 2,
              case .number(let a) = offsets[0], case .number(let b) = offsets[1],
              let start = a.integer, let end = b.integer, start >= 0, end >= start else {
            throw fail("`data_offsets` must be two byte offsets [start, end] with start ≤ end")
        }
        let (bits, o1) = count.multipliedReportingOverflow(by: dtype.bits)
        if o1 || (bits + 7) / 8 != end - start {
            throw fail("its byte range holds \(end - start) bytes, but \(dtypeName) × \(shape) needs \(o1 ? "more than can be counted" : String((bits + 7) / 8))")
        }
        if UInt64(end) > dataSize {
            throw fail("its bytes end at \(end), past the \(dataSize) bytes of data in the file",
                       hint: "the file is truncated; download or save it again")
        }
        return (TensorInfo(name: name, dtype: dtype, shape: shape, parameterCount: count, file: path), (start, end))
    }

    private static func describe(_ value: JSONValue) -> String {
        if case .number(let n) = value { return Quote.code(n.text, limit: 40) }
        return value.kindName
    }

    private static func checkOverlaps(_ ranges: [(start: Int, end: Int, name: String)], path: String) throws {
        let sorted = ranges.filter { $0.end > $0.start }.sorted { $0.start < $1.start }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.start < a.end {
            throw InspectError(path: path, message: "tensors \(Quote.code(a.name)) and \(Quote.code(b.name)) overlap in the file's data")
        }
    }
}
