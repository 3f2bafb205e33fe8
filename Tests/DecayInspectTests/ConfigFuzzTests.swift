import Foundation
import Testing
@testable import DecayInspect

/// Fuzzing the config formats: 2,000+ cases each from the committed
/// configs (TrainingArguments, TRL dumps and HfArgumentParser files;
/// Axolotl configs with adapters, packing, streaming, RL and Axolotl's own
/// schedules; PEFT adapter_config.json) — truncated, mutated, deeply
/// nested, wrong types, huge numbers, unknown keys — and the special files.
/// Each must load or fail with a located error; those that load go on
/// through the step arithmetic, the schedule, the run kind and verdict and
/// (every tenth) the text and JSON reports.
@Suite struct ConfigFuzzTests {
    static let casesPerFormat = 2_000

    /// Loads a config the way the command does, to the end of the report.
    static func load(_ path: String, examples: Int?, render: Bool, tokens: Int? = nil) throws {
        let report = try InspectReport.make(InspectReport.Request(configPath: path, examples: examples, tokens: tokens))
        if render {
            _ = report.json()
            _ = TextReport(report: report, width: 60, glyphs: .ascii).lines()
        }
    }

    @Test func trainingArgumentsJSON() throws {
        let seeds = Fixtures.names(in: "configs").filter { $0.hasSuffix(".json") }
            .map { Array(FileManager.default.contents(atPath: Fixtures.path("configs/\($0)"))!) }
        let keys = ["learning_rate", "weight_decay", "num_train_epochs", "max_steps", "per_device_train_batch_size",
                    "gradient_accumulation_steps", "warmup_steps", "warmup_ratio", "lr_scheduler_type", "lr_scheduler_kwargs",
                    "optim", "dataloader_drop_last", "per_gpu_train_batch_size", "optim_args", "num_generations",
                    "generation_batch_size", "steps_per_generation", "num_iterations", "packing", "use_peft", "lora_r",
                    "lora_alpha", "lora_target_modules", "model_name_or_path", "model_type", "beta"]
        try fuzz(format: "TrainingArguments JSON", seeds: seeds, ext: "json", seed: 11) { f in
            var text = String(decoding: f.pick(seeds), as: UTF8.self)
            let key = f.pick(keys)
            let value = f.pick(Fuzzer.hostileJSONValues)
            if let r = text.range(of: "\"\(key)\": ") {
                let end = text[r.upperBound...].firstIndex(where: { $0 == "\n" }) ?? text.endIndex
                let comma = text[r.upperBound..<end].hasSuffix(",") ? "," : ""
                text.replaceSubrange(r.upperBound..<end, with: value + comma)
            } else {
                text = text.replacingOccurrences(of: "{\n", with: "{\n  \"\(key)\": \(value),\n")
            }
            if f.int(0...9) == 0 { text = text.replacingOccurrences(of: "\"\(key)\"", with: "\"\(key)x\"") }
            return ("wrong type or huge number", Array(text.utf8))
        }
    }

    @Test func axolotlYAML() throws {
        let seeds = Fixtures.names(in: "configs").filter { $0.hasSuffix(".yml") }
            .map { Array(FileManager.default.contents(atPath: Fixtures.path("configs/\($0)"))!) }
        let keys = ["learning_rate", "weight_decay", "num_epochs", "max_steps", "micro_batch_size", "batch_size",
                    "gradient_accumulation_steps", "warmup_steps", "warmup_ratio", "lr_scheduler", "lr_scheduler_kwargs",
                    "optimizer", "sample_packing", "cosine_min_lr_ratio", "cosine_constant_lr_ratio", "lr_quadratic_warmup",
                    "jagged_restart_steps", "val_set_size", "sample_packing_eff_est", "total_num_tokens", "sequence_len",
                    "streaming", "pretraining_dataset", "rl", "trl", "adapter", "lora_r", "lora_alpha", "lora_target_modules",
                    "lora_target_linear", "lora_modules_to_save", "peft_use_dora", "plugins", "reinit_weights", "optim_args"]
        try fuzz(format: "Axolotl YAML", seeds: seeds, ext: "yml", seed: 12) { f in
            var lines = String(decoding: f.pick(seeds), as: UTF8.self).split(separator: "\n").map(String.init)
            let key = f.pick(keys)
            let value = f.pick(Fuzzer.hostileYAMLValues)
            if let i = lines.firstIndex(where: { $0.hasPrefix(key + ":") }) {
                lines[i] = "\(key): \(value)"
            } else {
                lines.insert("\(key): \(value)", at: f.int(0...lines.count))
            }
            if f.int(0...9) == 0 { lines.append(lines[f.int(0...lines.count - 1)]) }   // a duplicate key
            return ("wrong type or huge number", Array(lines.joined(separator: "\n").utf8))
        }
    }

