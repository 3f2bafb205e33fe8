import Foundation
import Testing

@Suite struct BenchFloorTests {
    /// The in-cache AdamW figure comes with its √/÷ floor and the ratio of
    /// the two, and the floor's note names the kernel it timed.
    @Test func adamWHasItsFloorBesideIt() throws {
        let bench = try BenchJSON(
            only: ["adamw_ns_per_param_4096"],
            figures: ["adamw_ns_per_param_4096", "adamw_root_quotient_floor_ns_per_param_4096", "adamw_4096_over_floor"])
        let (root, details) = (bench.root, bench.details)
        let floor = try #require(details["adamw_root_quotient_floor_ns_per_param_4096"])
        #expect(floor["unit"] as? String == "ns/param")
        #expect((floor["note"] as? String)?.contains("Kernels.rootQuotient") == true, "\(floor)")
        // A step that also loads, stores and updates moments cannot beat its √ and ÷ alone by much.
        let ratio = try #require(root["adamw_4096_over_floor"] as? Double)
        #expect(ratio > 0.5, "AdamW at \(ratio)× its floor")
    }

    /// The sweep's three 64 × 64 × 200 products come with the time the same
    /// number of multiply-adds takes at the FMA peak, timed alternately in
    /// the same run, and with the ratio of the two.
    @Test func productsHaveTheFMAPeakBesideThem() throws {
        let details = try BenchJSON(
            only: ["product"],
            figures: ["product_fma_peak_us_64x64x200", "product_forward_us_64x64x200",
                      "product_input_gradient_us_64x64x200", "product_weight_gradient_us_64x64x200",
                      "products_over_fma_peak_64x64x200"]).details
        #expect(details["product_forward_us_64x64x200"]?["unit"] as? String == "µs")
        #expect((details["products_over_fma_peak_64x64x200"]?["note"] as? String)?.contains("alternating") == true)
    }
}
