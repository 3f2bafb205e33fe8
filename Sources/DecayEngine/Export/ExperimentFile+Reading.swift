import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading an `experiment.json` from outside: a file is untrusted, so it is
/// opened without blocking (a FIFO cannot hang the reader), must be a regular
/// file of bounded size, must nest only as deep as the format does, and every
/// decoding failure is said with the field it is in.
extension ExperimentFile {
    /// The largest file read (an export of the largest lesson is a few MB).
    public static let maximumBytes = 256 << 20
    /// The format nests at most five deep (`runs[i].history[j].norms`); well
    /// past that is not an experiment file, and is refused before decoding.
    public static let maximumDepth = 32

    /// Reads and decodes the file at `path` (following a symbolic link only
    /// to a regular file).
    public static func read(contentsOf path: String) throws(ExperimentFileError) -> ExperimentFile {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ExperimentFileError("\(path): cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ExperimentFileError("\(path): cannot read: \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw ExperimentFileError("\(path): not a regular file (a folder, pipe or device); give an experiment.json")
        }
        guard Int(st.st_size) <= maximumBytes else {
            throw ExperimentFileError("\(path): \(st.st_size) bytes is larger than any experiment file (at most \(maximumBytes >> 20) MB)")
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { readSome(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw ExperimentFileError("\(path): cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            data.append(contentsOf: buffer[0..<n])
            guard data.count <= maximumBytes else { throw ExperimentFileError("\(path): larger than any experiment file") }
        }
        do {
            return try decode(data)
        } catch {
            throw ExperimentFileError("\(path): \(error.message)")
        }
    }

    /// Decodes bytes, with the failing field named.
    public static func decode(_ data: Data) throws(ExperimentFileError) -> ExperimentFile {
        guard !data.isEmpty else { throw ExperimentFileError("the file is empty") }
        if let depth = nestingDepth(data), depth > maximumDepth {
            throw ExperimentFileError("nested \(depth) levels deep; an experiment file nests at most a few")
        }
        do {
            return try JSONDecoder().decode(ExperimentFile.self, from: data)
        } catch let error as DecodingError {
            throw ExperimentFileError(describe(error))
        } catch {
            throw ExperimentFileError("not valid JSON")
        }
    }

    /// The deepest nesting of arrays and objects, stopping early once past
    /// `maximumDepth` (nil: never deeper than it).
    static func nestingDepth(_ data: Data) -> Int? {
        var depth = 0, inString = false, escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximumDepth { return depth }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return nil
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "the top level" : text)
        }
        switch error {
        case let .typeMismatch(type, context):
            return "\(path(context.codingPath)): expected \(name(type))"
        case let .valueNotFound(type, context):
            return "\(path(context.codingPath)): missing \(name(type))"
        case let .keyNotFound(key, context):
            return "\(path(context.codingPath + [key])): missing"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "not valid JSON"
                : "\(path(context.codingPath)): \(context.debugDescription.prefix(120))"
        @unknown default:
            return "not an experiment file"
        }
    }

    private static func name(_ type: Any.Type) -> String {
        switch type {
        case is Float.Type, is Double.Type: "a number"
        case is Int.Type, is UInt64.Type: "a whole number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default: "\(type)".hasPrefix("Array") ? "a list" : "an object"
        }
    }
}

/// `read(2)`, named apart from `ExperimentFile.read(contentsOf:)`.
private func readSome(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
