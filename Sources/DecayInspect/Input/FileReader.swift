import Foundation
import TextSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading the few bytes `inspect` needs from a file without trusting it:
/// only regular files are read (a FIFO would block forever, a device could
/// be endless), every read is bounded by the file's real size and by a limit,
/// and nothing is ever allocated from a length written inside the file until
/// that length has been checked against the file.
final class OpenFile {
    let path: String
    let size: UInt64
    private let descriptor: Int32

    /// Opens `path` for reading; refuses anything but a regular file.
    /// - Parameter what: how the file is named in errors ("checkpoint", "config").
    init(path: String, what: String) throws {
        self.path = path
        // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused
        // just below, once fstat has said what it is.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw InspectError(path: path, message: "cannot open the \(what): \(String(cString: strerror(code)))",
                               hint: code == ENOENT ? "check the path" : nil, kind: .noInput)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            _ = close(fd)
            throw InspectError(path: path, message: "cannot read the \(what): \(String(cString: strerror(code)))", kind: .noInput)
        }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else {
            _ = close(fd)
            throw InspectError(path: path, message: "the \(what) is \(FileErrorText.kind(type)), not a regular file", kind: .noInput)
        }
        descriptor = fd
        size = UInt64(max(0, info.st_size))
    }

    deinit { _ = close(descriptor) }

    /// Exactly `count` bytes at `offset`; the caller has checked that they
    /// lie inside the file. A file that shrank meanwhile is reported as
    /// truncated, never padded.
    func read(offset: UInt64, count: Int) throws -> [UInt8] {
        precondition(count >= 0 && offset.addingReportingOverflow(UInt64(count)).partialValue <= size)
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                throw InspectError(path: path, message: "cannot read: \(String(cString: strerror(code)))", kind: .noInput)
            }
            if n == 0 {
                throw InspectError(path: path, message: "the file ended after \(Int(offset) + done) bytes while reading it (truncated?)")
            }
            done += n
        }
        return bytes
    }

    /// The whole file, if it is at most `limit` bytes.
    func readAll(limit: Int, what: String) throws -> [UInt8] {
        guard size <= UInt64(limit) else {
            throw InspectError(path: path, message: "the \(what) is \(ByteCount.text(size)), more than the \(ByteCount.text(UInt64(limit))) a \(what) can sensibly be")
        }
        return try read(offset: 0, count: Int(size))
    }
}

/// Whether a path is a folder (following symbolic links), or nil if it
/// does not exist.
func isDirectory(_ path: String) -> Bool? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return info.st_mode & S_IFMT == S_IFDIR
}

enum ByteCount {
    static func text(_ bytes: UInt64) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : String(format: value < 10 ? "%.1f" : "%.0f", value) + " " + units[unit]
    }
}
