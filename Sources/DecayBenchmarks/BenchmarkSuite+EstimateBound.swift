import Foundation
import DecayEngine
import DecayLessons
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The resource estimate against what a lesson really holds: a spread of
/// generated lessons, one per term the estimate counts (seeds, data, token
/// models, layer buffers, pretraining, many seeds of a large data set),
/// each run headless in a child process (`run ID:1`) whose peak resident
/// memory (`wait4`'s `ru_maxrss`) is compared with the estimate. The bound
/// `check` relies on: the peak above a trivial lesson's stays under the
/// estimate plus a fixed slack (malloc's arenas, thread stacks) — the same
/// bound ResourceEstimateBoundTests asserts on randomly drawn sizes.
extension BenchmarkSuite {
    static let estimateSlackBytes = 24 << 20

    static let estimateLessons: [(name: String, experiment: String)] = [
        ("trivial", "data = moons\ntrain = 10\nval = 10\nmodel = linear\noptimizer = sgd"),
        ("seeds", "data = moons\ntrain = 50\nval = 20\nmodel = mlp\nhidden = [384, 384]\noptimizer = adam\nbatch = 4\nseeds = 16\n"
            + "[run \"r0\"]\n[run \"r1\"]\nlambda = 0.01\n[run \"r2\"]\nlambda = 0.1"),
        ("data", "data = linreg\ntrain = 6000\nval = 1000\ninputs = 1000\nmodel = linear\noptimizer = adamw\nbatch = 32"),
        ("tokens", "data = tokens\ntrain = 4000\nval = 1000\nvocab = 20000\nseq_len = 64\nmodel = embedding\nembedding_dim = 128\n"
            + "hidden = [64]\nlayernorm = true\noptimizer = adamw\nbatch = 32\nseeds = 3"),
        ("layers", "data = moons\ntrain = 5000\nval = 800\nmodel = mlp\nhidden = [160, 160, 160]\nlayernorm = true\ndropout = 0.3\n"
            + "optimizer = adamw\nbatch = 32\ncontrols = [lambda, dropout]\nseeds = 2"),
        ("pretraining", "data = linreg\ntrain = 200\nval = 80\ninputs = 500\nmodel = mlp\nhidden = [64]\noptimizer = adamw\n"
            + "decay_to = init\nseeds = 3\npretrain.train = 20000\npretrain.steps = 1\npretrain.batch = full"),
        ("polynomial", "data = polynomial\ntrain = 20000\nval = 20000\ndegree = 30\nmodel = linear\noptimizer = adam\nseeds = 16\n"
            + "[run \"r0\"]\n[run \"r1\"]\nlambda = 0.01\n[run \"r2\"]\nlambda = 0.1"),
    ]

    /// One measurement per generated lesson: the margin (estimate + slack −
    /// peak above the trivial lesson's), in MB; the note gives both figures.
    func estimateBound() -> [Measurement] {
        guard let binary = Self.ownExecutable else { return [] }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("decay-bench-estimate-\(getpid())")
        guard (try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)) != nil else { return [] }
        defer { try? FileManager.default.removeItem(at: dir) }
        for (i, lesson) in Self.estimateLessons.enumerated() {
            let text = "---\nid: \(lesson.name)\ntitle: \(lesson.name)\n---\n\n## Step\n\n```experiment\nsteps = 2\n\(lesson.experiment)\n```\n"
            let file = dir.appendingPathComponent(String(format: "%02d-%@.md", i + 1, lesson.name))
            guard (try? Data(text.utf8).write(to: file)) != nil else { return [] }
        }
        let library = LessonLibrary.load(directory: dir.path)
        guard library.errors.isEmpty, let trivial = Self.childPeak(binary, lesson: "trivial", dir: dir) else { return [] }
        let mb = { (bytes: Int) in Double(bytes) / 1_048_576 }
        return library.lessons.filter { $0.id != "trivial" }.map { lesson in
            let spec = lesson.steps[0].spec
            let estimate = ResourceEstimate(spec: spec, historyCapacity: spec.steps + 1).totalBytes
            let peak = Self.childPeak(binary, lesson: lesson.id, dir: dir)
            let above = peak.map { $0 - trivial } ?? 0
            let note = String(format: "estimate %.1f MB, measured peak %.1f MB above the trivial lesson's %.1f MB",
                              mb(estimate), mb(above), mb(trivial))
            return Measurement(key: "estimate_margin_mb_\(lesson.id)", label: "estimate − peak, \(lesson.id)", unit: "MB",
                               higherIsBetter: true, samples: peak == nil ? [] : [mb(estimate + Self.estimateSlackBytes - above)],
                               note: note, target: 0)
        }
    }

    /// This program's own executable (the child runs the same build).
    static var ownExecutable: String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return n > 0 ? String(cString: buffer) : nil
    }

    /// `run LESSON:1` in a child with output discarded; its peak resident bytes.
    static func childPeak(_ binary: String, lesson: String, dir: URL) -> Int? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = dir.appendingPathComponent("state").path
        env["DECAY_TUTOR_LESSONS"] = nil
        let folder: String = dir.path
        let arguments: [String] = [binary, "run", "\(lesson):1", "--lessons", folder, "--format", "table"]
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, binary, &actions, nil, argv, envp) == 0 else { return nil }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        guard status == 0 else { return nil }
        return usage.ru_maxrss * 1024   // kilobytes on Linux
    }
}
