import Foundation
import Testing

/// `decay-tutor inspect` as a person runs it: on the committed fixtures,
/// and on each kind of bad input, which must end with a located message on
/// stderr, nothing on stdout and a non-zero status.
@Suite struct InspectCommandTests {
    static let fixtures = CommandRun.repository.appendingPathComponent("Tests/DecayInspectTests/Fixtures")
    static func fixture(_ path: String) -> String { fixtures.appendingPathComponent(path).path }

    @Test func modelAndConfigTogether() throws {
        let r = try CommandRun(["inspect", "--model", Self.fixture("models/t5"), "--config", Self.fixture("configs/hf-cosine.json"),
                                "--examples", "157"], environment: ["LANG": "C.UTF-8"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        #expect(r.stdout.contains("relative_attention_bias.weight [4×2]"))
        #expect(r.stdout.contains("35 (14 per epoch × 2.5 epochs)"))
        #expect(r.stdout.contains("157 examples; batch 4 × accumulation 3 = 12 examples per step"))
        #expect(r.stdout.contains("fraction of a decayed weight left"))
    }

    @Test func plainLocaleDrawsInASCII() throws {
        let r = try CommandRun(["inspect", "--config", Self.fixture("configs/axolotl-cosine.yml"), "--examples", "300"],
                               environment: ["LANG": "C", "LC_ALL": "C"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(r.stdout.contains("steps          38"))
        let forced = try CommandRun(["inspect", "--ascii", "--config", Self.fixture("configs/axolotl-cosine.yml"), "--examples", "300"],
                                    environment: ["LANG": "C.UTF-8"])
        #expect(forced.stdout.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func jsonIsOneObject() throws {
        let r = try CommandRun(["inspect", "--json", "--model", Self.fixture("models/llama-sharded")])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["tensors", "params"])
        let tensors = try #require(object["tensors"] as? [[String: Any]])
        #expect(tensors.allSatisfy { $0["dtype"] as? String == "F32" })
        #expect(tensors.count >= 10)
    }

    /// Runs inspect and checks a failure: status, the file in the message, no stdout.
    func failure(_ arguments: [String], status: Int32, mentions: [String]) throws {
        let r = try CommandRun(["inspect"] + arguments)
        #expect(r.status == status, "\(arguments): \(r.status) \(r.stderr)")
        #expect(r.stdout.isEmpty)
        for m in mentions { #expect(r.stderr.contains(m), "\(arguments): \(r.stderr)") }
        #expect(!r.stderr.contains("Fatal error"))
    }

    @Test func badCheckpoints() throws {
        let dir = try CommandRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ bytes: [UInt8]) -> String {
            let p = dir.appendingPathComponent(name).path
            _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
            return p
        }
        let beyond = write("beyond.safetensors", [0x00, 0x10, 0, 0, 0, 0, 0, 0] + Array("{}".utf8))
        try failure(["--model", beyond], status: 65, mentions: ["\(beyond): error: the header length field says 4096 bytes"])
        let header = Array("not json".utf8)
        let notJSON = write("notjson.safetensors", [UInt8(header.count), 0, 0, 0, 0, 0, 0, 0] + header)
        try failure(["--model", notJSON], status: 65, mentions: ["\(notJSON):1:", "not valid JSON"])
        let real = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("models/gpt2/model.safetensors")))
        let truncated = write("truncated.safetensors", Array(real.prefix(real.count / 2)))
        try failure(["--model", truncated], status: 65, mentions: [truncated, "truncated"])
        let empty = dir.appendingPathComponent("empty-folder").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        try failure(["--model", empty], status: 66, mentions: ["\(empty): error: no safetensors checkpoint in this folder"])
        try failure(["--model", dir.appendingPathComponent("missing").path], status: 66, mentions: ["no such file or folder"])
        let fifo = dir.appendingPathComponent("fifo.safetensors").path
        _ = mkfifo(fifo, 0o600)
        try failure(["--model", fifo], status: 66, mentions: ["FIFO"])
    }

    @Test func badConfigs() throws {
        let dir = try CommandRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ text: String) -> String {
            let p = dir.appendingPathComponent(name).path
            _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
            return p
        }
        let scheduler = write("s.yml", "learning_rate: 2e-4\nweight_decay: 0.1\nlr_scheduler: cosin_with_restarts\n")
        try failure(["--config", scheduler, "--examples", "100"], status: 65,
                    mentions: ["\(scheduler):3: error: unknown lr_scheduler `cosin_with_restarts`", "did you mean `cosine_with_restarts`?"])
        // A key the schema lacks is a note at its line; the report goes on.
        let key = write("k.json", "{\n  \"learning_rate\": 1e-4,\n  \"num_train_epoch\": 2\n}\n")
        let noted = try CommandRun(["inspect", "--config", key, "--examples", "100"], environment: ["LANG": "C.UTF-8"])
        #expect(noted.status == 0, "\(noted.stderr)")
        let flat = noted.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")   // notes wrap at the width
        #expect(flat.contains("\(key):3: unknown key `num_train_epoch` (did you mean `num_train_epochs`?)"))
        // A value the tool would refuse is refused.
        let value = write("v.yml", "base_model: m\nlearning_rate: 2e-4\nsample_packing: yess\n")
        try failure(["--config", value, "--examples", "100"], status: 65, mentions: ["\(value):3: error: `sample_packing` is `yess`"])
        try failure(["--config", Self.fixture("configs/hf-cosine.json")], status: 64,
                    mentions: ["hf-cosine.json", "depends on the training set's size", "--examples N"])
        let yaml = write("y.yml", "learning_rate: 2e-4\n  weight_decay: [\n")
        try failure(["--config", yaml], status: 65, mentions: ["\(yaml):2:", "not valid YAML"])
        try failure([], status: 64, mentions: ["--model", "--config"])
        try failure(["--config", Self.fixture("configs/hf-cosine.json"), "--examples", "0"], status: 64, mentions: ["--examples"])
    }
}
