import Foundation

/// PyTorch's figures for the same training steps, measured by
/// `bench_pytorch.py` (embedded in the binary) in a child `python3` during
/// the same `bench` invocation, so the engine's lead is a ratio taken under
/// one machine load rather than against a number from another day.
public struct PyTorchBench: Sendable {
    /// The Python interpreter to run (found on the PATH by `env`).
    public var python: String

    public init(python: String = "python3") { self.python = python }

    public static var script: String { String(decoding: PackageResources.bench_pytorch_py, as: UTF8.self) }

    /// What one workload measured.
    public struct Result: Sendable {
        public var samples: [Double]
        /// torch's version and how the LoRA adapter was built (peft or written out).
        public var description: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs one workload (`mlp` or `lora`): `reps` samples of `steps` steps each.
    public func measure(_ workload: String, reps: Int, steps: Int) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-", workload, "\(reps)", "\(steps)"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw Failure(description: "cannot run \(python): \(error)") }
        input.fileHandleForWriting.write(Data(Self.script.utf8))
        try? input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let last = String(decoding: err, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw Failure(description: "\(python) exited with status \(process.terminationStatus): \(last)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: out) as? [String: Any],
              let samples = object["steps_per_s"] as? [Double], !samples.isEmpty else {
            throw Failure(description: "\(python) printed no figures")
        }
        let torch = object["torch"] as? String ?? "?"
        let backend = object["backend"] as? String ?? "?"
        return Result(samples: samples, description: "torch \(torch), \(backend), 1 thread")
    }
}
