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

        @Flag(help: "Also time the MLP and LoRA steps in PyTorch (python3 with torch; peft if installed) and report the engine's lead.")
        var pytorch = false

        @Option(help: "The Python interpreter for --pytorch.")
        var python = "python3"

        func run() throws {
            #if DEBUG
            ErrorOutput.line("warning: this is a debug build; figures are not representative (use -c release)")
            #endif
            let suite = BenchmarkSuite(quick: quick, only: only, lessons: .builtin,
                                       pytorch: pytorch ? PyTorchBench(python: python) : nil)
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
