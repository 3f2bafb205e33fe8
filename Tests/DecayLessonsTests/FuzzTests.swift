import Testing
import SeededRandom
import Foundation
@testable import DecayLessons

/// Mutates every shipped lesson thousands of times (seeded, so a failure
/// reproduces) and runs the parser and validator on each: no trap, no hang,
/// and either a lesson or errors that point inside the file.
@Suite struct FuzzTests {
    /// SplitMix64: tiny, seedable, good enough to pick mutations.
    typealias Random = SplitMix64

    static let tokens: [String] = [
        "lambda = ", "lr = ", "[run \"x\"]\n", "[choice \"y\"]\n", "```experiment\n", "```goal\n", "```sweep\n", "```\n",
        "## ", "---\n", "[", "]", "(", ")", "\"", "\\", "=", ",", "#", "normal(", "1e309", "-1", "0", "nan", "true",
        "optimizer = adamw\n", "decay = l2\n", "model = embedding\n", "data = tokens\n", "kind = question\n",
        "correct = true\n", "charts = [fit]\n", "\u{0}", "\u{1B}", "\r", "\t", "λ", "\u{202E}", "\n",
    ]

    static func mutate(_ input: [UInt8], _ rng: inout Random) -> [UInt8] {
        var b = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let lines = b.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0 where !b.isEmpty:
                b[Int.random(in: 0..<b.count, using: &rng)] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1 where !b.isEmpty:
                let start = Int.random(in: 0..<b.count, using: &rng)
                b.removeSubrange(start..<min(b.count, start + Int.random(in: 1...64, using: &rng)))
            case 2 where !lines.isEmpty:
                var l = lines
                let i = Int.random(in: 0..<l.count, using: &rng)
                l.insert(l[i], at: Int.random(in: 0...l.count, using: &rng))
                b = Array(l.joined(separator: [0x0A]))
            case 3 where !lines.isEmpty:
                var l = lines
                l.remove(at: Int.random(in: 0..<l.count, using: &rng))
                b = Array(l.joined(separator: [0x0A]))
            case 4:
                b = Array(b.prefix(Int.random(in: 0...b.count, using: &rng)))
            default:
                let token = Array(tokens.randomElement(using: &rng)!.utf8)
                b.insert(contentsOf: token, at: Int.random(in: 0...b.count, using: &rng))
            }
        }
        return b
    }

    @Test func mutatedLessonsNeverCrashOrHang() throws {
        let files = shippedLessonFiles()
        try #require(!files.isEmpty)
        let perFile = max(5000 / files.count + 1, 1000)
        var rng = Random(seed: 0xDECA_7)
        var accepted = 0, rejected = 0
        var slowest: Duration = .zero
        for file in files {
            let original = [UInt8](try #require(FileManager.default.contents(atPath: file)))
            for n in 0..<perFile {
                let bytes = Self.mutate(original, &rng)
                let lineCount = max(1, bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count)
                let start = ContinuousClock.now
                let result = LessonParser.parse(bytes, path: file)
                let elapsed = ContinuousClock.now - start
                slowest = max(slowest, elapsed)
                #expect(elapsed < .milliseconds(500), "case \(n) of \(file) took \(elapsed)")
                switch result {
                case let .success(lesson):
                    accepted += 1
                    #expect(!lesson.steps.isEmpty)
                case let .failure(e):
                    rejected += 1
                    #expect(!e.errors.isEmpty)
                    for error in e.errors where !(1...lineCount).contains(error.line) {
                        Issue.record("case \(n): error outside the file (\(lineCount) lines): \(error)")
                    }
                }
            }
        }
        #expect(accepted + rejected >= 5000)
        #expect(rejected > accepted, "most mutations break the file")
        print("fuzz: \(accepted) accepted, \(rejected) rejected, slowest \(slowest)")
    }
}
