import Foundation
import Testing
@testable import DecayInspect

/// Fuzzing safetensors headers and sharded-checkpoint index files: 2,000+
/// cases each, from the committed checkpoints — truncated files, header
/// lengths up to 2⁶⁴ − 1, headers that are not JSON or nest deeply, wrong
/// types, shapes whose product overflows, byte ranges past the end — and
/// the special files. Each must load or fail with a located error, and
/// nothing is allocated from a length the file states.
@Suite struct CheckpointFuzzTests {
    static let cases = 2_000

    static func load(_ path: String) throws {
        let summary = ModelSummary(checkpoint: try Checkpoint.load(path: path))
        _ = InspectReport(model: summary, schedule: nil).json()
    }

    @Test func safetensorsHeaders() throws {
        let seeds = ["gpt2", "t5", "llama", "bert"].map { Array(FileManager.default.contents(atPath: Fixtures.path("models/\($0)/model.safetensors"))!) }
        let scratch = try ScratchFolder()
        var f = Fuzzer(seed: 21)
        let start = ContinuousClock.now
        for i in 0..<Self.cases {
            let (category, bytes): (String, [UInt8])
            switch i % 4 {
            case 0, 1: (category, bytes) = f.mutate(f.pick(seeds))
            case 2: (category, bytes) = Self.lengthField(&f, f.pick(seeds))
            default: (category, bytes) = Self.headerEntry(&f)
            }
            let path = scratch.write("case\(i).safetensors", bytes)
            f.run(category, path: path, Self.load)
            try? FileManager.default.removeItem(atPath: path)
        }
        f.specialFiles(in: scratch, named: "model.safetensors", Self.load)
        print(f.report("safetensors headers", seconds: seconds(since: start)))
        #expect(f.total >= 2_000)
        #expect(f.rejected > 0 && f.accepted > 0)
    }

    /// The 8-byte length field set to a hostile value.
    static func lengthField(_ f: inout Fuzzer, _ file: [UInt8]) -> (String, [UInt8]) {
        let size = UInt64(file.count)
        let value = f.pick([UInt64.max, 1 << 63, 1 << 40, 100_000_001, 99_999_999, size - 8 + 1, size, size - 8, 0, 1, 2, 7,
                            UInt64(f.int(0...Int(size)))])
        var b = file
        var n = value
        for i in 0..<8 { b[i] = UInt8(n & 0xFF); n >>= 8 }
        return ("header length \(value > 1 << 32 ? "huge" : value > size ? "beyond the file" : "wrong")", b)
    }

    /// A generated header with one hostile entry field.
    static func headerEntry(_ f: inout Fuzzer) -> (String, [UInt8]) {
        var dtype = "\"F32\"", shape = "[2, 3]", offsets = "[0, 24]", data = 24
        var extra = ""
        let value = f.pick(Fuzzer.hostileJSONValues)
        switch f.int(0...6) {
        case 0: dtype = value
        case 1: shape = f.pick([value, "[\(value)]", "[\(value), 2]", "[1099511627776, 1099511627776, 1099511627776]", "[-2, 3]", "[4294967296, 4294967296]"])
        case 2: offsets = f.pick([value, "[\(value), 24]", "[0, \(value)]", "[24, 0]", "[0]", "[0, 24, 48]", "[0, 48]"])
        case 3: extra = ", \"__metadata__\": \(f.pick([value, "{\"format\": \(value)}", "{\"format\": \"pt\"}"]))"
        case 4: data = f.int(0...48)
        case 5: extra = ", \"b\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [\(f.pick(["0, 24", "8, 32", "24, 48"]))]}"
            data = 48
        default: dtype = "\"\(f.pick(TensorDType.allCases).rawValue)\""
        }
        let header = "{\"a\": {\"dtype\": \(dtype), \"shape\": \(shape), \"data_offsets\": \(offsets)}\(extra)}"
        return ("header field wrong", safetensorsBytes(header: header, dataBytes: data))
    }

    @Test func indexFiles() throws {
        let source = Fixtures.path("models/llama-sharded")
        let scratch = try ScratchFolder()
        for name in Fixtures.names(in: "models/llama-sharded") where name.hasSuffix(".safetensors") {
            try FileManager.default.copyItem(atPath: (source as NSString).appendingPathComponent(name), toPath: scratch.path(name))
        }
        _ = mkfifo(scratch.path("fifo.safetensors"), 0o600)
        try FileManager.default.createSymbolicLink(atPath: scratch.path("loop.safetensors"), withDestinationPath: scratch.path("loop.safetensors"))
        let seed = Array(FileManager.default.contents(atPath: Fixtures.path("models/llama-sharded/model.safetensors.index.json"))!)
        let shardNames = ["\"../model-00001-of-00003.safetensors\"", "\"/etc/passwd\"", "\"\"", "\".\"", "\"..\"", "\"missing.safetensors\"",
                          "\"fifo.safetensors\"", "\"loop.safetensors\"", "\"model-00002-of-00003.safetensors\"", "\"sub/x.safetensors\""]
        var f = Fuzzer(seed: 31)
        let start = ContinuousClock.now
        for i in 0..<Self.cases {
            var (category, bytes) = f.mutate(seed)
            if i % 2 == 1 {
                var text = String(decoding: seed, as: UTF8.self)
                let value = f.int(0...1) == 0 ? f.pick(shardNames) : f.pick(Fuzzer.hostileJSONValues)
                if f.int(0...4) == 0 {
                    text = text.replacingOccurrences(of: "\"weight_map\": {", with: "\"weight_map\": \(value), \"x\": {")
                } else if let r = text.range(of: "\"model-0000\(f.int(1...3))-of-00003.safetensors\"") {
                    text.replaceSubrange(r, with: value)
                }
                (category, bytes) = ("weight_map entry wrong", Array(text.utf8))
            }
            let path = scratch.write("case\(i).index.json", bytes)
            f.run(category, path: path, Self.load)
            try? FileManager.default.removeItem(atPath: path)
        }
        f.specialFiles(in: scratch, named: "model.safetensors.index.json", Self.load)
        print(f.report("safetensors index files", seconds: seconds(since: start)))
        #expect(f.total >= 2_000)
        #expect(f.rejected > 0 && f.accepted > 0)
    }
}
