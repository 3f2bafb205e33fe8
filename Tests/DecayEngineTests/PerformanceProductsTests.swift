import Testing
import DecayKernels
@testable import DecayEngine
@testable import DecayKernels
@testable import DecayBenchmarks

// The register-blocked products and the fused/threaded updates against plain
// loops (fused multiply-adds in reduction order, so the comparison is exact),
// with both tilings (8-lane 6×16 tiles for AVX2/NEON, 16-lane 4×64 panels
// for AVX-512) whatever this machine is, on shapes that exercise every
// edge: rows not a multiple of the 4-, 6- or 8-row blocks (every remainder
// 1…5 of 6), columns not a multiple of 8, 16 or 64, a reduction longer than
// the 256-row packing block, tiny and empty dimensions, the lesson shapes
// (2-wide inputs, 64×64, 200×20) and the skinny LoRA shapes (rank 1…64
// against 64 or 256 rows).
@Suite("Register-blocked products equal plain loops")
struct PerformanceProductsTests {
    static let shapes: [(n: Int, k: Int, m: Int)] = [
        (1, 1, 1), (3, 2, 64), (256, 2, 64), (256, 64, 64), (256, 64, 2), (20, 200, 1), (5, 17, 33),
        (9, 16, 16), (13, 67, 7), (7, 5, 129), (8, 64, 8), (0, 4, 4), (4, 0, 3), (17, 31, 65), (2, 100, 3),
        (11, 9, 23), (10, 24, 40), (257, 64, 64), (600, 19, 21), (23, 600, 9),
        (256, 64, 1), (256, 64, 8), (256, 8, 64), (256, 1, 64), (64, 256, 8), (256, 64, 16), (256, 16, 64),
        (256, 64, 24), (256, 3, 64), (64, 64, 64), (65, 7, 256),
    ]

    static let cases: [(shape: Int, tiling: LinearAlgebra.Tiling)] =
        shapes.indices.flatMap { i in LinearAlgebra.Tiling.allCases.map { (i, $0) } }

