import Foundation
import TextSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a lesson file from disk without trusting it: the size is checked
/// with `fstat` before a byte is read, so a huge (or sparse) file in a
/// lessons folder is refused at once instead of being read into memory;
/// only a regular file is read (a FIFO would wait forever, a device could
/// be endless); and at most one byte past the limit is ever read, even from
/// a file that grows meanwhile.
///
/// Every refusal is a located `LessonError` that says what the file is and
/// what to do.
public enum LessonFileReader {
    /// The largest lesson file read (the lesson format's limit).
    public static var maximumBytes: Int { SourceText.maximumBytes }

    /// The file's bytes, or why they were not read.
    public static func bytes(atPath path: String) -> Result<[UInt8], LessonError> {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat
        // then says what it is and it is refused.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(error(path, cannotOpen: errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(error(path, cannotOpen: errno)) }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else {
            return .failure(LessonError(path: path, line: 0, message: "it is \(FileErrorText.kind(type)), not a lesson file",
                                        suggestion: "lesson files are plain text files ending in .md; move it out of the lessons folder"))
        }
        let size = Int(info.st_size)
        guard size <= maximumBytes else { return .failure(tooLarge(path, size)) }
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .failure(LessonError(path: path, line: 0, message: "cannot read the file: \(String(cString: strerror(errno)))"))
            }
            if n == 0 { break }
            done += n
        }
        // One byte past the size fstat gave means the file grew meanwhile.
        guard done <= maximumBytes else { return .failure(tooLarge(path, done)) }
        bytes.removeLast(bytes.count - done)
        return .success(bytes)
    }

    static func tooLarge(_ path: String, _ size: Int) -> LessonError {
        LessonError(path: path, line: 1, message: "the file is \(size) bytes; lessons are limited to 1 MiB (\(maximumBytes) bytes), so it was not read",
                    suggestion: "split it into several lessons, or move it out of the lessons folder")
    }

    static func error(_ path: String, cannotOpen code: Int32) -> LessonError {
        switch code {
        case ENOENT:
            return LessonError(path: path, line: 0, message: "no such file (a symbolic link whose target is missing?)")
        case EACCES, EPERM:
            return LessonError(path: path, line: 0, message: "cannot read the file: permission denied",
                               suggestion: "give your user read access (chmod u+r) or move it out of the lessons folder")
        case ELOOP:
            return LessonError(path: path, line: 0, message: "cannot read the file: its symbolic links form a loop",
                               suggestion: "point the link at a real file, or remove it")
        default:
            return LessonError(path: path, line: 0, message: "cannot read the file: \(String(cString: strerror(code)))")
        }
    }
}
