import Foundation
import Testing
@testable import DecayEngine

// The pretraining cache never trusts what it reads: over thousands of
// damaged, truncated, oversized, foreign and hostile files, `read` returns
// the stored values only for the intact file and otherwise throws a
// message — no trap, no hang, and nothing sized by a number in the file
// (the reader sizes its buffer from the key and count it expects).

private func scratch(_ name: String) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pretrain-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

private func put(_ bytes: [UInt8], at url: URL) throws {
    try? FileManager.default.removeItem(at: url)
    try Data(bytes).write(to: url)
}

private func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }

/// A file with `body` and a correct checksum: only the content checks can refuse it.
private func sealed(_ body: [UInt8]) -> [UInt8] { body + le(PretrainCache.fnv1a(body), 8) }

@Suite("Pretraining cache: hostile files")
struct PretrainCacheFuzzTests {
    static let key = "decay-engine test|data moons|model mlp [8]|pretrain 300 steps"
    static let values: [Float] = (0..<48).map { Float($0) * 0.37 - 5 }

    /// Every case, counted: at least 2,000, each a clear error.
    @Test func damagedFilesAreRefusedNeverTrusted() throws {
        let dir = try scratch("fuzz")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = PretrainCache(directory: dir, key: Self.key)
        let valid = PretrainCache.encode(key: Self.key, values: Self.values)
        var rng = TestRandom(seed: 91)
        var cases: [(String, [UInt8])] = []
        for n in 0..<valid.count { cases.append(("truncated to \(n)", Array(valid[0..<n]))) }
        for i in 0..<valid.count {
            var b = valid
            b[i] ^= UInt8(1 + rng.int(255))
            cases.append(("byte \(i) changed", b))
        }
        for extra in 1...64 { cases.append(("\(extra) bytes too long", valid + (0..<extra).map { _ in UInt8(rng.int(256)) })) }
        let k = Array(Self.key.utf8)
        let huge: [UInt64] = [0, 1, UInt64(k.count) + 1, 0x7FFF_FFFF, 0xFFFF_FFFF, UInt64(Int.max), UInt64.max]
        for h in huge {
            // Key length and value count replaced (checksum recomputed), in place and with the length the number claims.
            cases.append(("key length \(h)", sealed(PretrainCache.magic + le(h, 4) + k + le(UInt64(Self.values.count), 8)
                + Self.values.flatMap { le(UInt64($0.bitPattern), 4) })))
            cases.append(("value count \(h)", sealed(PretrainCache.magic + le(UInt64(k.count), 4) + k + le(h, 8)
                + Self.values.flatMap { le(UInt64($0.bitPattern), 4) })))
        }
        for _ in 0..<100 {
            var b = valid
            for i in 0..<8 { b[i] = UInt8(rng.int(256)) }
            cases.append(("wrong magic", sealed(Array(b.dropLast(8)))))
        }
        let other = PretrainCache.encode(key: Self.key + " (other settings)", values: Self.values)
        cases.append(("another key's file", other))
        cases.append(("another count", PretrainCache.encode(key: Self.key, values: Array(Self.values.dropLast()))))
        for bad in [Float.nan, .infinity, -.infinity] {
            var v = Self.values
            v[7] = bad
            cases.append(("a \(bad) value", PretrainCache.encode(key: Self.key, values: v)))
        }
        while cases.count < 2_100 {
            let n = rng.int(3) == 0 ? valid.count : rng.int(2 * valid.count)
            cases.append(("random \(n) bytes", (0..<n).map { _ in UInt8(rng.int(256)) }))
        }
        var refused = 0
        for (what, bytes) in cases {
            try put(bytes, at: cache.url)
            do {
                let got = try cache.read(key: Self.key, count: Self.values.count)
                Issue.record("\(what): accepted \(got.map { "\($0.count) values" } ?? "as missing")")
            } catch let problem as PretrainCache.Problem {
                #expect(problem.message.hasPrefix(cache.url.path + ": "), "\(what): \(problem.message)")
                refused += 1
            }
        }
        #expect(refused == cases.count && refused >= 2_000)
        // And the intact file reads back exactly.
        try put(valid, at: cache.url)
        let back = try #require(try cache.read(key: Self.key, count: Self.values.count))
        #expect(back.map(\.bitPattern) == Self.values.map(\.bitPattern))
    }

    /// What is not a regular file is refused at once: a symlink (even to a
    /// valid file), a FIFO (no writer: reading would block), a directory.
    @Test func notARegularFile() throws {
        let dir = try scratch("kinds")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = PretrainCache(directory: dir, key: Self.key)
        let target = dir.appendingPathComponent("valid.bin")
        try put(PretrainCache.encode(key: Self.key, values: Self.values), at: target)
        try FileManager.default.createSymbolicLink(at: cache.url, withDestinationURL: target)
        #expect(throws: PretrainCache.Problem.self) { try cache.read(key: Self.key, count: Self.values.count) }
        try FileManager.default.removeItem(at: cache.url)
        #expect(mkfifo(cache.url.path, 0o600) == 0)
        #expect(throws: PretrainCache.Problem.self) { try cache.read(key: Self.key, count: Self.values.count) }
        try FileManager.default.removeItem(at: cache.url)
        try FileManager.default.createDirectory(at: cache.url, withIntermediateDirectories: false)
        #expect(throws: PretrainCache.Problem.self) { try cache.read(key: Self.key, count: Self.values.count) }
        try FileManager.default.removeItem(at: cache.url)
        #expect(try cache.read(key: Self.key, count: Self.values.count) == nil, "missing is not an error")
    }
}
