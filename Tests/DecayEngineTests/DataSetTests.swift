import Foundation
import Testing
@testable import DecayEngine

@Suite("Synthetic data sets")
struct DataSetTests {
    @Test(arguments: DataSpec.Kind.allCases)
    func sizesFollowTheSpec(kind: DataSpec.Kind) {
        let spec = DataSpec.defaults(kind)
        let d = DataSet.generate(spec, seed: 11)
        #expect(d.trainX.rows == spec.trainCount && d.trainY.rows == spec.trainCount)
        #expect(d.validationX.rows == spec.validationCount && d.validationY.rows == spec.validationCount)
        #expect(d.trainY.columns == 1 && d.validationY.columns == 1)
        let width: Int = switch kind {
        case .linearRegression: spec.inputs
        case .polynomial: spec.degree
        case .moons, .spirals: 2
        case .tokens: spec.sequenceLength
        }
        #expect(d.inputWidth == width && d.validationX.columns == width)
        #expect(d.trainX.storage.allSatisfy(\.isFinite) && d.trainY.storage.allSatisfy(\.isFinite))
        if spec.isClassification {
            let classes = kind == .spirals ? spec.classes : 2
            #expect(d.outputWidth == classes)
            for y in d.trainY.storage + d.validationY.storage {
                #expect(y == y.rounded() && y >= 0 && Int(y) < classes)
            }
        } else {
            #expect(d.outputWidth == 1)
        }
        #expect(d.tokenInputs == (kind == .tokens))
        // Same seed, same data; another seed, other data.
        #expect(DataSet.generate(spec, seed: 11).trainX == d.trainX)
        #expect(DataSet.generate(spec, seed: 12).trainX != d.trainX)
    }

    /// y = 0.05 + Σ 0.01·xᵢ + ε: with 4000 rows, least squares recovers the
    /// weights to a standard error of σ/√n ≈ 1.6e-4, and the residuals have
    /// the noise's standard deviation.
    @Test func linearRegressionWeightsAreRecoverable() {
        let inputs = 5, n = 4000
        let d = DataSet.generate(DataSpec(kind: .linearRegression, trainCount: n, validationCount: 10, inputs: inputs, noise: 0.01), seed: 3)
        // Normal equations for [x, 1]·β = y, in Double.
        let k = inputs + 1
        var a = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k)
        for i in 0..<n {
            let row = d.trainX.row(i).map(Double.init) + [1]
            let y = Double(d.trainY[i, 0])
            for r in 0..<k {
                for c in 0..<k { a[r][c] += row[r] * row[c] }
                a[r][k] += row[r] * y
            }
        }
        for col in 0..<k {   // Gaussian elimination with partial pivoting
            let pivot = (col..<k).max { abs(a[$0][col]) < abs(a[$1][col]) }!
            a.swapAt(col, pivot)
            for r in 0..<k where r != col {
                let f = a[r][col] / a[col][col]
                for c in col...k { a[r][c] -= f * a[col][c] }
            }
        }
        let beta = (0..<k).map { a[$0][k] / a[$0][$0] }
        for j in 0..<inputs { #expect(abs(beta[j] - 0.01) < 1e-3, "w[\(j)] = \(beta[j])") }
        #expect(abs(beta[inputs] - 0.05) < 1e-3, "b = \(beta[inputs])")
        var sse = 0.0
        for i in 0..<n {
            let prediction = zip(d.trainX.row(i), beta).reduce(beta[inputs]) { $0 + Double($1.0) * $1.1 }
            sse += pow(Double(d.trainY[i, 0]) - prediction, 2)
        }
        let sigma = (sse / Double(n - k)).squareRoot()
        #expect(abs(sigma - 0.01) < 0.001, "residual std \(sigma)")
    }

    /// Features are xᵏ of the row's coordinate; targets are the curve plus
    /// noise of the given size; training points are spread one per bin.
    @Test func polynomialFeaturesAndNoise() {
        let spec = DataSpec(kind: .polynomial, trainCount: 2000, validationCount: 2000, degree: 5, noise: 0.15)
        let d = DataSet.generate(spec, seed: 4)
        for (i, x) in d.trainCoordinate.enumerated() {
            for k in 0..<5 {
                #expect(abs(d.trainX[i, k] - Float(pow(Double(x), Double(k + 1)))) <= 1e-6)
            }
            let lo = -1 + 2 * Float(i) / Float(spec.trainCount), hi = -1 + 2 * Float(i + 1) / Float(spec.trainCount)
            #expect(x >= lo - 1e-6 && x <= hi + 1e-6, "train point \(i) at \(x) outside its bin")
        }
        let residuals = d.validationCoordinate.indices.map {
            Double(d.validationY[$0, 0]) - DataSet.polynomialTruth(Double(d.validationCoordinate[$0]))
        }
        let mean = residuals.reduce(0, +) / Double(residuals.count)
        let std = (residuals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(residuals.count)).squareRoot()
        #expect(abs(mean) < 0.02 && abs(std - 0.15) < 0.01, "noise mean \(mean), std \(std)")
        #expect(d.validationCoordinate.allSatisfy { $0 >= -1 && $0 <= 1 })
    }

