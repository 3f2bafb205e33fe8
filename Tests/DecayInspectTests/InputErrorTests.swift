import Foundation
import Testing
@testable import DecayInspect

/// Bad input: each gets a message naming the file (and the line, where
/// there is one), and the right kind for the exit status.
@Suite struct InputErrorTests {
    func error(_ body: () throws -> Void) -> InspectError? {
        do { try body() } catch let e as InspectError { return e } catch { Issue.record("\(error)") }
        return nil
    }

    @Test func safetensorsHeaderLengthBeyondTheFile() throws {
        let s = try ScratchFolder()
        var bytes = safetensorsBytes(header: "{}", dataBytes: 0)
        bytes[0] = 200
        let path = s.write("m.safetensors", bytes)
        let e = try #require(error { _ = try Checkpoint.load(path: path) })
        #expect(e.path == path)
        #expect(e.message.contains("200 bytes") && e.message.contains("only 2"))
        var huge = bytes
        for i in 0..<8 { huge[i] = 0xFF }
        #expect(error { _ = try Checkpoint.load(path: s.write("h.safetensors", huge)) }?.message.contains("100 MB") == true)
    }

    @Test func safetensorsHeaderNotJSONAndTruncatedData() throws {
        let s = try ScratchFolder()
        let notJSON = s.write("a.safetensors", safetensorsBytes(header: "{not json}", dataBytes: 0))
        let e = try #require(error { _ = try Checkpoint.load(path: notJSON) })
        #expect(e.message.contains("not valid JSON"))
        #expect(e.line == 1)
        let header = "{\"w\": {\"dtype\": \"F32\", \"shape\": [4, 4], \"data_offsets\": [0, 64]}}"
        let full = safetensorsBytes(header: header, dataBytes: 64)
        #expect(try Checkpoint.load(path: s.write("ok.safetensors", full)).tensors.first?.parameterCount == 16)
        let cut = s.write("cut.safetensors", Array(full.prefix(full.count - 10)))
        let t = try #require(error { _ = try Checkpoint.load(path: cut) })
        #expect(t.message.contains("past the 54 bytes"))
        #expect(t.hint?.contains("truncated") == true)
    }

    @Test func safetensorsFieldChecks() throws {
        let s = try ScratchFolder()
        func message(_ header: String, data: Int) -> String? {
            error { _ = try Checkpoint.load(path: s.write("x.safetensors", safetensorsBytes(header: header, dataBytes: data))) }?.message
        }
        #expect(message("{\"w\": {\"dtype\": \"F33\", \"shape\": [1], \"data_offsets\": [0, 4]}}", data: 4)?.contains("unknown dtype") == true)
        #expect(message("{\"w\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296, 4294967296], \"data_offsets\": [0, 4]}}", data: 4)?.contains("more elements than can be counted") == true)
        #expect(message("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 4]}}", data: 8)?.contains("needs 8") == true)
        #expect(message("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", data: 4)?.contains("not a size") == true)
        #expect(message("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [4, 12]}}", data: 12)?.contains("overlap") == true)
        #expect(message("[1, 2]", data: 0)?.contains("not a JSON object") == true)
        #expect(message("{\"__metadata__\": {\"format\": 1}}", data: 0)?.contains("not a string") == true)
    }

    @Test func folderWithoutCheckpoint() throws {
        let s = try ScratchFolder()
        s.write("pytorch_model.bin", "pickle")
        let e = try #require(error { _ = try Checkpoint.load(path: s.url.path) })
        #expect(e.kind == .noInput)
        #expect(e.message.contains("no safetensors checkpoint"))
        #expect(e.hint?.contains("pickle") == true)
        #expect(error { _ = try Checkpoint.load(path: s.path("nothing-here")) }?.kind == .noInput)
    }

    @Test func indexNamingAMissingTensor() throws {
        let s = try ScratchFolder()
        s.write("a.safetensors", safetensorsBytes(header: "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", dataBytes: 4))
        let index = s.write("model.safetensors.index.json", "{\n  \"metadata\": {},\n  \"weight_map\": {\n    \"w\": \"a.safetensors\",\n    \"v\": \"a.safetensors\"\n  }\n}\n")
        let e = try #require(error { _ = try Checkpoint.load(path: index) })
        #expect(e.line == 5)
        #expect(e.message.contains("`v`"))
        let escape = s.write("escape.index.json", "{\"weight_map\": {\"w\": \"../a.safetensors\"}}")
        #expect(error { _ = try Checkpoint.load(path: escape) }?.message.contains("not a file name") == true)
    }

