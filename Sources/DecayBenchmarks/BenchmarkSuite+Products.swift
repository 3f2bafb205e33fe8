import DecayKernels

extension BenchmarkSuite {
    static let productKeys = [
        "product_fma_peak_us_64x64x200", "product_forward_us_64x64x200",
        "product_input_gradient_us_64x64x200", "product_weight_gradient_us_64x64x200",
        "products_over_fma_peak_64x64x200",
    ]

    /// `products`, when `only` asks for one of its keys (or for everything).
    func productMeasurements(reps: Int, progress: (String) -> Void) -> [Measurement] {
        guard wants("product") else { return [] }
        progress("products")
        return products(reps: reps)
    }

    /// The three products of the sweep's 64 × 64 layer at 200 points, each
    /// in cache and alone, beside the time the same number of fused
    /// multiply-adds takes at this CPU's peak (`Kernels.fmaPeak`: twelve
    /// independent 8-lane chains fed by broadcasts, as the register tile is,
    /// without its loads of B). The four alternate repetition by repetition,
    /// so the ratio is taken under the same load and clock.
    func products(reps: Int) -> [Measurement] {
        let n = 200, k = 64, m = 64
        var x = [Float](repeating: 0, count: n * k), w = [Float](repeating: 0, count: m * k)
        var dy = [Float](repeating: 0, count: n * m), bias = [Float](repeating: 0.5, count: m)
        for i in x.indices { x[i] = Float(i % 13) * 0.01 - 0.05 }
        for i in w.indices { w[i] = Float(i % 7) * 0.02 - 0.06 }
        for i in dy.indices { dy[i] = Float(i % 11) * 0.003 - 0.015 }
        var y = [Float](repeating: 0, count: n * m), dx = [Float](repeating: 0, count: n * k)
        var dw = [Float](repeating: 0, count: m * k)
        let inner = quick ? 4 : 20
        var sink: Float = 0
        var peak: [Double] = [], forward: [Double] = [], input: [Double] = [], weight: [Double] = []
        x.withUnsafeBufferPointer { px in
            w.withUnsafeBufferPointer { pw in
                dy.withUnsafeBufferPointer { pdy in
                    bias.withUnsafeBufferPointer { pb in
                        y.withUnsafeMutableBufferPointer { py in
                            dx.withUnsafeMutableBufferPointer { pdx in
                                dw.withUnsafeMutableBufferPointer { pdw in
                                    func f() {
                                        for _ in 0..<inner {
                                            LinearAlgebra.forward(x: px, rows: n, inputs: k, weight: pw, bias: pb,
                                                                  outputs: m, into: py)
                                        }
                                    }
                                    func i() {
                                        for _ in 0..<inner {
                                            LinearAlgebra.inputGradient(outputGradient: pdy, rows: n, outputs: m,
                                                                        weight: pw, inputs: k, into: pdx)
                                        }
                                    }
                                    func g() {
                                        for _ in 0..<inner {
                                            LinearAlgebra.accumulateWeightGradient(
                                                x: px, rows: n, inputs: k, outputGradient: pdy, outputs: m,
                                                weightGradient: pdw, biasGradient: nil)
                                        }
                                    }
                                    func p() { for _ in 0..<inner { sink += Kernels.fmaPeak(fmas: n * k * m, a: px.baseAddress!) } }
                                    for _ in 0..<3 { f(); i(); g(); p() }
                                    for _ in 0..<(quick ? reps : reps * 4) {
                                        forward.append(Self.seconds(f))
                                        input.append(Self.seconds(i))
                                        weight.append(Self.seconds(g))
                                        peak.append(Self.seconds(p))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        withExtendedLifetime(sink) {}
        let us = { (s: Double) in s * 1e6 / Double(inner) }
        func figure(_ key: String, _ label: String, _ samples: [Double], _ note: String) -> Measurement {
            Measurement(key: key, label: label, unit: "µs", higherIsBetter: false, samples: samples.map(us), note: note)
        }
        var sums: [Double] = []
        for r in peak.indices {
            let three: Double = forward[r] + input[r] + weight[r]
            sums.append(three / (3 * peak[r]))
        }
        return [
            figure("product_fma_peak_us_64x64x200", "819,200 FMAs at the FMA peak", peak,
                   "12 independent 8-lane FMA chains fed by broadcasts, no loads of B: the time a 64×64×200 product cannot beat"),
            figure("product_forward_us_64x64x200", "Product: forward, 200×64 · (64×64)ᵀ", forward,
                   "LinearAlgebra.forward with bias, in cache"),
            figure("product_input_gradient_us_64x64x200", "Product: input gradient, 200×64 · 64×64", input,
                   "LinearAlgebra.inputGradient, in cache"),
            figure("product_weight_gradient_us_64x64x200", "Product: weight gradient, (200×64)ᵀ · 200×64", weight,
                   "LinearAlgebra.accumulateWeightGradient without the bias sums, in cache"),
            Measurement(key: "products_over_fma_peak_64x64x200", label: "The three products over the FMA peak",
                        unit: "×", higherIsBetter: false, samples: sums,
                        note: "mean of the three over the peak, per repetition, alternating in the same process"),
        ]
    }
}
