import Foundation
@testable import DecayEngine
import SeededRandom

// Helpers shared by the engine tests. Nothing here computes an expected value
// from the engine itself: random inputs come from the tests' own generator
// and the comparisons are plain arithmetic.

/// The tests' SplitMix64 (independent of the engine's generators), with
/// the draws the engine tests use.
typealias TestRandom = SplitMix64

extension SplitMix64 {
    /// Uniform in [lo, hi).
    mutating func float(_ lo: Float = -1, _ hi: Float = 1) -> Float {
        let u = Double(next() >> 11) * 0x1.0p-53
        return Float(Double(lo) + (Double(hi) - Double(lo)) * u)
    }

    mutating func floats(_ n: Int, _ lo: Float = -1, _ hi: Float = 1) -> [Float] {
        (0..<n).map { _ in float(lo, hi) }
    }

    /// Floats spread over many binades (sign, exponent and mantissa random),
    /// which exposes reassociation and rounding differences that values of
    /// one magnitude hide.
    mutating func wideFloats(_ n: Int) -> [Float] {
        (0..<n).map { _ in
            let m = float(1, 2)
            let e = Int(next() % 13) - 6
            return (next() & 1 == 0 ? 1 : -1) * m * Float(sign: .plus, exponent: e, significand: 1)
        }
    }

    mutating func int(_ upperBound: Int) -> Int { Int(next() % UInt64(upperBound)) }
}

/// Distance in units in the last place between two finite Floats of the
/// same sign (0 when bit-identical).
func ulpDistance(_ a: Float, _ b: Float) -> Int {
    if a == b { return 0 }
    func ordered(_ x: Float) -> Int64 {
        let bits = Int64(Int32(bitPattern: x.bitPattern))
        return bits < 0 ? Int64(Int32.min) - bits : bits
    }
    return Int(abs(ordered(a) - ordered(b)))
}

/// Bitwise equality of two Float arrays (NaN payloads included).
func bitwiseEqual(_ a: [Float], _ b: [Float]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}

/// Index and values of the first position where two arrays differ bitwise.
func firstBitDifference(_ a: [Float], _ b: [Float]) -> String? {
    if a.count != b.count { return "lengths \(a.count) vs \(b.count)" }
    for i in a.indices where a[i].bitPattern != b[i].bitPattern { return "index \(i): \(a[i]) vs \(b[i])" }
    return nil
}

/// The Float bit patterns of everything a history entry records, so two
/// histories can be compared bit for bit (`==` on Floats fails on NaN, and
/// absent groups are NaN).
func bits(_ e: HistoryEntry) -> [UInt32] {
    var out: [UInt32] = [UInt32(truncatingIfNeeded: e.step)]
    out += [e.learningRate, e.weightDecay].map(\.bitPattern)
    out += e.layout.metrics.map { e.recorded($0)!.bitPattern }
    return out
}

func bits(_ h: History) -> [[UInt32]] { h.map(bits) }

extension Array where Element == Float {
    func read<R>(_ body: (UnsafeBufferPointer<Float>) -> R) -> R { withUnsafeBufferPointer(body) }
}

/// All parameter values of a network, concatenated in parameter order.
func flatParameters(_ n: Network) -> [Float] { n.parameters.flatMap(\.value) }

/// A small data set built by hand (regression when `classes` is nil).
func handDataSet(trainX: [[Float]], trainY: [Float], valX: [[Float]], valY: [Float], classification: Bool) -> DataSet {
    let spec = DataSpec(kind: classification ? .moons : .linearRegression)
    return DataSet(
        spec: spec, trainX: Matrix(trainX), trainY: Matrix(rows: trainY.count, columns: 1, storage: trainY),
        validationX: Matrix(valX), validationY: Matrix(rows: valY.count, columns: 1, storage: valY))
}

/// Relative difference with an absolute floor: |a − b| / max(|b|, floor).
func relativeDifference(_ a: Double, _ b: Double, floor: Double) -> Double {
    abs(a - b) / max(abs(b), floor)
}
