import Testing
@testable import DecayEngine
@testable import DecayKernels

// The three products of a linear layer against triple loops in Double, on
// every shape with each of n (rows), k (inputs), m (outputs) drawn from
// {1, 2, 3, 15, 16, 17, 33} — below, at and across the 16-lane chunk and the
// 4-row blocking — plus seeded random shapes. Each entry is a sum of
// products that the kernels may associate differently from the loop here,
// so each is held to the summation bound γ·Σ|terms| (Higham §3.1), with
// γ = (terms + 2)·u, rather than to bit equality.

private let edgeSizes = [1, 2, 3, 15, 16, 17, 33]
private let u = Double(Float.ulpOfOne) / 2

private func shapes() -> [(n: Int, k: Int, m: Int)] {
    var out: [(Int, Int, Int)] = []
    for n in edgeSizes { for k in edgeSizes { for m in edgeSizes { out.append((n, k, m)) } } }
    var rng = TestRandom(seed: 31)
    for _ in 0..<40 { out.append((1 + rng.int(40), 1 + rng.int(70), 1 + rng.int(40))) }
    return out
}

/// |got − Σ terms| ≤ (count + 2)·u·Σ|terms|.
private func withinSummationBound(_ got: Float, _ terms: [Double]) -> Bool {
    let exact = terms.reduce(0, +)
    let magnitude = terms.reduce(0) { $0 + abs($1) }
    return abs(Double(got) - exact) <= Double(terms.count + 2) * u * magnitude
}

@Suite("LinearAlgebra equals the triple loop")
struct LinearAlgebraTests {
    @Test(arguments: [true, false])
    func forward(withBias: Bool) {
        var rng = TestRandom(seed: withBias ? 32 : 33)
        for (n, k, m) in shapes() {
            let x = rng.floats(n * k, -2, 2), w = rng.floats(m * k), b = rng.floats(m)
            var y = [Float](repeating: .nan, count: n * m)
            x.read { px in
                w.read { pw in
                    y.withUnsafeMutableBufferPointer { py in
                        if withBias {
                            b.read { pb in LinearAlgebra.forward(x: px, rows: n, inputs: k, weight: pw, bias: pb, outputs: m, into: py) }
                        } else {
                            LinearAlgebra.forward(x: px, rows: n, inputs: k, weight: pw, bias: nil, outputs: m, into: py)
                        }
                    }
                }
            }
            var bad = 0
            for i in 0..<n {
                for o in 0..<m {
                    var terms = (0..<k).map { Double(x[i * k + $0]) * Double(w[o * k + $0]) }
                    if withBias { terms.append(Double(b[o])) }
                    if !withinSummationBound(y[i * m + o], terms) { bad += 1 }
                }
            }
            #expect(bad == 0, "forward n=\(n) k=\(k) m=\(m) bias=\(withBias): \(bad) entries off")
        }
    }

    /// dW and db accumulate: they start from nonzero values and must end at
    /// start + Σᵢ dY[i][o]·X[i][:].
    @Test(arguments: [true, false])
    func weightGradientAccumulates(withBias: Bool) {
        var rng = TestRandom(seed: withBias ? 34 : 35)
        for (n, k, m) in shapes() {
            let x = rng.floats(n * k, -2, 2), dy = rng.floats(n * m)
            let dw0 = rng.floats(m * k), db0 = rng.floats(m)
            var dw = dw0, db = db0
            x.read { px in
                dy.read { pdy in
                    dw.withUnsafeMutableBufferPointer { pdw in
                        if withBias {
                            db.withUnsafeMutableBufferPointer { pdb in
                                LinearAlgebra.accumulateWeightGradient(
                                    x: px, rows: n, inputs: k, outputGradient: pdy, outputs: m, weightGradient: pdw, biasGradient: pdb)
                            }
                        } else {
                            LinearAlgebra.accumulateWeightGradient(
                                x: px, rows: n, inputs: k, outputGradient: pdy, outputs: m, weightGradient: pdw, biasGradient: nil)
                        }
                    }
                }
            }
            var bad = 0
            for o in 0..<m {
                for j in 0..<k {
                    let terms = [Double(dw0[o * k + j])] + (0..<n).map { Double(dy[$0 * m + o]) * Double(x[$0 * k + j]) }
                    if !withinSummationBound(dw[o * k + j], terms) { bad += 1 }
                }
                if withBias {
                    let terms = [Double(db0[o])] + (0..<n).map { Double(dy[$0 * m + o]) }
                    if !withinSummationBound(db[o], terms) { bad += 1 }
                }
            }
            #expect(bad == 0, "weight gradient n=\(n) k=\(k) m=\(m) bias=\(withBias): \(bad) entries off")
            if !withBias { #expect(bitwiseEqual(db, db0), "db must be untouched without a bias") }
        }
    }

    @Test func inputGradient() {
        var rng = TestRandom(seed: 36)
        for (n, k, m) in shapes() {
            let dy = rng.floats(n * m, -2, 2), w = rng.floats(m * k)
            var dx = [Float](repeating: .nan, count: n * k)   // overwritten, not accumulated
            dy.read { pdy in
                w.read { pw in
                    dx.withUnsafeMutableBufferPointer { pdx in
                        LinearAlgebra.inputGradient(outputGradient: pdy, rows: n, outputs: m, weight: pw, inputs: k, into: pdx)
                    }
                }
            }
            var bad = 0
            for i in 0..<n {
                for j in 0..<k {
                    let terms = (0..<m).map { Double(dy[i * m + $0]) * Double(w[$0 * k + j]) }
                    if !withinSummationBound(dx[i * k + j], terms) { bad += 1 }
                }
            }
            #expect(bad == 0, "input gradient n=\(n) k=\(k) m=\(m): \(bad) entries off")
        }
    }
}
