import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The learner's progress on disk, at `$XDG_STATE_HOME/decay-tutor/progress.json`.
///
/// - Writes are atomic: a temporary file in the same directory is written,
///   fsynced and renamed over the old one, then the directory is fsynced, so
///   a crash or `kill -9` at any moment leaves the old or the new file.
/// - Saves merge: under an `flock` on `progress.json.lock`, the file is
///   re-read and the union written, so two tutors open at once do not erase
///   each other's progress.
/// - A file that is not ours or not readable is moved aside to
///   `progress.json.corrupt-<timestamp>` with a warning, never overwritten.
public final class ProgressStore: @unchecked Sendable {
    public let url: URL

    /// What went wrong, said to the learner (never fatal).
    public struct Warning: Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public struct SaveError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// - Parameter url: the progress file; tests pass a temporary path.
    public init(url: URL) { self.url = url }

    /// The store at the XDG location for this user.
    public convenience init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(url: Self.defaultURL(environment: environment))
    }

    /// `$XDG_STATE_HOME/decay-tutor/progress.json`, or
    /// `~/.local/state/decay-tutor/progress.json` when it is unset or not
    /// absolute (as the XDG spec says to ignore relative paths).
    public static func defaultURL(environment: [String: String]) -> URL {
        let base: String
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            base = state
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            base = (home as NSString).appendingPathComponent(".local/state")
        }
        return URL(fileURLWithPath: base).appendingPathComponent("decay-tutor").appendingPathComponent("progress.json")
    }

    private var directory: URL { url.deletingLastPathComponent() }
    private var lockPath: String { url.path + ".lock" }

    /// Reads the progress. A missing file is empty progress; an unreadable
    /// one is moved aside and reported.
    public func load() -> (progress: Progress, warnings: [Warning]) {
        do {
            return try withLock { readOrQuarantine() }
        } catch {
            // No lock (read-only home, say): read without it, move nothing.
            if let data = FileManager.default.contents(atPath: url.path), let p = try? decode(data) { return (p, []) }
            return (Progress(), [Warning(message: "cannot open progress at \(url.path): \(error); progress will not be kept")])
        }
    }

    /// Merges `progress` into what is on disk and writes the result
    /// atomically.
    ///
    /// - Returns: the merged progress (what the file now holds) and any
    ///   warnings (a corrupt file that was moved aside).
    @discardableResult
    public func save(_ progress: Progress) throws(SaveError) -> (progress: Progress, warnings: [Warning]) {
        do {
            return try withLock {
                removeStaleTemporaryFiles()
                let (current, warnings) = readOrQuarantine()
                let merged = current.merged(with: progress)
                try writeAtomically(merged)
                return (merged, warnings)
            }
        } catch let e as SaveError {
            throw e
        } catch {
            throw SaveError(message: "cannot save progress to \(url.path): \(error)")
        }
    }

    // MARK: - Reading

    private func decode(_ data: Data) throws -> Progress {
        let p = try JSONDecoder().decode(Progress.self, from: data)
        guard p.format == Progress.formatName else { throw SaveError(message: "not a decay-tutor progress file") }
        guard p.version == 1 else { throw SaveError(message: "progress format version \(p.version) is newer than this tutor") }
        return p
    }

    /// Called with the lock held.
    private func readOrQuarantine() -> (Progress, [Warning]) {
        guard let data = FileManager.default.contents(atPath: url.path) else { return (Progress(), []) }
        do {
            return (try decode(data), [])
        } catch {
            let reason = (error as? SaveError)?.message ?? "it is not valid progress JSON"
            let aside = quarantinePath()
            do {
                try FileManager.default.moveItem(atPath: url.path, toPath: aside)
            } catch {
                return (Progress(), [Warning(message: "progress file \(url.path) is unreadable (\(reason)) and could not be moved aside: \(error)")])
            }
            return (Progress(), [Warning(message: "progress file \(url.path) was unreadable (\(reason)); moved it to \(aside) and started fresh")])
        }
    }

    private func quarantinePath() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let base = url.path + ".corrupt-" + formatter.string(from: Date())
        var candidate = base
        var n = 1
        while FileManager.default.fileExists(atPath: candidate) {
            n += 1
            candidate = base + "-\(n)"
        }
        return candidate
    }

    // MARK: - Writing

    private var temporaryPrefix: String { ".\(url.lastPathComponent).tmp-" }

    /// A temporary file exists only while its writer holds the lock, so one
    /// found under the lock was left by a writer that was killed.
    private func removeStaleTemporaryFiles() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix(temporaryPrefix) {
            unlink(directory.appendingPathComponent(name).path)
        }
    }

    private func writeAtomically(_ progress: Progress) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(progress)
        let temp = directory.appendingPathComponent("\(temporaryPrefix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SaveError(message: "cannot create \(temp): \(errnoText())") }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        do {
            defer { close(fd) }
            try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
                var offset = 0
                while offset < raw.count {
                    let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw SaveError(message: "cannot write \(temp): \(errnoText())")
                    }
                    offset += n
                }
            }
            guard fsync(fd) == 0 else { throw SaveError(message: "cannot fsync \(temp): \(errnoText())") }
        }
        guard rename(temp, url.path) == 0 else { throw SaveError(message: "cannot rename \(temp): \(errnoText())") }
        ok = true
        // The rename is durable only once the directory entry is on disk.
        let dfd = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            fsync(dfd)
            close(dfd)
        }
    }

    // MARK: - Locking

    /// Runs `body` holding an exclusive `flock` on the lock file (created,
    /// with its directory, on first use). The lock dies with the process, so
    /// a killed tutor never leaves it held.
    private func withLock<T>(_ body: () throws -> T) throws -> T {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw SaveError(message: "cannot create \(directory.path): \(error)")
        }
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SaveError(message: "cannot open \(lockPath): \(errnoText())") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw SaveError(message: "cannot lock \(lockPath): \(errnoText())") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    private func errnoText() -> String { String(cString: strerror(errno)) }
}
