import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import DecayLessons

@Suite struct ProgressStoreTests {
    static let helperVariable = "DECAY_TUTOR_PROGRESS_HELPER"

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func defaultLocationFollowsXDG() {
        #expect(ProgressStore.defaultURL(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]).path == "/s/decay-tutor/progress.json")
        #expect(ProgressStore.defaultURL(environment: ["HOME": "/h"]).path == "/h/.local/state/decay-tutor/progress.json")
        #expect(ProgressStore.defaultURL(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"]).path
            == "/h/.local/state/decay-tutor/progress.json")
    }

    @Test func roundTripCreatesTheDirectory() throws {
        let dir = try temporaryDirectory()
        let store = ProgressStore(url: dir.appendingPathComponent("a/b/progress.json"))
        let (empty, warnings) = store.load()
        #expect(empty == LearnerProgress() && warnings.isEmpty)
        var p = LearnerProgress()
        p.finish(lesson: "overfitting", step: 1)
        p.answer(lesson: "overfitting", step: 4)
        p.last = .init(lesson: "overfitting", step: 2)
        try store.save(p)
        let (loaded, w2) = store.load()
        #expect(loaded == p && w2.isEmpty)
        #expect(loaded.isFinished(lesson: "overfitting", step: 1) && !loaded.isFinished(lesson: "overfitting", step: 2))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("a/b").path)
        #expect(Set(leftovers) == ["progress.json", "progress.json.lock"])
    }

    @Test(arguments: ["not json at all", "{\"foo\": 1}", "{\"format\":\"decay-tutor progress\",\"version\":0,\"lessons\":{}}", "\u{0}\u{1}\u{2}"])
    func corruptOrForeignFileIsMovedAsideNotOverwritten(content: String) throws {
        let dir = try temporaryDirectory()
        let url = dir.appendingPathComponent("progress.json")
        try Data(content.utf8).write(to: url)
        let store = ProgressStore(url: url)
        let (p, warnings) = store.load()
        #expect(p == LearnerProgress())
        #expect(warnings.count == 1 && warnings[0].message.contains("moved it to"))
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        let aside = try #require(names.first { $0.hasPrefix("progress.json.corrupt-") })
        #expect(try String(contentsOf: dir.appendingPathComponent(aside), encoding: .utf8) == content)
        #expect(!names.contains("progress.json"))

        var q = LearnerProgress()
        q.finish(lesson: "x", step: 1)
        let (saved, saveWarnings) = try store.save(q)
        #expect(saved.isFinished(lesson: "x", step: 1) && saveWarnings.isEmpty)
        #expect(store.load().progress == saved)
    }

    @Test func corruptFileFoundDuringSaveIsReported() throws {
        let dir = try temporaryDirectory()
        let url = dir.appendingPathComponent("progress.json")
        try Data("{".utf8).write(to: url)
        let (_, warnings) = try ProgressStore(url: url).save(LearnerProgress())
        #expect(warnings.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).contains { $0.hasPrefix("progress.json.corrupt-") })
    }

    @Test func mergeIsAUnion() {
        var a = LearnerProgress(), b = LearnerProgress()
        a.finish(lesson: "l", step: 1)
        a.last = .init(lesson: "l", step: 1)
        b.finish(lesson: "l", step: 2)
        b.answer(lesson: "m", step: 3)
        let m = a.merged(with: b)
        #expect(m.lessons["l"]?.finishedSteps == [1, 2] && m.lessons["m"]?.answeredGoals == [3])
        #expect(m.last == a.last)
        b.last = .init(lesson: "m", step: 3)
        #expect(a.merged(with: b).last == b.last)
    }

    /// A quiz's mistakes: recorded only for a question not yet answered
    /// right, merged by union, kept through validation, and absent (not an
    /// error) in a file written before they existed.
    @Test func mistakesAreKept() throws {
        var p = LearnerProgress()
        p.miss(lesson: "quiz", step: 3)
        p.answer(lesson: "quiz", step: 3)
        p.answer(lesson: "quiz", step: 4)
        p.miss(lesson: "quiz", step: 4)          // after a right answer: not a first-try mistake
        #expect(p.lessons["quiz"]?.missedGoals == [3])
        var other = LearnerProgress()
        other.miss(lesson: "quiz", step: 7)
        #expect(p.merged(with: other).lessons["quiz"]?.missedGoals == [3, 7])
        let data = try JSONEncoder().encode(p)
        #expect(try JSONDecoder().decode(LearnerProgress.self, from: data) == p)
        let old = #"{"format": "decay-tutor progress", "version": 1, "lessons": {"quiz": {"finishedSteps": [1], "answeredGoals": [1]}}}"#
        let decoded = try JSONDecoder().decode(LearnerProgress.self, from: Data(old.utf8))
        #expect(decoded.lessons["quiz"]?.missedGoals == [] && decoded.lessons["quiz"]?.finishedSteps == [1])
        var wild = LearnerProgress()
        wild.lessons["quiz"] = .init(finishedSteps: [1], answeredGoals: [1], missedGoals: [1, 99])
        let (valid, problems) = wild.valid(forLessons: ["quiz": 11])
        #expect(valid.lessons["quiz"]?.missedGoals == [1] && !problems.isEmpty)
    }

    /// Two tutors (two stores, two file descriptors, so `flock` really
    /// contends) each save only their newest step; the merge under the lock
    /// must keep every one.
    @Test func concurrentSavesLoseNothing() throws {
        let url = try temporaryDirectory().appendingPathComponent("progress.json")
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            let store = ProgressStore(url: url)
            for step in 1...25 {
                var p = LearnerProgress()
                p.finish(lesson: "lesson-\(worker)", step: step)
                p.last = .init(lesson: "lesson-\(worker)", step: step)
                do { try store.save(p) } catch { failures.withLock { $0 += 1 } }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let (p, warnings) = ProgressStore(url: url).load()
        #expect(warnings.isEmpty)
        for worker in 0..<4 { #expect(p.lessons["lesson-\(worker)"]?.finishedSteps == Set(1...25)) }
    }

    /// Runs only inside the child process of the kill test: saves forever.
    @Test func saveLoopHelper() throws {
        guard let path = ProcessInfo.processInfo.environment[Self.helperVariable] else { return }
        let store = ProgressStore(url: URL(fileURLWithPath: path))
        var p = LearnerProgress()
        // Enough lessons that a write takes more than one syscall's time.
        for l in 0..<300 { p.finish(lesson: "padding-lesson-\(l)", step: 1) }
        var step = 0
        while true {
            step += 1
            p.finish(lesson: "counter", step: step)
            try store.save(p)
        }
    }

    /// `kill -9` a process in the middle of saving, many times: the file is
    /// always the old or the new progress, never a torn one.
    @Test func killDuringSaveLeavesAWholeFile() throws {
        guard ProcessInfo.processInfo.environment[Self.helperVariable] == nil else { return }
        let dir = try temporaryDirectory()
        let url = dir.appendingPathComponent("progress.json")
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var previous = 0
        for round in 0..<6 {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: executable)
            child.arguments = ["--testing-library", "swift-testing", "--filter", "saveLoopHelper"]
            child.environment = ProcessInfo.processInfo.environment.merging([Self.helperVariable: url.path]) { $1 }
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            // Wait until this child has saved at least once, then a little more.
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if (ProgressStore(url: url).load().progress.lessons["counter"]?.finishedSteps.count ?? 0) > previous { break }
                usleep(2_000)
            }
            usleep(UInt32(1_000 + (round * 7_919) % 40_000))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal)

            let data = try #require(FileManager.default.contents(atPath: url.path))
            let p = try JSONDecoder().decode(LearnerProgress.self, from: data)
            let count = p.lessons["counter"]?.finishedSteps.count ?? 0
            #expect(count > previous, "round \(round): progress grew")
            #expect(p.lessons["counter"]?.finishedSteps == Set(1...max(count, 1)))
            #expect(p.lessons.count == 301)
            previous = count
        }
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: dir.path)).contains { $0.contains("corrupt") })
        // A save after the kills sweeps temporary files the killed writers left.
        try ProgressStore(url: url).save(LearnerProgress())
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)) == ["progress.json", "progress.json.lock"])
    }
}

/// A lock around a value, for the concurrency test's counters.
final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
