/// A lesson file compiled into the binary from the repository's `Lessons`
/// folder at build time (see Plugins/EmbedLessons), so `decay-tutor` runs
/// from any folder. `--lessons DIR` reads a folder instead.
public struct BuiltinLessonFile: Sendable, Equatable {
    /// The file's name in `Lessons/`, e.g. `01-overfitting.md`.
    public let name: String
    /// The file's text, byte for byte.
    public let text: String

    /// Every built-in lesson file, ordered by name (README.md excluded).
    public static var all: [BuiltinLessonFile] { generated }

    /// How errors and `Lesson.file` name a built-in file: the repository path.
    public var path: String { "Lessons/" + name }
}
