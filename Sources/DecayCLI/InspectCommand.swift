import ArgumentParser
import DecayInspect
import TerminalUI
import Foundation

extension DecayTutor {
    /// `decay-tutor inspect`: which tensors of a real checkpoint weight decay
    /// touches, and how much a real config's schedule shrinks them.
    struct InspectCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Show what weight decay will do to your model and your training config.",
            discussion: """
                --model reads a checkpoint's headers only (a .safetensors file, a sharded \
                checkpoint's model.safetensors.index.json, or a folder holding either and \
                perhaps config.json) and lists every tensor with whether the Hugging Face \
                Trainer's rule and the ≥2-D rule decay it.

                --config reads a Hugging Face TrainingArguments .json or an Axolotl .yml and \
                follows the Trainer's step arithmetic and transformers' schedule to give the \
                total shrink Π(1 − lr_t·λ), the timescale τ = 1/(lr·λ), and a verdict.

                Exit status: 0 on success, 64 for a usage mistake (including a step count \
                that needs --examples), 65 for a file whose content is wrong, 66 for a file \
                that cannot be read, 74 when the output cannot be written.
                """)

        @Option(name: .customLong("model"), help: ArgumentHelp("A .safetensors file, a model.safetensors.index.json, or a folder holding one.", valueName: "PATH"))
        var model: String?

        @Option(name: .customLong("config"), help: ArgumentHelp("A TrainingArguments .json or an Axolotl .yml/.yaml file.", valueName: "FILE"))
        var config: String?

        @Option(help: ArgumentHelp("The number of training examples, when the config does not fix the step count.", valueName: "N"))
        var examples: Int?

        @Flag(help: "Print one JSON object: tensors, params, schedule.") var json = false
        @Flag(help: "Draw charts with plain ASCII characters.") var ascii = false

        func validate() throws {
            if model == nil && config == nil { throw ValidationError("give --model PATH, --config FILE, or both") }
            if let examples, examples < 1 { throw ValidationError("--examples must be at least 1") }
        }

        func run() throws {
            let report: InspectReport
            do {
                report = try InspectReport.make(modelPath: model, configPath: config, examples: examples)
            } catch let error as InspectError {
                ErrorOutput.line(error.description)
                throw ExitCode(error.kind.rawValue)
            }
            let text: String
            if json {
                text = report.json()
            } else {
                let glyphs: Glyphs = ascii || !TextOutput.localeIsUTF8() ? .ascii : .unicode
                text = TextReport(report: report, width: TextOutput.width(), glyphs: glyphs).text
            }
            try StandardOutput.write(text)
        }
    }
}
