import Foundation
import Testing
@testable import DecayInspect
#if canImport(Glibc)
import Glibc
#endif

/// The shared machinery of the input fuzzers: mutations of valid files,
/// hostile values, special files, and a runner that demands of every case
/// either success or a located `InspectError` — any other error fails the
/// test, and a trap or a hang fails the whole run.
struct Fuzzer {
    var rng: SplitMix
    var counts: [String: Int] = [:]
    var rejected = 0
    var accepted = 0

    init(seed: UInt64) { rng = SplitMix(seed: seed) }

    /// Values that break parsers and arithmetic, as JSON text.
    static let hostileJSONValues: [String] = [
        "null", "true", "false", "\"\"", "\"cosine\"", "\"5e-5\"", "[]", "{}", "[1, 2]", "{\"a\": 1}",
        "0", "-1", "1", "2", "0.5", "-0.0", "1e-320", "1e308", "-1e308", "1.7976931348623157e308",
        "123456789012345678901234567890", "-9223372036854775808", "9223372036854775807", "18446744073709551616",
        "4294967296", "2147483648", "1e9", "3.000000000000000000001", "\"\\u0000\"", "\"\\u001b[2J\"",
    ]

    /// Hostile YAML scalars and structures.
    static let hostileYAMLValues: [String] = [
        "", "~", "null", "yes", "no", "on", "'1e-4'", "\"x\"", "[]", "{}", "[1, 2]", "{a: 1}", "0", "-1", "0.5",
        ".inf", "-.inf", ".nan", "1e400", "1_000", "0x10", "123456789012345678901234567890", "9223372036854775807",
        "-9223372036854775808", "4294967296", "2147483648", "1e9", "!!binary aGk=", "&a 1", "*undefined", "|\n  text",
        ">-\n  folded", "\"\\u001b[2J\"", "'unterminated", "\"unterminated", "[unclosed", "{unclosed", "@reserved", "`tick",
    ]

    static let tokens: [String] = [
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "-1", "1e999", "18446744073709551616", "\\", "\n", "\t",
        "\u{0}", "\u{1b}[2J", "\u{FEFF}", "é", "- ", ": ", "&a ", "*a", "|", ">", "#", "'", "---", "...", "%YAML 1.1\n",
    ]

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }

    /// One generic mutation of `bytes`, and its category.
    mutating func mutate(_ bytes: [UInt8]) -> (String, [UInt8]) {
        var b = bytes
        switch int(0...6) {
        case 0:
            return ("truncated", Array(b.prefix(int(0...max(0, b.count - 1)))))
        case 1:
            for _ in 0..<int(1...8) where !b.isEmpty { b[int(0...b.count - 1)] = UInt8(truncatingIfNeeded: int(0...255)) }
            return ("bytes flipped", b)
        case 2:
            b.insert(contentsOf: Array(pick(Self.tokens).utf8), at: int(0...b.count))
            return ("token inserted", b)
        case 3:
            guard b.count > 1 else { return ("empty", []) }
            let start = int(0...b.count - 1)
            b.removeSubrange(start..<min(b.count, start + int(1...64)))
            return ("range deleted", b)
        case 4:
            guard !b.isEmpty else { return ("empty", []) }
            let start = int(0...b.count - 1)
            let piece = Array(b[start..<min(b.count, start + int(1...256))])
            b.insert(contentsOf: piece, at: int(0...b.count))
            return ("range duplicated", b)
        case 5:
            return ("random bytes", (0..<int(0...512)).map { _ in UInt8(truncatingIfNeeded: int(0...255)) })
        default:
            let depth = int(100...5000)
            let open = pick(["[", "{\"a\":", "[{\"k\": ", "- ", "a:\n "])
            let text = String(repeating: open, count: depth)
            b.insert(contentsOf: Array(text.utf8), at: int(0...b.count))
            return ("deep nesting", b)
        }
    }

    /// Runs one case: `load` must succeed or throw an `InspectError` with a
    /// message and a path.
    mutating func run(_ category: String, path: String, _ load: (String) throws -> Void) {
        counts[category, default: 0] += 1
        do {
            try load(path)
            accepted += 1
        } catch let error as InspectError {
            rejected += 1
            #expect(!error.message.isEmpty && !error.path.isEmpty, "\(category): \(error)")
            #expect(error.message.count < 2_000, "\(category): an error of \(error.message.count) characters")
        } catch {
            Issue.record("\(category): not a located error: \(error)")
        }
    }

    var total: Int { counts.values.reduce(0, +) }

    func report(_ name: String, seconds: Double) -> String {
        let parts = counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "\(name): \(total) cases (\(rejected) rejected, \(accepted) accepted) in \(String(format: "%.2f", seconds)) s — \(parts)"
    }

    /// The special files every format meets: FIFOs, symbolic links to one,
    /// to nothing, to themselves, to a device, a folder, an empty file.
    mutating func specialFiles(in scratch: ScratchFolder, named name: String, _ load: (String) throws -> Void) {
        let fifo = scratch.path("fifo-" + name)
        _ = mkfifo(fifo, 0o600)
        run("FIFO", path: fifo, load)
        let links: [(String, String)] = [
            ("symlink to a FIFO", fifo), ("dangling symlink", scratch.path("missing-" + name)),
            ("symlink to a device", "/dev/zero"), ("symlink to /dev/null", "/dev/null"),
            ("symlink to a folder", scratch.url.path),
        ]
        for (i, (category, target)) in links.enumerated() {
            let link = scratch.path("link\(i)-" + name)
            try? FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
            run(category, path: link, load)
        }
        let loop = scratch.path("loop-" + name)
        try? FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        run("symlink loop", path: loop, load)
        run("empty file", path: scratch.write("empty-" + name, [UInt8]()), load)
        let folder = scratch.path("folder-" + name)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        run("folder", path: folder, load)
    }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}
