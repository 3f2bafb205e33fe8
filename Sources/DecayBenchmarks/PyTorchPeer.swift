import Foundation

/// PyTorch in a child process, running the bench's training workloads on
/// request (`bench --pytorch`), so that each repetition of the engine's
/// figure is followed by one of PyTorch's in the same run and the ratio is
/// taken pair by pair. The script (`pytorch_bench.py`, compiled into the
/// binary) starts once; its import, model building and warm-up are not timed.
public final class PyTorchPeer {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// What the script reports of itself: torch's version, its intra-op
    /// threads and the vector ISA its kernels dispatch to.
    public private(set) var info = ""

    private let process = Process()
    private let toChild = Pipe(), fromChild = Pipe()
    private var pending = Data()

    /// Starts `python -u -c <script>` (found on PATH), checks that it
    /// imports torch and sets its intra-op threads.
    public init(python: String = "python3", threads: Int = 1) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-u", "-c", String(decoding: PackageResources.pytorch_bench_py, as: UTF8.self)]
        process.standardInput = toChild
        process.standardOutput = fromChild
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start \(python): \(error.localizedDescription)")
        }
        guard request("threads \(threads)") == "threads \(threads)",
              let line = request("info"), line.hasPrefix("torch ") else {
            throw Failure(description: "\(python) could not import torch (pip install torch; "
                          + "the CPU build is enough)")
        }
        info = line
    }

    deinit {
        if process.isRunning {
            try? toChild.fileHandleForWriting.write(contentsOf: Data("quit\n".utf8))
            try? toChild.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    /// Seconds PyTorch took for `steps` steps of `workload` (`mlp`, `linreg`),
    /// nil if the child failed.
    public func seconds(_ workload: String, steps: Int) -> Double? {
        request("\(workload) \(steps)").flatMap(Double.init)
    }

    /// Sends one line and reads one line back. A child that has exited
    /// makes the write fail with EPIPE (SIGPIPE is ignored for the write,
    /// so it cannot end the tutor) and the request answer nil.
    private func request(_ line: String) -> String? {
        guard process.isRunning else { return nil }
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { _ = signal(SIGPIPE, previous) }
        do {
            try toChild.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
        } catch {
            return nil
        }
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let reply = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...newline)
                return reply
            }
            let chunk = fromChild.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }   // the child exited
            pending.append(chunk)
        }
    }
}
