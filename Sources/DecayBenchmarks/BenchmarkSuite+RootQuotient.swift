import DecayKernels

extension BenchmarkSuite {
    /// The AdamW step on 4096 in-cache parameters beside its floor on this
    /// CPU: the same number of elements through one exact √ and one exact ÷
    /// each and nothing else (`Kernels.rootQuotient`). The two alternate,
    /// repetition by repetition, so the ratio is taken under the same load.
    /// A target below the floor cannot be met by a step that rounds as
    /// PyTorch's does; the note says when that is so here.
    func rootQuotientFloor(reps: Int, target: Double?) -> [Measurement] {
        let n = 4096
        let buffers = UpdateBuffers(count: n)
        let radicands = (0..<n).map { Float($0 % 97) * 1e-6 + 1e-5 }
        var out = [Float](repeating: 0, count: n)
        let inner = max(1, 1_000_000 / n)
        var t = 0
        var adam: [Double] = [], floor: [Double] = []
        buffers.withPointers { p, g, m, v in
            radicands.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { o in
                    func adamW() {
                        for _ in 0..<inner {
                            t += 1
                            Kernels.adamW(parameters: p, gradients: g, firstMoment: m, secondMoment: v, learningRate: 1e-3,
                                          decayFactor: 0.99999, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: t)
                        }
                    }
                    func quotients() {
                        for _ in 0..<inner { Kernels.rootQuotient(g, b, scale: 31.6, epsilon: 1e-8, into: o) }
                    }
                    for _ in 0..<3 { adamW(); quotients() }
                    for _ in 0..<reps {
                        adam.append(Self.seconds(adamW))
                        floor.append(Self.seconds(quotients))
                    }
                }
            }
        }
        let perParam = { (s: Double) in s * 1e9 / Double(n * inner) }
        var floorFigure = Measurement(
            key: "adamw_root_quotient_floor_ns_per_param_4096", label: "√ and ÷ alone, 4096 (AdamW's floor)",
            unit: "ns/param", higherIsBetter: false, samples: floor.map(perParam),
            note: "Kernels.rootQuotient: one vsqrtps and one vdivps per element, with its loads and store")
        if let target, floorFigure.median > target {
            floorFigure.note += "; AdamW's target \(target) is below this floor here"
        }
        return [
            floorFigure,
            Measurement(key: "adamw_4096_over_floor", label: "AdamW, 4096, over its √/÷ floor", unit: "×",
                        higherIsBetter: false, samples: zip(adam, floor).map { $0 / $1 },
                        note: "per-repetition ratio, the two alternating in the same process"),
        ]
    }
}