    /// Without noise the two moons lie on their circles; validation classes
    /// alternate (exactly balanced); a fraction `labelNoise` of the training
    /// labels is flipped.
    @Test func moonsGeometryBalanceAndLabelNoise() {
        let clean = DataSet.generate(DataSpec(kind: .moons, trainCount: 200, validationCount: 200, noise: 0, labelNoise: 0), seed: 5)
        for i in 0..<200 {
            let a = Double(clean.validationX[i, 0]), b = Double(clean.validationX[i, 1])
            if clean.validationY[i, 0] == 0 {
                #expect(abs(a * a + b * b - 1) < 1e-5 && b >= -1e-6)
            } else {
                #expect(abs((a - 1) * (a - 1) + (b - 0.5) * (b - 0.5) - 1) < 1e-5 && b <= 0.5 + 1e-6)
            }
        }
        let n = 4000, noise: Float = 0.1
        let d = DataSet.generate(DataSpec(kind: .moons, trainCount: n, validationCount: 1000, labelNoise: noise), seed: 6)
        #expect(d.validationY.storage.filter { $0 == 1 }.count == 500)
        #expect((0..<1000).allSatisfy { d.validationY[$0, 0] == Float($0 % 2) }, "validation labels are clean")
        let flipped = Double((0..<n).filter { d.trainY[$0, 0] != Float($0 % 2) }.count) / Double(n)
        let sigma = (Double(noise) * Double(1 - noise) / Double(n)).squareRoot()
        #expect(abs(flipped - Double(noise)) < 4 * sigma, "flipped \(flipped)")
    }

    @Test func spiralsBalanceGeometryAndLabelNoise() {
        let k = 3, n = 3000, noise: Float = 0.05
        let clean = DataSet.generate(DataSpec(kind: .spirals, trainCount: 30, validationCount: 300, noise: 0, labelNoise: 0, classes: k), seed: 7)
        for i in 0..<300 {
            let a = Double(clean.validationX[i, 0]), b = Double(clean.validationX[i, 1])
            let r = (a * a + b * b).squareRoot()
            let arm = Int(clean.validationY[i, 0])
            // angle = 2π·arm/k + 4r (mod 2π)
            let expected = 2 * Double.pi * Double(arm) / Double(k) + 4 * r
            let diff = remainder(atan2(b, a) - expected, 2 * Double.pi)
            #expect(abs(diff) < 1e-4 && r >= 0.05 - 1e-6 && r <= 1 + 1e-6)
        }
        let d = DataSet.generate(DataSpec(kind: .spirals, trainCount: n, validationCount: 3 * 301, labelNoise: noise, classes: k), seed: 8)
        let counts = (0..<k).map { c in d.validationY.storage.filter { Int($0) == c }.count }
        #expect(counts == [301, 301, 301])
        let flipped = Double((0..<n).filter { Int(d.trainY[$0, 0]) != $0 % k }.count) / Double(n)
        let sigma = (Double(noise) * Double(1 - noise) / Double(n)).squareRoot()
        #expect(abs(flipped - Double(noise)) < 4 * sigma, "flipped \(flipped)")
    }

    /// Zipf: token of rank r (id r − 1) has probability (1/r)/H_V. With
    /// V = 400 the ten most frequent tokens carry H₁₀/H₄₀₀ ≈ 44.6 % of all
    /// occurrences, and most of the vocabulary is rare.
    @Test func tokenFrequenciesAreLongTailed() {
        let spec = DataSpec(kind: .tokens, trainCount: 300, validationCount: 600, vocabulary: 400, sequenceLength: 8)
        let d = DataSet.generate(spec, seed: 9)
        var counts = [Int](repeating: 0, count: 400)
        for t in d.trainX.storage {
            #expect(t == t.rounded() && t >= 0 && t < 400)
            counts[Int(t)] += 1
        }
        let total = Double(d.trainX.count)
        let harmonic = { (m: Int) in (1...m).reduce(0.0) { $0 + 1 / Double($1) } }
        let top10 = Double(counts.sorted(by: >).prefix(10).reduce(0, +)) / total
        #expect(abs(top10 - harmonic(10) / harmonic(400)) < 0.04, "top-10 share \(top10)")
        let rare = counts.filter { $0 <= 2 }.count
        // Expected count of rank r is 2400/(6.57·r): ≤ 2 from r ≈ 180 on.
        #expect(rare >= 150, "only \(rare) tokens appear at most twice")
        // The most frequent token is rank 1, id 0.
        #expect(counts.firstIndex(of: counts.max()!) == 0)
        let positives = Double(d.validationY.storage.filter { $0 == 1 }.count) / Double(spec.validationCount)
        #expect(positives > 0.2 && positives < 0.8, "classes badly unbalanced: \(positives)")
    }
}
