#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One number through one of the C library's printf conversions ("%.4g",
/// "%.2e", "%.1f%%", …): the digits `String(format:)` gives, without its
/// cost. Foundation builds a format string object and checks each
/// argument's type at run time, and the tutor formats every number in its
/// table on every frame; this writes into a buffer on the stack.
package enum PrintfNumber {
    /// `value` formatted by `format`, which must hold exactly one
    /// floating-point conversion (and any literal text, `%%` included).
    package static func format(_ format: String, _ value: Double) -> String {
        let capacity = 48
        let short: String? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer in
            let written = withVaList([value]) { vsnprintf(buffer.baseAddress!, capacity, format, $0) }
            guard written >= 0, written < capacity else { return nil }
            return String(cString: buffer.baseAddress!)
        }
        if let short { return short }
        // A long result ("%.6f" of 1e300): measure, then write it whole.
        let needed = Int(withVaList([value]) { vsnprintf(nil, 0, format, $0) })
        guard needed >= 0 else { return "" }
        var bytes = [CChar](repeating: 0, count: needed + 1)
        _ = bytes.withUnsafeMutableBufferPointer { b in
            withVaList([value]) { vsnprintf(b.baseAddress!, needed + 1, format, $0) }
        }
        return String(cString: bytes)
    }
}
