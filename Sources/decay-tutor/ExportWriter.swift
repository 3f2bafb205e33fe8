import DecayEngine
import Foundation

/// Writes `experiment.json` and `reproduce.py` into one directory and nowhere
/// else: names are fixed, existing files are kept unless `force`, and a file
/// that is a symbolic link is never written through (it could point outside).
struct ExportWriter {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let directory: URL
    let force: Bool

    func write(_ files: [(name: String, contents: Data)]) throws -> [URL] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw Failure(description: "\(directory.path) exists and is not a directory") }
        } else {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw Failure(description: "cannot create \(directory.path): \(error.localizedDescription)")
            }
        }
        // Check every target before writing any, so a refusal leaves nothing half-done.
        for file in files {
            precondition(!file.name.contains("/") && file.name != ".." && file.name != ".")
            let path = directory.appendingPathComponent(file.name).path
            var st = stat()
            if lstat(path, &st) == 0 {
                if (st.st_mode & S_IFMT) == S_IFLNK {
                    throw Failure(description: "\(path) is a symbolic link; refusing to write through it")
                }
                if !force {
                    throw Failure(description: "\(path) already exists; pass --force to overwrite it")
                }
            }
        }
        var written: [URL] = []
        for file in files {
            let target = directory.appendingPathComponent(file.name)
            try AtomicFile.write(file.contents, to: target)
            written.append(target)
        }
        return written
    }
}

/// Write to a temporary file beside the target, fsync, rename: a reader (or a
/// crash) sees the old file or the new one, never half of one.
enum AtomicFile {
    static func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent().path
        let temp = dir + "/.\(url.lastPathComponent).\(getpid()).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ExportWriter.Failure(description: "cannot create \(temp): \(String(cString: strerror(errno)))") }
        var ok = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temp, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw ExportWriter.Failure(description: "cannot write \(url.path): \(reason)")
        }
        let dfd = open(dir, O_RDONLY | O_DIRECTORY)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }
}
