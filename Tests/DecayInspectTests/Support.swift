import Foundation
@testable import DecayInspect
import SeededRandom

/// The committed fixtures (made by Fixtures/make_inspect_fixtures.py).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(relative)))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static func names(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path(folder))) ?? []).sorted()
    }
}

/// A scratch folder removed when the value is dropped.
final class ScratchFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("decay-inspect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let p = path(name)
        FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }
}

/// A small deterministic generator (SplitMix64), so a failing fuzz case
/// can be reproduced from its index.
typealias SplitMix = SplitMix64

/// A safetensors file from a header object and a data size.
func safetensorsBytes(header: String, dataBytes: Int) -> [UInt8] {
    let h = Array(header.utf8)
    var out: [UInt8] = []
    var n = UInt64(h.count)
    for _ in 0..<8 { out.append(UInt8(n & 0xFF)); n >>= 8 }
    return out + h + [UInt8](repeating: 0, count: dataBytes)
}

/// A JSON number as the double Python wrote: Foundation keeps numbers with
/// many digits as decimals, whose `doubleValue` may be an ulp off, so those
/// are read back from their digits.
func exactDouble(_ value: Any?) -> Double {
    guard let n = value as? NSNumber else { return .nan }
    if n is NSDecimalNumber, let d = Double(n.stringValue) { return d }
    return n.doubleValue
}
