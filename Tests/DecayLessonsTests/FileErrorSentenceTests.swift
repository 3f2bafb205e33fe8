import Foundation
import Testing
import DecayEngine
@testable import DecayLessons

/// A folder the tutor writes into that cannot be used gets one sentence
/// naming the path and what to do — never Foundation's error dump
/// (`Error Domain=NSCocoaErrorDomain Code=516 …`).
@Suite struct FileErrorSentenceTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("file-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    enum Obstacle: String, CaseIterable { case danglingLink, fileInPlace, parentIsAFile }

    /// Puts the obstacle where `state/decay-tutor/pretrain` goes.
    static func place(_ obstacle: Obstacle, in state: URL) throws -> (cache: URL, named: String, advice: String) {
        let tutor = state.appendingPathComponent("decay-tutor")
        let cache = tutor.appendingPathComponent("pretrain")
        switch obstacle {
        case .danglingLink:
            try FileManager.default.createDirectory(at: tutor, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: cache.path, withDestinationPath: state.appendingPathComponent("gone").path)
            return (cache, cache.path, "symbolic link to a folder that does not exist")
        case .fileInPlace:
            try FileManager.default.createDirectory(at: tutor, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: cache)
            return (cache, cache.path, "is a file, not a folder")
        case .parentIsAFile:
            try Data("x".utf8).write(to: tutor)
            return (cache, tutor.path, "is a file, not a folder")
        }
    }

    @Test(arguments: Obstacle.allCases)
    func thePretrainingCacheSaysWhatIsInTheWay(obstacle: Obstacle) throws {
        let state = try Self.folder()
        defer { try? FileManager.default.removeItem(at: state) }
        let (cache, named, advice) = try Self.place(obstacle, in: state)
        let file = PretrainCache(directory: cache, key: "k")
        #expect(throws: (any Error).self) { try file.write(key: "k", values: [1, 2]) }
        do {
            try file.write(key: "k", values: [1, 2])
        } catch {
            let text = "\(error)"
            #expect(text.contains(named) && text.contains(advice), "\(text)")
            #expect(!text.contains("Domain="), "\(text)")
        }
        // Reading finds nothing cached rather than a second complaint.
        #expect(obstacle == .danglingLink || (try? file.read(key: "k", count: 2)) == .some(nil))
    }

    @Test func resettingProgressUnderAFileSaysTheFolderIsAFile() throws {
        let state = try Self.folder()
        defer { try? FileManager.default.removeItem(at: state) }
        let tutor = state.appendingPathComponent("decay-tutor")
        try Data("x".utf8).write(to: tutor)
        let store = ProgressStore(url: tutor.appendingPathComponent("progress.json"))
        #expect {
            _ = try store.reset()
        } throws: { error in
            let text = "\(error)"
            return text.contains(tutor.path) && text.contains("is a file, not a folder") && !text.contains("Domain=")
        }
        #expect(throws: (any Error).self) { try store.save(LearnerProgress()) }
    }
}
