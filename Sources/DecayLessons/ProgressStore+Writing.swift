import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ProgressStore {
    /// The bytes to write: compact JSON with keys sorted, which a read
    /// always accepts. Past `maximumFileSize`, the progress of lessons not
    /// in `keptLessons` is left out, the largest first, until it fits.
    /// - Returns: the bytes and the lesson ids left out.
    func fitting(_ progress: LearnerProgress) throws -> (Data, [String]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(progress)
        guard data.count > sizeLimit else { return (data, []) }
        // What each lesson's entry costs, about: its id and step numbers.
        func cost(_ id: String) -> Int {
            let p = progress.lessons[id]!
            return id.utf8.count + 8 * (p.finishedSteps.count + p.answeredGoals.count)
        }
        let candidates = progress.lessons.keys.filter { !keptLessons.contains($0) }.sorted { cost($0) > cost($1) || (cost($0) == cost($1) && $0 < $1) }
        var trimmed = progress
        var dropped: [String] = []
        var excess = data.count - sizeLimit
        var next = candidates[...]
        while data.count > sizeLimit {
            guard !next.isEmpty else {
                throw SaveError(message: "cannot save progress to \(TerminalText.escaped(url.path)): even without other lessons "
                    + "folders' progress it would be \(data.count) bytes, over the \(sizeLimit) a progress file may have")
            }
            // Drop about as much as is over (at least one lesson), then measure again.
            var freed = 0
            while let id = next.first, freed <= excess {
                freed += cost(id) + 16
                trimmed.lessons[id] = nil
                dropped.append(id)
                next = next.dropFirst()
            }
            if let last = trimmed.last, dropped.contains(last.lesson) { trimmed.last = nil }
            data = try encoder.encode(trimmed)
            excess = data.count - sizeLimit
        }
        return (data, dropped)
    }

    /// The path a save replaces: `url`, or — when `url` is a symbolic link —
    /// the file the chain of links ends at (which need not exist yet), so
    /// the link keeps pointing at the progress instead of being replaced by
    /// a copy of it.
    func writeTarget() throws -> URL {
        var path = url.path
        for _ in 0..<32 {
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return URL(fileURLWithPath: path) }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(path, &buffer, buffer.count - 1)
            guard n > 0 else { break }
            let destination = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            path = destination.hasPrefix("/") ? destination
                : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(destination)
        }
        throw SaveError(message: "cannot save progress: \(TerminalText.escaped(url.path)) is a symbolic link that leads in a loop "
            + "(or through more than 32 links); point it at a file, or remove it")
    }
}
