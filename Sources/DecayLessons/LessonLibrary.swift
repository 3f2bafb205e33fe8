import TextSupport
import Foundation

/// Every lesson in a folder. A broken file is reported in `errors` and does
/// not hide the good ones, so one typo never empties the menu.
public struct LessonLibrary: Sendable {
    /// The valid lessons, ordered by file name (`01-…`, `02-…`).
    public var lessons: [Lesson]
    /// Problems in the files that failed, and duplicate ids across files.
    public var errors: [LessonError]

    public init(lessons: [Lesson], errors: [LessonError] = []) {
        self.lessons = lessons
        self.errors = errors
    }

    /// Loads every `*.md` file in `directory` except `README.md`.
    public static func load(directory: String) -> LessonLibrary {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            return LessonLibrary(lessons: [], errors: [LessonError(path: directory, line: 0, message: "cannot read the lesson folder")])
        }
        let files = names.filter { $0.hasSuffix(".md") && $0.lowercased() != "readme.md" }.sorted()
        if files.isEmpty {
            return LessonLibrary(lessons: [], errors: [LessonError(path: directory, line: 0, message: "no lesson files (*.md) in the folder")])
        }
        // Each file is read only once its size is known to be a lesson's.
        return load(read: files.map { name in
            let path = (directory as NSString).appendingPathComponent(name)
            return (path, LessonFileReader.bytes(atPath: path))
        })
    }

    /// Parses lesson files given as (path, bytes) in menu order; nil bytes is
    /// an unreadable file. The built-in lessons come this way.
    public static func load(files: [(path: String, bytes: [UInt8]?)]) -> LessonLibrary {
        load(read: files.map { path, bytes in
            (path, bytes.map { .success($0) } ?? .failure(LessonError(path: path, line: 0, message: "cannot read the file")))
        })
    }

    static func load(read files: [(path: String, bytes: Result<[UInt8], LessonError>)]) -> LessonLibrary {
        var lessons: [Lesson] = []
        var errors: [LessonError] = []
        var ids: [String: Lesson] = [:]
        for (path, read) in files {
            let bytes: [UInt8]
            switch read {
            case let .success(b): bytes = b
            case let .failure(e):
                errors.append(e)
                continue
            }
            switch LessonParser.parse(bytes, path: path) {
            case let .success(lesson):
                if let first = ids[lesson.id] {
                    errors.append(LessonError(path: path, line: lesson.idLine, message: "duplicate lesson id `\(lesson.id)`",
                                              suggestion: "\(first.file) already uses it; ids must be unique"))
                    continue
                }
                ids[lesson.id] = lesson
                lessons.append(lesson)
                errors.append(contentsOf: LadderRule.problems(in: lesson))
            case let .failure(e):
                errors.append(contentsOf: e.errors)
            }
        }
        return LessonLibrary(lessons: lessons, errors: errors)
    }

    public func lesson(id: String) -> Lesson? { lessons.first { $0.id == id } }

    /// The lesson numbered `number` in the menu (1-based).
    public func lesson(number: Int) -> Lesson? {
        lessons.indices.contains(number - 1) ? lessons[number - 1] : nil
    }

    /// Resolves `LESSON` or `LESSON:STEP`, where LESSON is an id or a
    /// 1-based number and STEP is 1-based.
    ///
    /// - Returns: the lesson and the 0-based step index (nil when the
    ///   reference names no step).
    public func resolve(_ reference: String) throws(ReferenceError) -> (lesson: Lesson, step: Int?) {
        let parts = reference.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw ReferenceError("no lesson given in `\(excerpt(reference))`; write LESSON or LESSON:STEP") }
        let lesson: Lesson
        if let n = Int(name) {
            guard let l = self.lesson(number: n) else {
                throw ReferenceError(lessons.isEmpty ? "lesson \(n) not found; there are no lessons"
                    : "lesson \(n) out of range 1…\(lessons.count)")
            }
            lesson = l
        } else {
            guard let l = self.lesson(id: name) else {
                var message = "lesson `\(excerpt(name))` not found; lessons are: \(lessons.map(\.id).joined(separator: ", "))"
                if lessons.isEmpty { message = "lesson `\(excerpt(name))` not found; there are no lessons" }
                let ids = lessons.map(\.id)
                if let near = Suggestion.closest(to: name, among: ids)
                    ?? ids.first(where: { $0.hasPrefix(name) || name.hasPrefix($0) }) { message += " (did you mean `\(near)`?)" }
                throw ReferenceError(message)
            }
            lesson = l
        }
        guard parts.count == 2 else { return (lesson, nil) }
        let stepText = parts[1].trimmingCharacters(in: .whitespaces)
        guard let step = Int(stepText) else {
            throw ReferenceError("step `\(excerpt(stepText))` is not a number; write \(lesson.id):1")
        }
        guard step >= 1 && step <= lesson.steps.count else {
            throw ReferenceError("step \(step) out of range 1…\(lesson.steps.count) in lesson `\(lesson.id)`")
        }
        return (lesson, step - 1)
    }

    /// Why a `LESSON[:STEP]` reference did not resolve, said for the command line.
    public struct ReferenceError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }
}
