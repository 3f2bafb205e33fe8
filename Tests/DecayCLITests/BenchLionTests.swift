import Foundation
import Testing

/// `bench` measures Lion beside AdamW, at the same sizes and in the same units.
@Suite struct BenchLionTests {
    @Test func lionHasItsFiguresBesideAdamW() throws {
        // The in-cache group only: the 4M ones take minutes in a debug build.
        let bench = try BenchJSON(
            only: ["lion_ns_per_param_4096", "lion_scalar", "lion_simd"],
            figures: ["lion_ns_per_param_4096", "lion_scalar_ns_per_param_4096", "lion_simd_speedup_4096"])
        let (root, details) = (bench.root, bench.details)
        #expect(details["lion_ns_per_param_4096"]?["unit"] as? String == "ns/param")
        #expect(details["adamw_ns_per_param_4096"] == nil, "--only lion… ran AdamW too")
        #expect(details["lion_ns_per_param_4M_t1"] == nil)
        // The speed-up is the scalar loop's time over the kernel's, per repetition.
        let simd = try #require(root["lion_ns_per_param_4096"] as? Double)
        let scalar = try #require(root["lion_scalar_ns_per_param_4096"] as? Double)
        let speedup = try #require(root["lion_simd_speedup_4096"] as? Double)
        #expect(abs(speedup / (scalar / simd) - 1) < 0.5, "\(speedup) vs \(scalar / simd)")
    }
}
