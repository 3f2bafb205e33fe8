import Foundation
import TextSupport
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
///   each other's progress — unless the file was reset since this tutor
///   loaded it (`resets` grew), when the reset wins.
/// - A file is outside data: every value is checked before use (see
///   `Progress.valid(forLessons:)`), what does not check out is reported and
///   ignored.
/// - A file this store must not replace — one it cannot read (permissions),
///   one from a newer tutor, or anything that is not a regular file — is
///   never written over: the store reports it, and saves are refused for the
///   rest of the session (the tutor keeps progress in memory).
/// - What is written can be read back: compact JSON, never over the size
///   a read accepts. Should a file grow past it (progress from many other
///   lessons folders), the progress of lessons this tutor does not know is
///   dropped, largest first, before that of the built-in ones and those open.
/// - A `progress.json` that is a symbolic link is written through: the file
///   it points to is replaced, the link stays.
/// - A file that is not valid progress is moved aside to
///   `progress.json.corrupt-<timestamp>`, and the warning names the new
///   path — but only by a store that writes (`readOnly` stores never rename).
public final class ProgressStore: @unchecked Sendable {
    public let url: URL
    /// Loads never move or create anything (for `list`).
    public let readOnly: Bool
    /// Each lesson id and its step count, to check the file against.
    public var knownLessons: [String: Int]?
    /// Lessons whose progress is never dropped to keep the file readable
    /// (the known lessons, and the built-in ones the tutor adds).
    public var keptLessons: Set<String>

    /// Why saving is refused for this session (a file we must not replace), if it is.
    public internal(set) var refusal: String?
    private var loadedResets = 0

    /// What went wrong, said to the learner (never fatal).
    public struct Warning: Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public struct SaveError: Error, Sendable, CustomStringConvertible {
        public var message: String
        /// The file or its folder cannot be written by this user (or is on
        /// a read-only file system), as opposed to a failed write.
        public var isPermission = false
        public var description: String { message }

        public init(message: String, isPermission: Bool = false) {
            self.message = message
            self.isPermission = isPermission
        }

        /// A failed system call on `path`, with errno's reason in words.
        static func system(_ verb: String, _ path: String, _ code: Int32) -> SaveError {
            SaveError(message: "cannot \(verb) \(TerminalText.escaped(path)): \(FileErrorText.explain(code))",
                      isPermission: code == EACCES || code == EPERM || code == EROFS)
        }
    }

    /// Files larger than this are not progress (a real one is a few KB).
    static let maximumFileSize = 4 << 20
    /// The size this store reads and writes up to (`maximumFileSize`; tests
    /// use a smaller one to check the limit's edge quickly).
    var sizeLimit = ProgressStore.maximumFileSize

    /// - Parameter url: the progress file; tests pass a temporary path.
    public init(url: URL, readOnly: Bool = false, lessons: [Lesson]? = nil) {
        self.url = url
        self.readOnly = readOnly
        knownLessons = lessons.map { Dictionary($0.map { ($0.id, $0.steps.count) }, uniquingKeysWith: { a, _ in a }) }
        keptLessons = Set(lessons?.map(\.id) ?? [])
    }

    /// The store at the XDG location for this user (see `location`); nil
    /// when there is none.
    public convenience init?(environment: [String: String] = ProcessInfo.processInfo.environment,
                             readOnly: Bool = false, lessons: [Lesson]? = nil) {
        guard case let .success(url) = Self.location(environment: environment) else { return nil }
        self.init(url: url, readOnly: readOnly, lessons: lessons)
    }

    /// `$XDG_STATE_HOME/decay-tutor/progress.json`, or
    /// `~/.local/state/decay-tutor/progress.json` when it is unset or not
    /// absolute (as the XDG spec says to ignore relative paths).
    public static func defaultURL(environment: [String: String]) -> URL {
        switch location(environment: environment) {
        case let .success(url): return url
        case .failure: return URL(fileURLWithPath: "/nonexistent/decay-tutor/progress.json")
        }
    }

