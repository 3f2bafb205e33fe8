import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ProgressStore {
    /// Reads the file as it is: missing is empty progress; a file this store
    /// must not replace sets `refusal`; one that is not progress is moved
    /// aside when `quarantine` (else only reported). Values are not checked here.
    func readFile(quarantine: Bool) -> (LearnerProgress, [Warning]) {
        let path = url.path
        let shown = TerminalText.escaped(path)
        let keep = "Progress is kept for this session only, and the file is left as it is."
        var st = stat()
        guard stat(path, &st) == 0 else {
            let code = errno
            if code == ENOENT { return (LearnerProgress(), []) }
            return refuse("cannot look at the progress file \(shown): \(String(cString: strerror(code))). \(keep)"
                + (code == EACCES ? " To fix: give your user access to its folder (chmod u+rx on each folder of the path)." : ""))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            return refuse("\(shown) is not a regular file, so it is not decay-tutor's progress. \(keep) "
                + "To fix: move it away, or set XDG_STATE_HOME to another folder.")
        }
        guard Int(st.st_size) <= sizeLimit else {
            return corrupt("it is \(st.st_size) bytes, far larger than any progress file", quarantine: quarantine)
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            if code == EACCES || code == EPERM {
                return refuse("the progress file \(shown) exists but this user cannot read it (permission denied). \(keep) "
                    + "To fix: as the file's owner run `chmod u+rw \(shown)`, or make it yours with "
                    + "`sudo chown \"$(id -un)\" \(shown)`.")
            }
            return refuse("cannot open the progress file \(shown): \(String(cString: strerror(code))). \(keep)")
        }
        defer { close(fd) }
        guard let data = Self.readAll(fd, limit: sizeLimit) else {
            return refuse("cannot read the progress file \(shown): \(String(cString: strerror(errno))). \(keep)")
        }
        let progress: LearnerProgress
        do {
            progress = try JSONDecoder().decode(LearnerProgress.self, from: data)
        } catch {
            return corrupt("it is not valid progress JSON", quarantine: quarantine)
        }
        guard progress.format == LearnerProgress.formatName else {
            return corrupt("it is not a decay-tutor progress file", quarantine: quarantine)
        }
        guard progress.version <= 1 else {
            return refuse("the progress file \(shown) is from a newer decay-tutor (format version \(progress.version)); "
                + "it is left untouched. \(keep) To fix: use the newer decay-tutor, or move the file away to start afresh with this one.")
        }
        guard progress.version == 1 else { return corrupt("its format version \(progress.version) is not one there has been", quarantine: quarantine) }
        return (progress, [])
    }

    private func refuse(_ message: String) -> (LearnerProgress, [Warning]) {
        refusal = message
        return (LearnerProgress(), [Warning(message: message)])
    }

    /// Not progress: moved aside by a store that writes, and the new name said.
    private func corrupt(_ reason: String, quarantine: Bool) -> (LearnerProgress, [Warning]) {
        let shown = TerminalText.escaped(url.path)
        guard quarantine else {
            return (LearnerProgress(), [Warning(message: "progress file \(shown) is unreadable (\(reason)); ignored "
                + "(the tutor moves it aside when it next saves)")])
        }
        // Through a symbolic link, the file it names is what is set aside
        // (the link stays, and the next save writes through it).
        let original = (try? writeTarget().path) ?? url.path
        let aside = quarantinePath(of: original)
        guard rename(original, aside) == 0 else {
            let why = String(cString: strerror(errno))
            return refuse("progress file \(shown) is unreadable (\(reason)) and could not be moved aside (\(why)); "
                + "it is left as it is and progress is kept for this session only")
        }
        return (LearnerProgress(), [Warning(message: "progress file \(shown) was unreadable (\(reason)); moved it to "
            + "\(TerminalText.escaped(aside)) and started afresh")])
    }

    func quarantinePath(of path: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let base = path + ".corrupt-" + formatter.string(from: Date())
        var candidate = base
        var n = 1
        while FileManager.default.fileExists(atPath: candidate) {
            n += 1
            candidate = base + "-\(n)"
        }
        return candidate
    }

    /// At most `limit` bytes (one more means too large: nil with EFBIG).
    static func readAll(_ fd: Int32, limit: Int) -> Data? {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { return data }
            data.append(contentsOf: buffer[0..<n])
            if data.count > limit {
                errno = EFBIG
                return nil
            }
        }
    }
}
