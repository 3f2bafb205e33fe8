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
                Trainer's rule and the ≥2-D rule decay it. A PEFT adapter folder \
                (adapter_config.json + adapter_model.safetensors) lists what the adapter \
                trains; give --model twice for the base checkpoint and the adapter.

                --config reads an Axolotl .yml, or a .json of TrainingArguments, a TRL config \
                (SFTConfig, DPOConfig, GRPOConfig, …) or an HfArgumentParser script's \
                arguments, and follows that tool's own step and warm-up arithmetic and \
                schedule to give the total shrink Π(1 − lr_t·λ), the timescale τ = 1/(lr·λ), \
                the adapter's parameter counts (with the base checkpoint), and a verdict that \
                fits the run: from scratch, a full fine-tune, or adapters (inferred from the \
                config; --from-scratch, --full or --adapter decide instead). Keys the tool \
                would ignore or refuse are listed as notes.

                Exit status: 0 on success, 64 for a usage mistake (including a step count \
                that needs --examples), 65 for a file whose content is wrong, 66 for a file \
                that cannot be read, 74 when the output cannot be written.
                """)

        @Option(name: .customLong("model"), help: ArgumentHelp("A .safetensors file, a model.safetensors.index.json, a folder holding one, or a PEFT adapter folder (twice: base and adapter).", valueName: "PATH"))
        var model: [String] = []

        @Option(name: .customLong("config"), help: ArgumentHelp("An Axolotl .yml/.yaml, or a TrainingArguments, TRL or HfArgumentParser .json file.", valueName: "FILE"))
        var config: String?

        @Option(help: ArgumentHelp("The number of training examples (before Axolotl's val_set_size), when the config does not fix the step count.", valueName: "N"))
        var examples: Int?

        @Option(help: ArgumentHelp("The training set's tokens, for Axolotl's sample-packing step count (its total_num_tokens).", valueName: "N"))
        var tokens: Int?

        @Flag(name: .customLong("from-scratch"), help: "The run starts from random weights (the τ guideline applies).") var fromScratch = false
        @Flag(name: .customLong("full"), help: "The run fine-tunes every weight of a pretrained model.") var full = false
        @Flag(name: .customLong("adapter"), help: "The run trains adapters on a frozen pretrained model.") var adapterRun = false

        @Flag(help: "Print one JSON object: tensors, params, schedule, adapter, run_kind, verdict, notes.") var json = false
        @Flag(help: "Draw charts with plain ASCII characters.") var ascii = false

        func validate() throws {
            if model.isEmpty && config == nil { throw ValidationError("give --model PATH, --config FILE, or both") }
            if model.count > 2 { throw ValidationError("give --model at most twice: a base checkpoint and a PEFT adapter folder") }
            if let examples, examples < 1 { throw ValidationError("--examples must be at least 1") }
            if let tokens, tokens < 1 { throw ValidationError("--tokens must be at least 1") }
            if [fromScratch, full, adapterRun].filter({ $0 }).count > 1 {
                throw ValidationError("give at most one of --from-scratch, --full and --adapter")
            }
        }

        var runKind: RunKind? {
            if fromScratch { return .fromScratch }
            if full { return .fullFineTune }
            if adapterRun { return .adapter }
            return nil
        }

        func run() throws {
            let report: InspectReport
            do {
                report = try InspectReport.make(InspectReport.Request(modelPaths: model, configPath: config, examples: examples,
                                                                      tokens: tokens, runKind: runKind))
            } catch let error as InspectError {
                ErrorOutput.line(error.description)
                throw ExitCode(error.kind.rawValue)
            }
            // Written in pieces as it is made: a checkpoint of 200,000
            // tensors is a table as long, never held whole.
            var output = OutputChunks()
            if json {
                try report.writeJSON { (text: String) throws(OutputFailure) in try output.append(text) }
            } else {
                let glyphs: Glyphs = ascii || !TextOutput.localeIsUTF8() ? .ascii : .unicode
                try TextReport(report: report, width: TextOutput.width(), glyphs: glyphs).write { (line: String) throws(OutputFailure) in try output.line(line) }
            }
            try output.flush()
        }
    }
}
