import Foundation
import Testing
@testable import DecayInspect
#if canImport(Glibc)
import Glibc
#endif

/// The header reader on headers far larger than any real checkpoint's:
/// memory a few times the header's bytes, and the same answers as a
/// general JSON reader (Foundation's) on every header both can read.
@Suite struct SafetensorsHeaderTests {
    /// `count` one-element tensors named as a deep model's layers are.
    static func header(tensors count: Int) -> String {
        var json = "{\"__metadata__\": {\"format\": \"pt\"}"
        for i in 0..<count {
            json += ", \"model.layers.\(i / 8).block.\(i % 8).weight\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [\(4 * i), \(4 * i + 4)]}"
        }
        return json + "}"
    }

    /// The peak resident memory `body` adds, measured in a forked child (so
    /// the other tests running in this process do not count): the child
    /// gives malloc's free memory back, resets its high-water mark (Linux
    /// `clear_refs` 5), runs `body`, and
    /// reports VmHWM − VmRSS. Nil where /proc cannot do this.
    static func peakGrowth(_ body: () -> Void) -> Int? {
        #if os(Linux)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        let pid = fork()
        if pid == 0 {
            close(fds[0])
            var result: Int64 = -1
            Self.trimMalloc()   // memory malloc holds free counts when reused
            let fd = open("/proc/self/clear_refs", O_WRONLY)
            if fd >= 0, write(fd, "5", 1) == 1, let before = status("VmRSS:") {
                body()
                if let peak = status("VmHWM:") { result = Int64(peak - before) }
            }
            _ = write(fds[1], &result, 8)
            _exit(0)
        }
        close(fds[1])
        defer { close(fds[0]) }
        var pollfd = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
        var result: Int64 = -1
        if poll(&pollfd, 1, 120_000) == 1 { _ = read(fds[0], &result, 8) }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return result >= 0 ? Int(result) : nil
        #else
        return nil
        #endif
    }

    /// glibc's `malloc_trim(0)`, looked up at run time (its header is not in Glibc's module).
    static func trimMalloc() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }

    static func status(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
              let kB = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        return kB * 1024
    }

    @Test func readingAHugeHeaderTakesAFewTimesItsBytes() throws {
        let count = 20_000
        let header = Array(Self.header(tensors: count).utf8)
        // Warm up in this process first, so the child only parses.
        #expect(try SafetensorsHeader.parse(header, path: "h", dataSize: UInt64(4 * count)).tensors.count == count)
        var parsed = 0
        let growth = try #require(Self.peakGrowth {
            parsed = (try? SafetensorsHeader.parse(header, path: "h", dataSize: UInt64(4 * count)).tensors.count) ?? -1
        }, "this system cannot measure a child's peak memory")
        // The tensor list itself is about 3× the header for one-element
        // tensors with these names. Resident growth counts every page the
        // work touches, freed again or not (a bare syntax scan of this
        // header shows 2× this way), hence 8×; the tree of Foundation
        // objects the reader replaced showed ~60×.
        #expect(growth <= 8 * header.count, "peak grew \(growth) bytes for a \(header.count)-byte header")
        _ = parsed
    }

    /// `,` before `]` or `}`, or `0` then a digit starting a number, outside strings.
    static func hasTrailingCommaOrLeadingZero(_ bytes: [UInt8]) -> Bool {
        var inString = false, escaped = false, lastSignificant: UInt8 = 0
        for (i, b) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "]"), UInt8(ascii: "}"): if lastSignificant == UInt8(ascii: ",") { return true }
            case UInt8(ascii: "0"):
                let startsNumber = !(lastSignificant >= 0x30 && lastSignificant <= 0x39) && lastSignificant != UInt8(ascii: ".")
                    && lastSignificant | 0x20 != UInt8(ascii: "e") && lastSignificant != UInt8(ascii: "+")
                if startsNumber, i + 1 < bytes.count, bytes[i + 1] >= 0x30, bytes[i + 1] <= 0x39 { return true }
            default: break
            }
            if b != 0x20, b != 0x0A, b != 0x09, b != 0x0D { lastSignificant = b }
        }
        return false
    }

    @Test func theListIsByNameAndALaterDuplicateWins() throws {
        let json = """
        {"b": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "a": {"dtype": "F16", "shape": [2], "data_offsets": [4, 8]},
         "b": {"dtype": "I8", "shape": [2, 2], "data_offsets": [8, 12], "extra": [1, {"x": null}]}, "__metadata__": {"format": "pt"}}
        """
        let h = try SafetensorsHeader.parse(Array(json.utf8), path: "h", dataSize: 12)
        #expect(h.tensors.map(\.name) == ["a", "b"])
        #expect(h.tensors[1].dtype == .i8 && h.tensors[1].shape == [2, 2])
        #expect(h.metadata == ["format": "pt"])
    }

    /// Mutated real headers: the reader accepts exactly the JSON Foundation
    /// accepts (a syntax error is located, never a crash), and where both
    /// read it, they list the same tensors.
    @Test func agreesWithFoundationOnMutatedHeaders() throws {
        let seeds = ["gpt2", "t5", "llama", "bert"].map { name -> [UInt8] in
            let file = Array(FileManager.default.contents(atPath: Fixtures.path("models/\(name)/model.safetensors"))!)
            let length = file[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
            return Array(file[8..<(8 + length)])
        }
        var rng = SplitMix(seed: 77)
        let tokens = Array("{}[],:\"\\ 0123456789-.eEtrufalsn\u{0}\n".utf8) + [0xC3, 0xFF]
        var checked = 0
        for i in 0..<1000 {
            var bytes = seeds[i % seeds.count]
            let at = Int(rng.next() % UInt64(bytes.count))
            switch i % 5 {
            case 0: bytes[at] = tokens[Int(rng.next() % UInt64(tokens.count))]
            case 1: bytes.insert(tokens[Int(rng.next() % UInt64(tokens.count))], at: at)
            case 2: bytes.remove(at: at)
            case 3: bytes = Array(bytes[..<at])
            default: bytes.replaceSubrange(at..<min(at + 12, bytes.count), with: Array("\"\\u00e9\\ud83d\\ude00\"".utf8))
            }
            // Foundation also takes a trailing comma and a number with a
            // leading zero, which RFC 8259 and the safetensors library's own
            // reader (serde_json) refuse: those must be refused here too.
            let lenient = Self.hasTrailingCommaOrLeadingZero(bytes)
            let foundation = lenient ? nil : try? JSONSerialization.jsonObject(with: Data(bytes), options: [])
            let ours = Result { try SafetensorsHeader.parse(bytes, path: "h", dataSize: UInt64.max >> 1) }
            let syntaxError: Bool
            if case let .failure(e as InspectError) = ours { syntaxError = e.message.contains("not valid JSON") } else { syntaxError = false }
            #expect((foundation == nil) == syntaxError, "case \(i): Foundation \(foundation == nil ? "rejects" : "accepts"), ours: \(ours) near \(String(decoding: bytes[max(0, at - 30)..<min(bytes.count, at + 30)], as: UTF8.self))")
            if let object = foundation as? [String: Any], case let .success(header) = ours {
                let names = object.keys.filter { $0 != "__metadata__" }.sorted()
                #expect(header.tensors.map(\.name) == names, "case \(i)")
                for t in header.tensors {
                    let shape = (object[t.name] as? [String: Any])?["shape"] as? [Int]
                    #expect(shape == t.shape, "case \(i): \(t.name)")
                }
                checked += 1
            }
        }
        #expect(checked > 30)
    }
}