    /// A key no schema has is a note with the nearest key (Axolotl ignores
    /// it; HfArgumentParser would refuse it): the report goes on.
    @Test func unknownKeysAreNotesWithSuggestions() throws {
        let s = try ScratchFolder()
        let json = s.write("args.json", "{\n  \"learning_rate\": 1e-4,\n  \"weight_decy\": 0.01\n}\n")
        let c = try TrainingConfig.load(path: json)
        let note = try #require(c.notes.first { $0.code == .unknownKey })
        #expect(note.line == 3)
        #expect(note.message.hasPrefix("unknown key `weight_decy` (did you mean `weight_decay`?)"))
        #expect(c.weightDecay == 0)
        let typo = try TrainingConfig.load(path: s.write("t.yml", "base_model: m\nlearning_rate: 2e-4\nnum_epoch: 3\n"))
        let y = try #require(typo.notes.first { $0.code == .unknownKey })
        #expect(y.line == 3)
        #expect(y.message.contains("did you mean `num_epochs`?") && y.message.contains("Axolotl"))
        #expect(typo.epochs == 1)
    }

    /// Thousands of strange keys cost fifty notes, not one suggestion search each.
    @Test func strangeKeysAreNamedUpToALimit() throws {
        let s = try ScratchFolder()
        let keys = (0..<5_000).map { "strange_key_\($0): 1" }.joined(separator: "\n")
        let c = try TrainingConfig.load(path: s.write("many.yml", "base_model: m\nlearning_rate: 2e-4\n" + keys + "\n"))
        let notes = c.notes.filter { $0.code == .unknownKey }
        #expect(notes.count == KeyCheck.maximumNotes + 1)
        #expect(notes.last?.message.hasPrefix("and 4950 more keys") == true)
    }

    /// reduce_lr_on_plateau needs an eval strategy, as TrainingArguments checks.
    @Test func plateauNeedsEvaluation() throws {
        let s = try ScratchFolder()
        let none = s.write("p.json", "{\"lr_scheduler_type\": \"reduce_lr_on_plateau\", \"max_steps\": 10}")
        #expect(error { _ = try TrainingConfig.load(path: none) }?.message.contains("eval strategy") == true)
        let steps = s.write("q.json", "{\"lr_scheduler_type\": \"reduce_lr_on_plateau\", \"eval_strategy\": \"steps\", \"max_steps\": 10}")
        let summary = try ScheduleSummary(config: try TrainingConfig.load(path: steps), examples: nil)
        #expect(summary.schedule == nil && summary.remainingAtLeast != nil)
        let yaml = s.write("p.yml", "base_model: m\nlearning_rate: 2e-4\nlr_scheduler: reduce_lr_on_plateau\nmax_steps: 10\n")
        #expect(error { _ = try TrainingConfig.load(path: yaml) }?.line == 3)
    }

    /// A schedule name the tool does not have is refused, with the nearest one.
    @Test func unknownSchedulersAreRefusedWithSuggestions() throws {
        let s = try ScratchFolder()
        let sched = s.write("s.json", "{\"lr_scheduler_type\": \"cosin\"}")
        #expect(error { _ = try TrainingConfig.load(path: sched) }?.hint == "did you mean `cosine`?")
        let yaml = s.write("a.yml", "learning_rate: 2e-4\nlr_scheduler: consine\n")
        let y = try #require(error { _ = try TrainingConfig.load(path: yaml) })
        #expect(y.line == 2)
        #expect(y.hint == "did you mean `cosine`?")
        let unknownKwarg = s.write("k.json", "{\"lr_scheduler_type\": \"cosine\",\n \"lr_scheduler_kwargs\": {\"min_lr\": 1e-5}}")
        #expect(error { _ = try TrainingConfig.load(path: unknownKwarg) }?.message == "unknown key `min_lr`")
    }

    /// Files that are not training configs at all are refused by name.
    @Test func filesThatAreNotConfigsAreRefused() throws {
        let s = try ScratchFolder()
        #expect(error { _ = try TrainingConfig.load(path: s.write("a.json", "{\"peft_type\": \"LORA\", \"r\": 8}")) }?.message.contains("adapter_config.json") == true)
        #expect(error { _ = try TrainingConfig.load(path: s.write("b.json", "{\"log_history\": []}")) }?.message.contains("trainer_state.json") == true)
        #expect(error { _ = try TrainingConfig.load(path: s.write("c.json", "{\"colour\": 1, \"size\": 2}")) }?.message.contains("not a training config") == true)
        #expect(error { _ = try TrainingConfig.load(path: s.write("d.yml", "services:\n  web: {}\nversion: 3\n")) }?.message.contains("not an Axolotl config") == true)
    }

