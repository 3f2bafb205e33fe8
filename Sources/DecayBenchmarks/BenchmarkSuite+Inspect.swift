import Foundation
import DecayInspect
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension BenchmarkSuite {
    /// The safetensors header `inspect --model` reads, at a size no real
    /// checkpoint has: `tensors` one-element tensors named as a large
    /// model's layers are (200,000 of them make a 15 MB header).
    static func syntheticHeader(tensors: Int) -> [UInt8] {
        var json = "{\"__metadata__\": {\"format\": \"pt\"}"
        json.reserveCapacity(tensors * 80)
        for i in 0..<tensors {
            json += ", \"model.layers.\(i / 8).block.\(i % 8).weight\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [\(4 * i), \(4 * i + 4)]}"
        }
        json += "}"
        var file: [UInt8] = []
        var n = UInt64(json.utf8.count)
        for _ in 0..<8 { file.append(UInt8(n & 0xFF)); n >>= 8 }
        file += Array(json.utf8)
        file += [UInt8](repeating: 0, count: 4 * tensors)
        return file
    }

    /// Reading a 200,000-tensor header: the time (target 2 s) and the peak
    /// memory it adds, as a multiple of the header's bytes (target 6: the
    /// bytes themselves, the tensor list, and the parse's working set; the
    /// resident growth counts every page touched, freed again or not).
    func safetensorsHeader(reps: Int) -> [Measurement] {
        let tensors = 200_000
        let file = Self.syntheticHeader(tensors: tensors)
        let headerBytes = Double(file.count - 8 - 4 * tensors)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("decay-bench-header-\(getpid()).safetensors").path
        guard FileManager.default.createFile(atPath: path, contents: Data(file)) else { return [] }
        defer { unlink(path) }
        var parsed = 0
        var peaks: [Double] = []
        for _ in 0..<reps {
            guard let before = PeakMemory.reset() else { break }
            parsed = (try? SafetensorsHeader.read(path: path).tensors.count) ?? -1
            guard let peak = PeakMemory.highWaterMark() else { break }
            peaks.append(Double(max(peak - before, 0)) / headerBytes)
        }
        let times = Self.repeatTimed(warmup: 1, reps: reps) {
            parsed = (try? SafetensorsHeader.read(path: path).tensors.count) ?? -1
        }
        let what = "\(tensors) tensors, \(Int(headerBytes / 1e5) / 10) MB of header JSON"
        return [
            Measurement(key: "inspect_header_200k_seconds", label: "safetensors header, 200,000 tensors, read",
                        unit: "s", higherIsBetter: false, samples: parsed == tensors ? times : [],
                        note: what, target: 2),
            Measurement(key: "inspect_header_200k_peak_ratio", label: "  its peak memory ÷ header bytes",
                        unit: "×", higherIsBetter: false, samples: parsed == tensors ? peaks : [],
                        note: "VmHWM − VmRSS before, after resetting the high-water mark (Linux only)", target: 6),
        ]
    }
}

/// The process's peak resident memory, from Linux's /proc: the high-water
/// mark can be reset to the current figure (`clear_refs` 5), so the peak of
/// one piece of work is measured in the process that does it.
enum PeakMemory {
    /// Resets the high-water mark; returns the resident bytes now (nil where
    /// unsupported). Memory malloc holds free is first given back, so work
    /// that reuses it counts too.
    static func reset() -> Int? {
        trimMalloc()
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard write(fd, "5", 1) == 1 else { return nil }
        return status("VmRSS:")
    }

    static func highWaterMark() -> Int? { status("VmHWM:") }

    /// glibc's `malloc_trim(0)`, looked up at run time (its header is not
    /// in the C library's module); nothing elsewhere.
    static func trimMalloc() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }

    /// A `kB` line of /proc/self/status, in bytes.
    static func status(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field) }) else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
    }
}
