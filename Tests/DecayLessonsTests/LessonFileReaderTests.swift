import Testing
import Foundation
@testable import DecayLessons

/// A lessons folder is outside data: whatever sits in it is looked at
/// before it is read, and refused with a located message.
@Suite struct LessonFileReaderTests {
    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lesson-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let good = "---\nid: good\ntitle: Good\n---\n## S\n```experiment\n\(minimalExperiment)\n```\n"
        try Data(good.utf8).write(to: dir.appendingPathComponent("01-good.md"))
        return dir
    }

    @Test func aSparseFourGigabyteFileIsRefusedBySizeAndTheOthersLoad() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let huge = dir.appendingPathComponent("02-huge.md").path
        let fd = open(huge, O_WRONLY | O_CREAT, 0o644)
        #expect(ftruncate(fd, 4 << 30) == 0)   // sparse: no disk, and nothing to read
        close(fd)
        let library = LessonLibrary.load(directory: dir.path)
        #expect(library.lessons.map(\.id) == ["good"])
        let error = try #require(library.errors.first)
        #expect(error.path == huge && error.line == 1)
        #expect(error.message.contains("4294967296 bytes"), "\(error)")
        #expect(error.message.contains("not read"), "\(error)")
    }

    @Test func aFileOfExactlyTheLimitIsReadAndOneByteMoreIsNot() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.md").path
        FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x61, count: LessonFileReader.maximumBytes))
        #expect(try LessonFileReader.bytes(atPath: path).get().count == LessonFileReader.maximumBytes)
        FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x61, count: LessonFileReader.maximumBytes + 1))
        guard case let .failure(error) = LessonFileReader.bytes(atPath: path) else {
            Issue.record("a file over the limit was read")
            return
        }
        #expect(error.line == 1 && error.message.contains("\(LessonFileReader.maximumBytes + 1) bytes"))
    }

    /// A FIFO would block a plain read forever; it is refused for what it is.
    @Test(.timeLimit(.minutes(1)))
    func aFIFOIsRefusedNotWaitedOn() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(mkfifo(dir.appendingPathComponent("02-fifo.md").path, 0o600) == 0)
        let library = LessonLibrary.load(directory: dir.path)
        #expect(library.lessons.map(\.id) == ["good"])
        #expect(library.errors.first?.message.contains("a FIFO") == true, "\(library.errors)")
    }

    @Test func linksThatLeadNowhereSaySo() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let loop = dir.appendingPathComponent("02-loop.md").path
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("03-gone.md").path,
                                                   withDestinationPath: dir.appendingPathComponent("missing").path)
        let errors = LessonLibrary.load(directory: dir.path).errors
        #expect(errors.contains { $0.path.hasSuffix("02-loop.md") && $0.message.contains("loop") }, "\(errors)")
        #expect(errors.contains { $0.path.hasSuffix("03-gone.md") && $0.message.contains("no such file") }, "\(errors)")
        #expect(!errors.contains { $0.message == "cannot read the file" })
    }
}

/// The same in the program: `check` on a folder with a sparse 256 MB file
/// answers without reading it (its peak memory is that of a folder without it).
@Suite struct LessonFileSizeInProcessTests {
    @Test func checkRefusesAHugeLessonFileWithoutReadingIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lesson-size-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = "---\nid: good\ntitle: Good\n---\n## S\n```experiment\n\(minimalExperiment)\n```\n"
        try Data(good.utf8).write(to: dir.appendingPathComponent("01-good.md"))
        let small = try ChildPeakMemory.run(["check", dir.path])
        #expect(small.status == 0, "\(small.stderr)")
        let huge = dir.appendingPathComponent("02-huge.md").path
        let fd = open(huge, O_WRONLY | O_CREAT, 0o644)
        #expect(ftruncate(fd, 256 << 20) == 0)
        close(fd)
        for command in [["check", dir.path], ["list", "--lessons", dir.path]] {
            let r = try ChildPeakMemory.run(command, environment: ["XDG_STATE_HOME": dir.appendingPathComponent("state").path])
            #expect(r.stderr.contains("\(huge):1: error: the file is 268435456 bytes"), "\(command): \(r.stderr)")
            #expect(r.peakBytes < small.peakBytes + (32 << 20), "\(command): peak \(r.peakBytes >> 20) MB, \(small.peakBytes >> 20) MB without the file")
        }
    }
}