    /// A UTF-8 byte-order mark is skipped, in YAML as in JSON.
    @Test func byteOrderMarksAreSkipped() throws {
        let s = try ScratchFolder()
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let yaml = try TrainingConfig.load(path: s.write("a.yml", bom + Array("base_model: m\nlearning_rate: 3e-4\n".utf8)))
        #expect(yaml.learningRate == 3e-4)
        #expect(yaml.notes.allSatisfy { $0.code != .unknownKey })
        let json = try TrainingConfig.load(path: s.write("a.json", bom + Array("{\"learning_rate\": 3e-4}".utf8)))
        #expect(json.learningRate == 3e-4)
    }

    @Test func wrongTypesAndRanges() throws {
        let s = try ScratchFolder()
        func message(_ name: String, _ text: String) -> String? { error { _ = try TrainingConfig.load(path: s.write(name, text)) }?.message }
        #expect(message("a.json", "{\"max_steps\": true}")?.contains("a boolean, not a number") == true)
        #expect(message("b.json", "{\"max_steps\": 0}")?.contains("is 0") == true)
        #expect(message("c.json", "{\"learning_rate\": \"5e-5\"}")?.contains("a string") == true)
        // Whole, only too large: out of range with both bounds, not "not a whole number".
        let huge = message("d.json", "{\"max_steps\": 12345678901234567890123}")
        #expect(huge?.contains("not a whole number") == false && huge?.contains("must be from") == true, "\(huge ?? "")")
        #expect(message("d.json", "{\"max_steps\": 12.5}")?.contains("not a whole number") == true)
        #expect(message("e.json", "{\"per_device_train_batch_size\": 0}")?.contains("at least one") == true)
        #expect(message("f.yml", "weight_decay: 0.1\n")?.contains("learning_rate") == true)
        #expect(message("g.yml", "learning_rate: .inf\n")?.contains("infinite") == true)
        #expect(message("g2.yml", "learning_rate: .nan\n").map { $0.contains("not a number") && !$0.contains("too large") } == true)
        // Out of range names both ends of the range.
        #expect(message("g4.json", "{\"learning_rate\": 1e308}")?.contains("from 0 to 1e+06") == true)
        #expect(message("g5.json", "{\"learning_rate\": -1}")?.contains("from 0 to 1e+06") == true)
        #expect(message("h.yml", "learning_rate: [1\n") != nil)
        #expect(message("i.yml", "- a\n- b\n")?.contains("not a mapping") == true)
        #expect(message("j.yml", String(repeating: "[", count: 10_000))?.contains("nests more than") == true)
        #expect(message("k.txt", "x") != nil)
        // Axolotl reads numbers written as strings, as pydantic does.
        let c = try TrainingConfig.load(path: s.write("ok.yml", "learning_rate: '2e-4'\nmicro_batch_size: 4.0\nsample_packing: yes\n"))
        #expect(c.learningRate == 2e-4 && c.batchSize == 4 && c.axolotl.samplePacking)
        // pydantic refuses a word it cannot read as a boolean.
        #expect(message("p.yml", "learning_rate: 2e-4\nsample_packing: yess\n")?.contains("true or false") == true)
    }

    @Test func yamlSyntaxErrorsAreLocated() throws {
        let s = try ScratchFolder()
        let path = s.write("bad.yml", "learning_rate: 1e-4\nweight_decay: 0.1\n  bad indent: [\n")
        let e = try #require(error { _ = try TrainingConfig.load(path: path) })
        #expect(e.line != nil)
        #expect(e.message.contains("not valid YAML"))
    }

    @Test func aModelConfigGivenAsTrainingConfigIsNamed() throws {
        let e = try #require(error { _ = try TrainingConfig.load(path: Fixtures.path("models/gpt2/config.json")) })
        #expect(e.message.contains("model's config.json"))
    }

    /// A 16 GiB checkpoint (sparse, so it costs no disk): only its header is
    /// read, so it loads as fast as a small one and without the memory.
    @Test func largeCheckpointIsReadByItsHeaderOnly() throws {
        let s = try ScratchFolder()
        let header = "{\"huge\": {\"dtype\": \"F32\", \"shape\": [65536, 65536], \"data_offsets\": [0, 17179869184]}}"
        let path = s.write("big.safetensors", safetensorsBytes(header: header, dataBytes: 0))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(8 + header.utf8.count) + 17_179_869_184)
        try handle.close()
        let checkpoint = try Checkpoint.load(path: path)
        #expect(checkpoint.tensors.first?.parameterCount == 4_294_967_296)
    }

    @Test func hostileTextIsEscapedInMessages() {
        let e = InspectError(path: "a\u{1b}[2J.json", line: 3, message: "m", hint: nil)
        #expect(!e.description.contains("\u{1b}"))
        #expect(e.description.hasPrefix("a\\u{1b}[2J.json:3: error: m"))
    }
}