    /// Half generic mutations, half `structured` ones, then special files.
    func fuzz(format: String, seeds: [UInt8Array], ext: String, seed: UInt64,
              structured: (inout Fuzzer) -> (String, [UInt8])) throws {
        #expect(!seeds.isEmpty)
        let scratch = try ScratchFolder()
        var f = Fuzzer(seed: seed)
        let start = ContinuousClock.now
        for i in 0..<Self.casesPerFormat {
            let (category, bytes) = i % 2 == 0 ? f.mutate(f.pick(seeds)) : structured(&f)
            let path = scratch.write("case\(i).\(ext)", bytes)
            let examples: Int? = f.pick([nil, 1, 9, 1000, 123_457])
            let tokens: Int? = f.pick([nil, 1, 5_000_000])
            f.run(category, path: path) { try Self.load($0, examples: examples, render: i % 10 == 1, tokens: tokens) }
            try? FileManager.default.removeItem(atPath: path)
        }
        f.specialFiles(in: scratch, named: "config.\(ext)") { try Self.load($0, examples: 100, render: false) }
        print(f.report(format, seconds: seconds(since: start)))
        #expect(f.total >= 2_000)
        #expect(f.rejected > 0 && f.accepted > 0)
    }

    /// PEFT adapter folders: adapter_config.json mutated beside the
    /// committed adapter's weights, read as `--model` reads them.
    @Test func peftAdapterConfig() throws {
        let source = Fixtures.path("adapters/llama-lora")
        let seed = Array(FileManager.default.contents(atPath: source + "/adapter_config.json")!)
        let weights = FileManager.default.contents(atPath: source + "/adapter_model.safetensors")!
        let scratch = try ScratchFolder()
        var f = Fuzzer(seed: 13)
        let values = ["-1", "0", "1e308", "\"eight\"", "null", "[\"q_proj\", 7]", "\".*\"", "\"(\"", "true", "{}"]
        let keys = ["r", "lora_alpha", "target_modules", "modules_to_save", "use_dora", "use_rslora", "peft_type", "rank_pattern"]
        for i in 0..<400 {
            var text = String(decoding: seed, as: UTF8.self)
            if i % 2 == 0 {
                text = String(decoding: f.mutate(seed).1, as: UTF8.self)
            } else if let r = text.range(of: "\"\(f.pick(keys))\": ") {
                let end = text[r.upperBound...].firstIndex(where: { $0 == "\n" }) ?? text.endIndex
                let comma = text[r.upperBound..<end].hasSuffix(",") ? "," : ""
                text.replaceSubrange(r.upperBound..<end, with: f.pick(values) + comma)
            }
            let folder = scratch.path("adapter\(i)")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: folder + "/adapter_config.json", contents: Data(text.utf8))
            FileManager.default.createFile(atPath: folder + "/adapter_model.safetensors", contents: weights)
            f.run("adapter_config.json", path: folder) { path in
                let report = try InspectReport.make(InspectReport.Request(modelPaths: [path, Fixtures.path("models/llama")]))
                _ = report.json()
                _ = TextReport(report: report, width: 60, glyphs: .ascii).lines()
            }
        }
        #expect(f.total >= 400)
        #expect(f.rejected > 0 && f.accepted > 0)
    }
}

typealias UInt8Array = [UInt8]
