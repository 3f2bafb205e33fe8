import Foundation
import Testing
import BuildMode
import DecayEngine
import DecayLessons
import SeededRandom
#if canImport(Glibc)
import Glibc
#endif

let estimateBoundOptimizedOnly = "trains generated lessons in child processes: seconds optimized, minutes at -Onone; "
    + "run swift test -c release --filter ResourceEstimateBoundTests"

/// The resource estimate is an upper bound: for lessons generated across
/// every term it counts (seeds, data, layer buffers, token models,
/// LayerNorm and dropout, pretraining), the peak memory of `run` in a child
/// process stays below the estimate plus a fixed base — the program itself,
/// measured on a lesson too small to matter.
///
/// Optimized builds only: the same lessons take minutes of a debug
/// engine's time and seconds of an optimized one's.
@Suite(.serialized, .optimizedOnly(Comment(rawValue: estimateBoundOptimizedOnly)))
struct ResourceEstimateBoundTests {
    /// What the program holds besides any experiment's buffers beyond the
    /// trivial lesson's own peak: malloc's arenas and slack, thread stacks.
    static let slack = 24 << 20

    struct Generated {
        var name: String
        var experiment: String
    }

    /// One lesson per emphasis, its sizes drawn from `rng` within ranges
    /// that keep each run's two training steps under a second (optimized).
    static func lessons(_ rng: inout SplitMix64) -> [Generated] {
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(rng.next() % UInt64(r.count)) }
        func optimizer() -> String { pick(["sgd\nmomentum = 0.9", "adam", "adamw", "lion\nlr = 0.0001"]) }
        func runs(_ n: Int) -> String {
            // The first run follows the λ control; the others set their own.
            (0..<n).map { "[run \"r\($0)\"]" + ($0 == 0 ? "" : "\nlambda = \(pick(["0", "0.01", "0.1"]))") }.joined(separator: "\n")
        }
        var out: [Generated] = []
        let w = int(256...448)
        out.append(Generated(name: "seeds", experiment: """
            data = \(pick(["moons", "spirals"]))
            train = \(int(20...80))
            val = \(int(10...40))
            model = mlp
            hidden = [\(w), \(w)]
            optimizer = \(optimizer())
            batch = \(int(1...8))
            seeds = \(int(10...16))
            \(runs(int(2...3)))
            """))
        out.append(Generated(name: "data", experiment: """
            data = linreg
            train = \(int(4000...8000))
            val = \(int(500...2000))
            inputs = \(int(600...1200))
            model = linear
            optimizer = \(optimizer())
            batch = \(int(16...64))
            """))
        out.append(Generated(name: "tokens", experiment: """
            data = tokens
            train = \(int(3000...6000))
            val = \(int(500...1500))
            vocab = \(int(2000...20000))
            seq_len = \(int(32...64))
            model = embedding
            embedding_dim = \(int(64...128))
            hidden = [\(int(32...64))]
            layernorm = \(pick(["true", "false"]))
            optimizer = \(optimizer())
            batch = 32
            seeds = \(int(2...4))
            """))
        out.append(Generated(name: "layers", experiment: """
            data = moons
            train = \(int(3000...6000))
            val = \(int(500...1000))
            model = mlp
            hidden = [\(int(96...160)), \(int(96...160)), \(int(96...160))]
            layernorm = true
            dropout = \(pick(["0.1", "0.3"]))
            optimizer = \(optimizer())
            batch = 32
            controls = [lambda, dropout]
            seeds = 2
            """))
        out.append(Generated(name: "pretraining", experiment: """
            data = linreg
            train = \(int(100...300))
            val = \(int(50...100))
            inputs = \(int(300...500))
            model = mlp
            hidden = [\(int(32...64))]
            optimizer = adamw
            decay_to = \(pick(["init", "zero"]))
            seeds = \(int(2...4))
            pretrain.train = \(int(12000...20000))
            pretrain.steps = 1
            pretrain.batch = \(pick(["full", "64"]))
            """))
        out.append(Generated(name: "polynomial", experiment: """
            data = polynomial
            train = 20000
            val = 20000
            degree = \(int(20...30))
            model = linear
            optimizer = \(optimizer())
            seeds = 16
            \(runs(3))
            """))
        return out
    }

    static func write(_ lessons: [Generated], into dir: URL) throws {
        for (i, lesson) in lessons.enumerated() {
            let text = "---\nid: \(lesson.name)\ntitle: \(lesson.name)\n---\n\n## Step\n\n```experiment\nsteps = 2\n\(lesson.experiment)\n```\n"
            try Data(text.utf8).write(to: dir.appendingPathComponent(String(format: "%02d-%@.md", i + 1, lesson.name)))
        }
    }

    @Test func peakMemoryOfRunStaysBelowTheEstimatePlusAFixedBase() throws {
        var rng = SplitMix64(seed: 2204)
        let generated = Self.lessons(&rng)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estimate-bound-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.write([Generated(name: "trivial", experiment: "data = moons\ntrain = 10\nval = 10\nmodel = linear\noptimizer = sgd")] + generated, into: dir)
        let library = LessonLibrary.load(directory: dir.path)
        #expect(library.errors.isEmpty, "\(library.errors)")
        let state = dir.appendingPathComponent("state")
        func peak(_ id: String) throws -> Int {
            let r = try ChildPeakMemory.run(["run", "\(id):1", "--lessons", dir.path, "--format", "table"], environment: ["XDG_STATE_HOME": state.path])
            #expect(r.status == 0, "\(id): \(r.stderr)")
            return r.peakBytes
        }
        let trivial = try peak("trivial")
        let base = trivial + Self.slack
        var table = ["lesson        estimate MB   measured MB above the trivial run"]
        for lesson in library.lessons where lesson.id != "trivial" {
            let spec = lesson.steps[0].spec
            let estimate = ResourceEstimate(spec: spec, historyCapacity: spec.steps + 1).totalBytes
            let measured = try peak(lesson.id)
            table.append(lesson.id.padding(toLength: 12, withPad: " ", startingAt: 0)
                + String(format: "  %11.1f   %11.1f", Double(estimate) / 1048576, Double(measured - base + Self.slack) / 1048576))
            #expect(measured <= estimate + base, "\(lesson.id): peak \(measured >> 20) MB over estimate \(estimate >> 20) MB + base \(base >> 20) MB")
        }
        print(table.joined(separator: "\n") + "\n(the trivial lesson's own peak: \(trivial >> 20) MB; base = that + \(Self.slack >> 20) MB)")
    }
}