    static func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { i in Float((i * 7919 + seed * 104_729) % 2001) / 1000 - 1 }
    }

    @Test("forward = b + Σₖ x·w", arguments: cases.indices)
    func forward(index: Int) {
        let (shape, tiling) = Self.cases[index]
        let (n, k, m) = Self.shapes[shape]
        let x = Self.values(n * k, seed: 1), w = Self.values(m * k, seed: 2), b = Self.values(m, seed: 3)
        var y = [Float](repeating: .nan, count: n * m)
        x.withUnsafeBufferPointer { px in
            w.withUnsafeBufferPointer { pw in
                b.withUnsafeBufferPointer { pb in
                    y.withUnsafeMutableBufferPointer { py in
                        LinearAlgebra.forward(x: px, rows: n, inputs: k, weight: pw, bias: pb, outputs: m, into: py,
                                             tiling: tiling)
                    }
                }
            }
        }
        let reassociated = m < 8 && k >= 16
        var off = 0, first = ""
        for i in 0..<n {
            for o in 0..<m {
                var s = b[o]
                for j in 0..<k { s.addProduct(x[i * k + j], w[o * k + j]) }
                let ok = reassociated ? abs(y[i * m + o] - s) <= 1e-5 * Float(k) : y[i * m + o] == s
                if !ok { off += 1; if first.isEmpty { first = "y[\(i)][\(o)] = \(y[i * m + o]), loop \(s)" } }
            }
        }
        #expect(off == 0, "(\(n),\(k),\(m)) \(tiling): \(off) entries not the k-order sum, first \(first)")
    }

    @Test("dW += dYᵀ·X, db += Σ dY, dX = dY·W, in reduction order", arguments: cases.indices)
    func gradients(index: Int) {
        let (shape, tiling) = Self.cases[index]
        let (n, k, m) = Self.shapes[shape]
        let x = Self.values(n * k, seed: 4), dy = Self.values(n * m, seed: 5), w = Self.values(m * k, seed: 6)
        let dw0 = Self.values(m * k, seed: 7), db0 = Self.values(m, seed: 8)
        var dw = dw0, db = db0, dx = [Float](repeating: .nan, count: n * k)
        x.withUnsafeBufferPointer { px in
            dy.withUnsafeBufferPointer { pdy in
                dw.withUnsafeMutableBufferPointer { pdw in
                    db.withUnsafeMutableBufferPointer { pdb in
                        LinearAlgebra.accumulateWeightGradient(
                            x: px, rows: n, inputs: k, outputGradient: pdy, outputs: m,
                            weightGradient: pdw, biasGradient: pdb, tiling: tiling)
                    }
                }
                w.withUnsafeBufferPointer { pw in
                    dx.withUnsafeMutableBufferPointer { pdx in
                        LinearAlgebra.inputGradient(outputGradient: pdy, rows: n, outputs: m, weight: pw, inputs: k, into: pdx,
                                                   tiling: tiling)
                    }
                }
            }
        }
        var off: [String: Int] = [:]
        for o in 0..<m {
            var sb = db0[o]
            for i in 0..<n { sb += dy[i * m + o] }
            if db[o] != sb { off["db", default: 0] += 1 }
            for j in 0..<k {
                var s = dw0[o * k + j]
                for i in 0..<n { s.addProduct(dy[i * m + o], x[i * k + j]) }
                if dw[o * k + j] != s { off["dW", default: 0] += 1 }
            }
        }
        for i in 0..<n {
            for j in 0..<k {
                var s: Float = 0
                for o in 0..<m { s.addProduct(dy[i * m + o], w[o * k + j]) }
                if dx[i * k + j] != s { off["dX", default: 0] += 1 }
            }
        }
        #expect(off.isEmpty, "(\(n),\(k),\(m)) \(tiling): entries not the reduction-order sum: \(off)")
    }

    /// The fused AdamW kernel is `scale` then `adam`, bit for bit, at every
    /// length including the tails 0…17 and a two-chunk body.
    @Test(arguments: Array(0...17) + [32, 33, 47, 1000])
    func fusedAdamWEqualsScaleThenAdam(n: Int) {
        var p1 = Self.values(n, seed: 9), m1 = Self.values(n, seed: 10).map { $0 * 0.01 }
        var v1 = Self.values(n, seed: 11).map { $0 * $0 * 0.001 }
        let g = Self.values(n, seed: 12)
        var p2 = p1, m2 = m1, v2 = v1, p3 = p1, m3 = m1, v3 = v1
        let f = Float(1 - 1e-3 * 0.1)
        for t in 1...3 {
            g.withUnsafeBufferPointer { pg in
                p1.withUnsafeMutableBufferPointer { pp in
                    m1.withUnsafeMutableBufferPointer { pm in
                        v1.withUnsafeMutableBufferPointer { pv in
                            Kernels.scale(pp, by: f)
                            Kernels.adam(parameters: pp, gradients: pg, firstMoment: pm, secondMoment: pv,
                                         learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: t)
                        }
                    }
                }
                p2.withUnsafeMutableBufferPointer { pp in
                    m2.withUnsafeMutableBufferPointer { pm in
                        v2.withUnsafeMutableBufferPointer { pv in
                            Kernels.adamW(parameters: pp, gradients: pg, firstMoment: pm, secondMoment: pv,
                                          learningRate: 1e-3, decayFactor: f, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: t)
                        }
                    }
                }
                p3.withUnsafeMutableBufferPointer { pp in
                    m3.withUnsafeMutableBufferPointer { pm in
                        v3.withUnsafeMutableBufferPointer { pv in
                            _ = ScalarReference.adamW(parameters: pp, gradients: pg, firstMoment: pm, secondMoment: pv,
                                                      learningRate: 1e-3, decayFactor: f, beta1: 0.9, beta2: 0.999,
                                                      epsilon: 1e-8, step: t)
                        }
                    }
                }
            }
        }
        #expect(p1 == p2 && m1 == m2 && v1 == v2)
        #expect(p1 == p3 && m1 == m3 && v1 == v3)
    }
}
