import Foundation
import TextSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a set of files into one folder and nowhere else, all or nothing:
/// names are fixed, existing files are kept unless `force`, a symbolic link
/// is never written through, and every file is written and synced in a
/// temporary folder first, then renamed into place — so a full disk or a
/// failing write never leaves a new `experiment.json` beside an old
/// `reproduce.py`, or half of either.
struct ExportFolder {
    typealias Failure = StepExport.Failure

    let directory: URL
    let force: Bool

    func write(_ files: [(name: String, contents: Data)]) throws(Failure) -> [URL] {
        let path = directory.path
        guard !directory.relativePath.isEmpty, !path.isEmpty else {
            throw Failure(.usage, "the output folder's name is empty; name a folder, such as ./export")
        }
        for file in files { precondition(!file.name.contains("/") && file.name != ".." && file.name != ".") }
        var st = stat()
        if stat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw Failure(.cannotCreate, "\(Self.shown(path)) exists and is not a folder")
            }
            try checkTargets(files)
            return try writeIntoExisting(files)
        }
        let reason = errno
        guard reason == ENOENT else { throw Failure(.cannotCreate, "cannot use \(Self.shown(path)): \(Self.explain(reason))") }
        return try writeIntoNew(files)
    }

    /// Checks every target before writing any, so a refusal leaves nothing half-done.
    private func checkTargets(_ files: [(name: String, contents: Data)]) throws(Failure) {
        for file in files {
            let path = directory.appendingPathComponent(file.name).path
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            switch st.st_mode & S_IFMT {
            case S_IFLNK: throw Failure(.cannotCreate, "\(Self.shown(path)) is a symbolic link; refusing to write through it")
            case S_IFREG: if !force { throw Failure(.cannotCreate, "\(Self.shown(path)) already exists; pass --force to overwrite it") }
            default: throw Failure(.cannotCreate, "\(Self.shown(path)) exists and is not a regular file; remove it or choose another folder")
            }
        }
    }

    /// The folder exists: stage inside it (same file system), then rename each file over its target.
    private func writeIntoExisting(_ files: [(name: String, contents: Data)]) throws(Failure) -> [URL] {
        let stage = try makeStage(in: directory.path)
        defer { Self.removeStage(stage, names: files.map(\.name)) }
        try fill(stage, files)
        var written: [URL] = []
        for file in files {
            let target = directory.appendingPathComponent(file.name)
            guard rename(stage + "/" + file.name, target.path) == 0 else {
                throw Failure(.io, "cannot move \(file.name) into \(Self.shown(directory.path)): \(Self.explain(errno))")
            }
            written.append(target)
        }
        Self.syncDirectory(directory.path)
        return written
    }

    /// The folder is new: stage a sibling folder, then rename it into place in one step.
    private func writeIntoNew(_ files: [(name: String, contents: Data)]) throws(Failure) -> [URL] {
        let parent = directory.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw Failure(.cannotCreate, "cannot create \(Self.shown(parent)): \(Self.describe(error))")
        }
        let stage = try makeStage(in: parent)
        try fill(stage, files)
        chmod(stage, 0o755 & ~Self.umaskValue)
        guard rename(stage, directory.path) == 0 else {
            let reason = errno
            Self.removeStage(stage, names: files.map(\.name))
            throw Failure(.cannotCreate, "cannot create \(Self.shown(directory.path)): \(Self.explain(reason))")
        }
        Self.syncDirectory(parent)
        return files.map { directory.appendingPathComponent($0.name) }
    }

    private func makeStage(in folder: String) throws(Failure) -> String {
        var template = Array((folder + "/.decay-tutor-export-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            throw Failure(.cannotCreate, "cannot write into \(Self.shown(folder)): \(Self.explain(errno))")
        }
        return String(cString: template)
    }

    private func fill(_ stage: String, _ files: [(name: String, contents: Data)]) throws(Failure) {
        for file in files {
            let path = stage + "/" + file.name
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw Failure(.io, "cannot create \(Self.shown(path)): \(Self.explain(errno))") }
            let ok = Self.writeAll(fd, file.contents) && fsync(fd) == 0
            let reason = errno
            close(fd)
            guard ok else {
                throw Failure(.io, "cannot write \(file.name) into \(Self.shown(directory.path)): \(Self.explain(reason))")
            }
        }
    }

    static func writeAll(_ fd: Int32, _ data: Data) -> Bool { posixWriteAll(fd, data) }

    private static func removeStage(_ stage: String, names: [String]) {
        for name in names { unlink(stage + "/" + name) }
        rmdir(stage)
    }

    private static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    private static var umaskValue: mode_t {
        let old = umask(0o022)
        umask(old)
        return old
    }

    /// A path as it is safe to print: control characters escaped.
    static func shown(_ path: String) -> String { TerminalText.escaped(path) }

    static func explain(_ code: Int32) -> String { FileErrorText.explain(code) }

    static func describe(_ error: Error) -> String { FileErrorText.describe(error) }
}

/// Writes every byte, retrying short writes and EINTR; false with errno set on failure.
func posixWriteAll(_ fd: Int32, _ data: Data) -> Bool {
    data.withUnsafeBytes { raw -> Bool in
        var offset = 0
        while offset < raw.count {
            let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 { if errno == EINTR { continue }; return false }
            if n == 0 { errno = EIO; return false }
            offset += n
        }
        return true
    }
}

/// Text from outside (arguments, file names, file contents) made safe to
/// print to a terminal: control characters and invalid bytes become visible
/// escapes, so a name cannot move the cursor, change colours or clear the screen.
public enum TerminalText {
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x0D: out += "\\r"
            case 0x1B: out += "\\e"
            case 0..<0x20, 0x7F, 0x80..<0xA0, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
