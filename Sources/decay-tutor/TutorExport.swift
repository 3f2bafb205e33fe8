import DecayEngine
import DecayTUI
import Foundation

/// The tutor's `x` key: the open step, with the learner's settings, written
/// as `experiment.json` and `reproduce.py` into a new folder under the
/// current directory (`overfitting-2`, then `overfitting-2-2`, …), through
/// the same writer as `decay-tutor export`.
enum TutorExport {
    @Sendable static func write(_ request: App.StepExport) throws -> String {
        let experiment = Experiment(spec: request.spec)
        experiment.advance(steps: request.spec.steps)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let json = try encoder.encode(ExperimentFile(experiment: experiment))
        let cwd = FileManager.default.currentDirectoryPath
        let base = "\(request.lessonID)-\(request.stepNumber)"
        var name = base
        var n = 1
        while FileManager.default.fileExists(atPath: cwd + "/" + name) {
            n += 1
            name = "\(base)-\(n)"
        }
        let writer = ExportWriter(directory: URL(fileURLWithPath: cwd).appendingPathComponent(name), force: false)
        _ = try writer.write([("experiment.json", json), ("reproduce.py", Data(ReproduceScript.source.utf8))])
        return "Wrote \(name)/experiment.json and reproduce.py; run: python3 \(name)/reproduce.py"
    }
}
