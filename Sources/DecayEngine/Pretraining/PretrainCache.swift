import Foundation
import TextSupport

/// One pretraining result on disk. Little-endian layout:
///
///     "DTPRETR1"               8 bytes, magic and format version
///     key length  (UInt32)     then the key's UTF-8 bytes
///     value count (UInt64)     then that many Float32 bit patterns
///     checksum    (UInt64)     FNV-1a over every byte before it
///
/// The reader knows the key and the parameter count it expects before it
/// opens the file, so it computes the exact size a valid file has and reads
/// at most that many bytes: a length or count in the file is compared with
/// the expected one, never used to size anything. It opens without
/// following symlinks and without blocking (a FIFO in the file's place is
/// refused, not waited on), and accepts only a regular file.
public struct PretrainCache: Sendable {
    public static let magic = Array("DTPRETR1".utf8)

    public let url: URL

    public init(url: URL) { self.url = url }

    /// The file for a key in a cache folder: named by the key's hash.
    public init(directory: URL, key: String) {
        let name = "pretrain-" + String(PretrainCache.fnv1a(Array(key.utf8)), radix: 16) + ".bin"
        self.init(url: directory.appendingPathComponent(name))
    }

    public struct Problem: Error, CustomStringConvertible, Sendable, Equatable {
        public var message: String
        public var description: String { message }
    }

    /// The exact size of a valid file for this key and count.
    static func expectedSize(keyBytes: Int, count: Int) -> Int { 8 + 4 + keyBytes + 8 + 4 * count + 8 }

    public static func encode(key: String, values: [Float]) -> [UInt8] {
        let k = Array(key.utf8)
        var out = magic
        out.reserveCapacity(expectedSize(keyBytes: k.count, count: values.count))
        append(UInt64(k.count), bytes: 4, to: &out)
        out += k
        append(UInt64(values.count), bytes: 8, to: &out)
        for v in values { append(UInt64(v.bitPattern), bytes: 4, to: &out) }
        append(fnv1a(out), bytes: 8, to: &out)
        return out
    }

    /// The values stored for `key`, which must be exactly `count` floats;
    /// nil when there is no file. Throws, saying why, for anything else.
    public func read(key: String, count: Int) throws -> [Float]? {
        let k = Array(key.utf8)
        let size = Self.expectedSize(keyBytes: k.count, count: count)
        guard let bytes = try readBounded(size) else { return nil }
        guard bytes.count == size else { throw Problem(message: "\(url.path): \(bytes.count) bytes, a valid file has \(size)") }
        return try Self.decode(bytes, key: k, count: count, path: url.path)
    }

    static func decode(_ b: [UInt8], key k: [UInt8], count: Int, path: String) throws -> [Float] {
        func fail(_ why: String) -> Problem { Problem(message: "\(path): \(why)") }
        guard Array(b[0..<8]) == magic else { throw fail("not a pretraining cache file (wrong magic)") }
        guard word(b, at: 8, bytes: 4) == UInt64(k.count), Array(b[12..<(12 + k.count)]) == k else {
            throw fail("written for other settings (key differs)")
        }
        let countAt = 12 + k.count
        guard word(b, at: countAt, bytes: 8) == UInt64(count) else { throw fail("holds a different number of parameters") }
        let sumAt = b.count - 8
        guard word(b, at: sumAt, bytes: 8) == fnv1a(b[0..<sumAt]) else { throw fail("checksum mismatch (damaged)") }
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count { values[i] = Float(bitPattern: UInt32(word(b, at: countAt + 8 + 4 * i, bytes: 4))) }
        guard values.allSatisfy(\.isFinite) else { throw fail("holds non-finite parameters") }
        return values
    }

    /// Reads at most `limit` bytes (one more tells a too-long file), from a
    /// regular file only. nil when nothing is there.
    private func readBounded(_ limit: Int) throws -> [UInt8]? {
        let fd = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            // Nothing cached there; a folder in the way is said when writing.
            if errno == ENOENT || errno == ENOTDIR { return nil }
            let why = errno == ELOOP ? "it is a symbolic link, which is refused" : FileErrorText.explain(errno)
            throw Problem(message: "\(url.path): cannot be opened (\(why))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw Problem(message: "\(url.path): not a regular file")
        }
        guard st.st_size == off_t(limit) else {
            throw Problem(message: "\(url.path): \(st.st_size) bytes, a valid file has \(limit)")
        }
        var buffer = [UInt8](repeating: 0, count: limit + 1)
        var got = 0
        while got <= limit {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + got, limit + 1 - got) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw Problem(message: "\(url.path): read failed (\(String(cString: strerror(errno))))") }
            if n == 0 { break }
            got += n
        }
        return Array(buffer[0..<got])
    }

    /// Writes atomically: a temporary file in the same folder, then rename.
    /// A failure is one sentence naming the path and what to do (a dangling
    /// link or a file where the folder goes, a folder this user cannot write).
    public func write(key: String, values: [Float]) throws {
        let dir = url.deletingLastPathComponent()
        func failure(_ error: Error) -> Problem {
            Problem(message: FileErrorText.folderProblem(dir.path)
                ?? "cannot write into \(dir.path): \(FileErrorText.describe(error))")
        }
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw failure(error)
        }
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let data = Data(Self.encode(key: key, values: values))
        do {
            try data.write(to: tmp, options: [.withoutOverwriting])
            guard rename(tmp.path, url.path) == 0 else {
                throw Problem(message: "\(url.path): cannot be replaced (\(FileErrorText.explain(errno)))")
            }
        } catch let problem as Problem {
            try? FileManager.default.removeItem(at: tmp)
            throw problem
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw failure(error)
        }
    }

    // MARK: - Bytes

    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    private static func append(_ v: UInt64, bytes: Int, to out: inout [UInt8]) {
        for i in 0..<bytes { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }

    private static func word(_ b: [UInt8], at offset: Int, bytes: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<bytes { v |= UInt64(b[offset + i]) << (8 * UInt64(i)) }
        return v
    }
}
