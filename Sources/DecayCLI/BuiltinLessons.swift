import DecayBuiltinLessons
import DecayLessons

extension LessonLibrary {
    /// The lessons compiled into the binary from the repository's Lessons/*.md.
    static var builtin: LessonLibrary {
        load(files: BuiltinLessonFile.all.map { ($0.path, Array($0.text.utf8)) })
    }
}