    /// Where progress lives, or why there is nowhere: with `XDG_STATE_HOME`
    /// unset and `HOME` empty or relative, the only candidate would be a
    /// folder under the current directory, which is refused.
    public static func location(environment: [String: String]) -> Result<URL, SaveError> {
        let base: String
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            base = state
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            guard home.hasPrefix("/") else {
                return .failure(SaveError(message: "there is nowhere to keep progress: HOME is \(home.isEmpty ? "empty" : "not an absolute path") "
                    + "and XDG_STATE_HOME is not set; set one of them to an absolute folder (for example "
                    + "XDG_STATE_HOME=$PWD/.state) to keep progress"))
            }
            base = (home as NSString).appendingPathComponent(".local/state")
        }
        return .success(URL(fileURLWithPath: base).appendingPathComponent("decay-tutor").appendingPathComponent("progress.json"))
    }

    var directory: URL { url.deletingLastPathComponent() }
    private var lockPath: String { url.path + ".lock" }

    /// Reads the progress, checked value by value. A missing file is empty
    /// progress; every other problem is a warning.
    public func load() -> (progress: LearnerProgress, warnings: [Warning]) {
        if readOnly { return finish(readFile(quarantine: false)) }
        do {
            return try withLock { finish(readFile(quarantine: true)) }
        } catch {
            // No lock (read-only home, say): read without it, move nothing.
            let (p, warnings) = readFile(quarantine: false)
            return finish((p, warnings + [Warning(message: "\(error); progress will not be kept after this session")]))
        }
    }

    private func finish(_ loaded: (LearnerProgress, [Warning])) -> (progress: LearnerProgress, warnings: [Warning]) {
        let (p, warnings) = checked(loaded.0)
        loadedResets = p.resets ?? 0
        return (p, loaded.1 + warnings)
    }

    /// Merges `progress` into what is on disk and writes the result
    /// atomically.
    ///
    /// - Returns: the merged progress (what the file now holds) and any
    ///   warnings (a corrupt file that was moved aside).
    @discardableResult
    public func save(_ progress: LearnerProgress) throws(SaveError) -> (progress: LearnerProgress, warnings: [Warning]) {
        if let refusal { throw SaveError(message: refusal) }
        if readOnly { throw SaveError(message: "this store only reads progress") }
        do {
            return try withLock {
                removeStaleTemporaryFiles()
                let (current, warnings) = readFile(quarantine: true)
                if let refusal { throw SaveError(message: refusal) }
                let (disk, _) = current.structurallyValid()
                var merged: LearnerProgress
                var notes = warnings
                if (disk.resets ?? 0) > max(progress.resets ?? 0, loadedResets) {
                    merged = disk   // reset since we loaded: what we held predates it
                    notes.append(Warning(message: "progress was reset (by `decay-tutor reset-progress`) while this tutor was open; "
                        + "what was done before the reset is not brought back"))
                } else {
                    merged = disk.merged(with: progress)
                }
                merged.resets = disk.resets
                let dropped = try writeAtomically(merged)
                if !dropped.isEmpty {
                    for id in dropped { merged.lessons[id] = nil }
                    notes.append(Warning(message: "the progress file reached its size limit (\(sizeLimit) bytes); "
                        + "dropped the progress of \(dropped.count) lesson\(dropped.count == 1 ? "" : "s") from other lessons folders "
                        + "(\(dropped.prefix(3).map { LearnerProgress.quoted($0) }.joined(separator: ", "))\(dropped.count > 3 ? ", …" : ""))"))
                }
                loadedResets = merged.resets ?? 0
                return (checked(merged).0, notes)
            }
        } catch let e as SaveError {
            throw e
        } catch {
            throw SaveError(message: "cannot save progress to \(TerminalText.escaped(url.path)): \(FileErrorText.describe(error))")
        }
    }

    /// Clears progress: writes an empty file that counts the reset (so an
    /// open tutor's next save does not bring the old progress back). Only a
    /// regular file that is decay-tutor progress is replaced.
    public func reset() throws(SaveError) -> [Warning] {
        do {
            return try withLock {
                let (current, warnings) = readFile(quarantine: true)
                if let refusal { throw SaveError(message: refusal) }
                var fresh = LearnerProgress()
                fresh.resets = (current.structurallyValid().0.resets ?? 0) + 1
                try writeAtomically(fresh)
                return warnings
            }
        } catch let e as SaveError {
            throw e
        } catch {
            throw SaveError(message: "cannot reset progress at \(TerminalText.escaped(url.path)): \(FileErrorText.describe(error))")
        }
    }

    // MARK: - Reading

    private func checked(_ p: LearnerProgress) -> (LearnerProgress, [Warning]) {
        let (valid, problems) = knownLessons.map { p.valid(forLessons: $0) } ?? p.structurallyValid()
        guard !problems.isEmpty else { return (valid, []) }
        let shown = TerminalText.escaped(url.path)
        return (valid, [Warning(message: "progress file \(shown) has values that make no sense, ignored: "
            + problems.prefix(3).joined(separator: "; ") + (problems.count > 3 ? "; …" : ""))])
    }

    private func decode(_ data: Data) throws -> LearnerProgress {
        let p = try JSONDecoder().decode(LearnerProgress.self, from: data)
        guard p.format == LearnerProgress.formatName else { throw SaveError(message: "not a decay-tutor progress file") }
        return p
    }

    // MARK: - Writing

    /// A temporary file exists only while its writer holds the lock, so one
    /// found under the lock was left by a writer that was killed (beside the
    /// file written, which a symbolic link may put elsewhere).
    private func removeStaleTemporaryFiles() {
        guard let target = try? writeTarget() else { return }
        let folder = target.deletingLastPathComponent()
        let prefix = ".\(target.lastPathComponent).tmp-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            unlink(folder.appendingPathComponent(name).path)
        }
    }

    /// Writes `progress` compact, within the size a read accepts (see
    /// `fitting`), through a symbolic link to the file it names.
    /// - Returns: the lessons whose progress had to be left out.
    @discardableResult
    private func writeAtomically(_ progress: LearnerProgress) throws -> [String] {
        let (data, dropped) = try fitting(progress)
        let target = try writeTarget()
        let folder = target.deletingLastPathComponent()
        let temp = folder.appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SaveError.system("create", temp, errno) }
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
                        throw SaveError.system("write", temp, errno)
                    }
                    offset += n
                }
            }
            guard fsync(fd) == 0 else { throw SaveError.system("fsync", temp, errno) }
        }
        guard rename(temp, target.path) == 0 else { throw SaveError.system("rename", temp, errno) }
        ok = true
        // The rename is durable only once the directory entry is on disk.
        let dfd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            fsync(dfd)
            close(dfd)
        }
        return dropped
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
            let code = FileErrorText.errnoCode(of: error)
            let problem = FileErrorText.folderProblem(directory.path)
            throw SaveError(message: problem.map(TerminalText.escaped)
                                ?? "cannot create \(TerminalText.escaped(directory.path)): \(FileErrorText.describe(error))",
                            isPermission: code == EACCES || code == EPERM || code == EROFS)
        }
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            var error = SaveError.system("open", lockPath, code)
            if let problem = FileErrorText.folderProblem(directory.path) { error.message = TerminalText.escaped(problem) }
            throw error
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw SaveError.system("lock", lockPath, errno) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

}
