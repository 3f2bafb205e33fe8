import Foundation
import Testing
import DecayBuiltinLessons
@testable import DecayLessons

/// The lessons compiled into the binary are exactly the repository's
/// Lessons/*.md: same names, same order, same bytes. A lesson edited, added
/// or removed without a rebuild fails here.
@Suite struct BuiltinLessonsTests {
    @Test func builtinLessonsAreTheLessonFilesByteForByte() throws {
        let files = shippedLessonFiles()
        #expect(!files.isEmpty)
        #expect(BuiltinLessonFile.all.map(\.name) == files.map { ($0 as NSString).lastPathComponent })
        for (builtin, path) in zip(BuiltinLessonFile.all, files) {
            let onDisk = try #require(FileManager.default.contents(atPath: path))
            #expect(Array(builtin.text.utf8) == [UInt8](onDisk), "\(builtin.name) differs from \(path)")
        }
    }

    @Test func builtinLibraryParsesLikeTheFolder() {
        let builtin = LessonLibrary.load(files: BuiltinLessonFile.all.map { ($0.path, Array($0.text.utf8)) })
        let folder = LessonLibrary.load(directory: lessonsDirectory)
        #expect(builtin.errors.isEmpty, "\(builtin.errors.map(\.description))")
        #expect(builtin.lessons.map(\.id) == folder.lessons.map(\.id))
        #expect(builtin.lessons.map(\.steps.count) == folder.lessons.map(\.steps.count))
        #expect(builtin.lessons.first?.file == "Lessons/01-overfitting.md")
    }

    @Test func filesAreParsedInTheGivenOrderAndUnreadableOnesReported() throws {
        let files = BuiltinLessonFile.all.prefix(2).reversed().map { ($0.path, Optional(Array($0.text.utf8))) }
        let library = LessonLibrary.load(files: [("x/03.md", nil)] + files)
        #expect(library.errors.map(\.path) == ["x/03.md"])
        #expect(library.errors.first?.message == "cannot read the file")
        #expect(library.lessons.map(\.file) == files.map(\.0))
    }
}
