import ArgumentParser
import DecayBenchmarks
import DecayEngine
import DecayTUI
import Foundation

extension DecayTutor {
    /// `decay-tutor bench [--json] [--quick]`: the engine's performance figures.
    struct BenchCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Measure the training engine: update kernels, matrix products, training steps, bandwidth.",
            discussion: """
                Every figure is the median of repeated runs after a warm-up, with its spread \
                (min … max and the interquartile range). Build with -c release: a debug build \
                measures the unoptimized engine.
                """)

        @Flag(help: "Print JSON (medians as top-level keys, spread under \"details\").")
        var json = false

        @Flag(help: "Fewer repetitions and smaller arrays: a smoke test.")
        var quick = false

        @Option(name: .customLong("only"), help: "Run only benchmarks whose key contains this (repeatable).")
        var only: [String] = []

        @Flag(help: """
            Run PyTorch's versions of the training benchmarks beside the engine's, \
            alternating repetitions, and report PyTorch's steps/s and the lead (needs python3 with torch).
            """)
        var pytorch = false

        @Option(help: "The Python that runs PyTorch for --pytorch.")
        var python = "python3"

        @Option(help: "PyTorch's intra-op threads for --pytorch (the engine trains a run on one core).")
        var pytorchThreads = 1

        func run() throws {
            #if DEBUG
            ErrorOutput.line("warning: this is a debug build; figures are not representative (use -c release)")
            #endif
            try StandardOutput.write("")   // a closed stdout is said now, not after minutes of measuring
            var peer: PyTorchPeer?
            guard pytorchThreads >= 1 else {
                throw CommandFailure(message: "--pytorch-threads must be at least 1, not \(pytorchThreads)",
                                     status: ExitStatus.usage)
            }
            if pytorch {
                do {
                    peer = try PyTorchPeer(python: python, threads: pytorchThreads)
                } catch {
                    throw CommandFailure(message: "--pytorch: \(error)", status: ExitStatus.usage)
                }
            }
            let suite = BenchmarkSuite(quick: quick, only: only, lessons: .builtin, pytorch: peer)
            let report = suite.run { name in
                ErrorOutput.line("bench: \(name)…")
            }
            if report.measurements.isEmpty && !only.isEmpty {
                throw CommandFailure(message: "no benchmark key contains \(only.map { "`\($0)`" }.joined(separator: " or ")); "
                                     + "run `decay-tutor bench --quick` to see the keys", status: ExitStatus.usage)
            }
            try StandardOutput.line(json ? report.json : report.table)
        }
    }
}
