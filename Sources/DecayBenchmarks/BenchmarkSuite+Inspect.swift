import Foundation
import DecayInspect
import TerminalUI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension BenchmarkSuite {
    /// A safetensors file's header as `inspect --model` reads it, at a size
    /// no real checkpoint has: `tensors` one-element F32 tensors, written
    /// compactly as the safetensors library writes (about 77 bytes a
    /// tensor: 200,000 make 15 MB, 900,000 about 70 MB).
    static func syntheticHeader(tensors: Int) -> [UInt8] {
        var json: [UInt8] = []
        json.reserveCapacity(tensors * 80 + 64)
        json += Array(#"{"__metadata__":{"format":"pt"}"#.utf8)
        for i in 0..<tensors {
            json += Array(#","layers.\#(i / 8).w\#(i % 8)":{"dtype":"F32","shape":[1],"data_offsets":[\#(4 * i),\#(4 * i + 4)]}"#.utf8)
        }
        json.append(UInt8(ascii: "}"))
        var length = UInt64(json.count)
        var file: [UInt8] = []
        for _ in 0..<8 { file.append(UInt8(length & 0xFF)); length >>= 8 }
        return file + json
    }

    /// `inspect --model` on a header of 200,000 tensors (15 MB) and on one
    /// of 70 MB (under the 100 MB a header may have): reading the header,
    /// classifying every tensor under both decay rules and writing the
    /// table, timed end to end, with the peak memory it adds as a multiple
    /// of the header's bytes. Targets: 2 s for 200,000 tensors and the
    /// same rate for the larger one; a peak of at most 4× the header (the
    /// tensor list alone is about 2× for names this short).
    func safetensorsHeader(reps: Int) -> [Measurement] {
        var results: [Measurement] = []
        for (name, tensors, count) in [("200k", 200_000, "200,000"), ("70mb", 900_000, "900,000")]
        where wants("inspect_header_\(name)_seconds", "inspect_header_\(name)_peak_ratio") {
            results += inspectEndToEnd(key: "inspect_header_\(name)", tensors: tensors, count: count,
                                       reps: name == "200k" ? reps : max(1, reps / 2))
        }
        return results
    }

    private func inspectEndToEnd(key: String, tensors: Int, count: String, reps: Int) -> [Measurement] {
        let header = Self.syntheticHeader(tensors: tensors)
        let headerBytes = Double(header.count - 8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("decay-bench-\(key)-\(getpid()).safetensors").path
        guard FileManager.default.createFile(atPath: path, contents: Data(header)),
              truncate(path, off_t(header.count + 4 * tensors)) == 0 else { return [] }   // the data: sparse zeros
        defer { unlink(path) }
        var times: [Double] = [], peaks: [Double] = []
        var complete = true
        for _ in 0..<reps {
            let before = PeakMemory.reset()
            var rows = 0
            times.append(Self.seconds {
                guard let report = try? InspectReport.make(InspectReport.Request(modelPaths: [path])) else { return }
                var bytes = 0
                TextReport(report: report, width: 100).write { bytes += $0.utf8.count + 1 }   // what the command writes, in 64 KB pieces
                rows = bytes > 0 ? report.model?.rows.count ?? 0 : 0
            })
            complete = complete && rows == tensors
            if let before, let peak = PeakMemory.highWaterMark() { peaks.append(Double(max(peak - before, 0)) / headerBytes) }
        }
        let megabytes = NumberFormat.fixed(headerBytes / 1e6, decimals: 1)
        return [
            Measurement(key: key + "_seconds", label: "inspect --model, \(count) tensors (\(megabytes) MB header), end to end",
                        unit: "s", higherIsBetter: false, samples: complete ? times : [],
                        note: "read, both decay rules, the table written", target: 2 * Double(tensors) / 200_000),
            Measurement(key: key + "_peak_ratio", label: "  its peak memory ÷ header bytes",
                        unit: "×", higherIsBetter: false, samples: complete ? peaks : [],
                        note: "VmHWM − VmRSS before, after resetting the high-water mark (Linux only)", target: 4),
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
