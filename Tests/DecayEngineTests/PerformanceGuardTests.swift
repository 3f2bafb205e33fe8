import Testing
import BuildMode
import DecayKernels
@testable import DecayEngine
@testable import DecayBenchmarks

// A cheap guard against the SIMD update kernels silently becoming scalar
// (a lost `-fno-math-errno`, a rewrite into per-element code): the fused
// AdamW kernel must beat `ScalarReference.adamW` — the same arithmetic, one
// element at a time, kept scalar by its strict-order checksum — on 4096
// floats (in L1/L2), as a median over interleaved repetitions in this
// process. Ratios, not absolute times, so a loaded machine slows both sides.
//
// What runs where (measured on this machine, 4096 floats):
//   release (`swift test -c release`): SIMD ≈ 7× the scalar loop → assert ≥ 2.5×.
//   debug (`swift test`): both loops compiled at -Onone in the same module,
//   SIMD ≈ 0.04× the scalar loop: at -Onone every SIMD16 operation is an
//   unspecialized generic call, so a debug build cannot say anything about
//   the vector code the release build emits. The ratio assertion is
//   therefore enabled only in optimized builds (reported as skipped, with
//   this reason, under plain `swift test`); the bit-exactness checks below run
//   in both. CI runs the whole suite optimized (README, Test).

@Suite("SIMD kernels beat the scalar reference", .serialized)
struct PerformanceGuardTests {
    static let minimumSpeedup = 2.5

    /// Seconds for `body`, monotonic clock.
    static func time(_ body: () -> Void) -> Double {
        BenchmarkSuite.seconds(body)
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    @Test(.optimizedOnly("-Onone: SIMD16 is generic code; run swift test -c release --filter Performance"))
    func adamWBeatsScalarReference() {
        let n = 4096
        var p = (0..<n).map { Float($0 % 97) * 0.01 - 0.5 }
        let g = (0..<n).map { Float($0 % 89) * 0.001 - 0.04 }
        var m = [Float](repeating: 0.001, count: n), v = [Float](repeating: 0.0001, count: n)
        var sink: Float = 0
        var ratios: [Double] = []
        p.withUnsafeMutableBufferPointer { pp in
            g.withUnsafeBufferPointer { pg in
                m.withUnsafeMutableBufferPointer { pm in
                    v.withUnsafeMutableBufferPointer { pv in
                        var t = 0
                        func simd() {
                            t += 1
                            Kernels.adamW(parameters: pp, gradients: pg, firstMoment: pm, secondMoment: pv,
                                          learningRate: 1e-3, decayFactor: 0.9999, beta1: 0.9, beta2: 0.999,
                                          epsilon: 1e-8, step: t)
                        }
                        func scalar() {
                            t += 1
                            sink += ScalarReference.adamW(
                                parameters: pp, gradients: pg, firstMoment: pm, secondMoment: pv, learningRate: 1e-3,
                                decayFactor: 0.9999, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: t)
                        }
                        for _ in 0..<3 { simd(); scalar() }
                        // Interleaved so a burst of load hits both sides alike.
                        for _ in 0..<31 {
                            let a = Self.time { for _ in 0..<4 { simd() } }
                            let b = Self.time { for _ in 0..<4 { scalar() } }
                            ratios.append(b / a)
                        }
                    }
                }
            }
        }
        let speedup = Self.median(ratios)
        #expect(sink.isFinite)
        #expect(speedup >= Self.minimumSpeedup,
                "AdamW SIMD is only \(speedup)× the scalar loop (need ≥ \(Self.minimumSpeedup)×)")
    }

    /// Splitting across threads must not change a single bit.
    @Test func threadedUpdatesMatchSingleThreaded() {
        let n = 3 * Kernels.parallelGrain + 37
        let g = (0..<n).map { Float($0 % 83) * 0.002 - 0.08 }
        func run(threads: Int) -> [Float] {
            var p = (0..<n).map { Float($0 % 101) * 0.013 - 0.6 }
            var m = [Float](repeating: 0.002, count: n), v = [Float](repeating: 0.0003, count: n)
            var b = [Float](repeating: 0, count: n), q = p
            for t in 1...3 {
                g.withUnsafeBufferPointer { pg in
                    p.withUnsafeMutableBufferPointer { pp in
                        m.withUnsafeMutableBufferPointer { pm in
                            v.withUnsafeMutableBufferPointer { pv in
                                Kernels.adamW(parameters: pp, gradients: pg, firstMoment: pm, secondMoment: pv,
                                              learningRate: 1e-3, decayFactor: 0.999, beta1: 0.9, beta2: 0.999,
                                              epsilon: 1e-8, step: t, threads: threads)
                            }
                        }
                    }
                    q.withUnsafeMutableBufferPointer { pq in
                        b.withUnsafeMutableBufferPointer { pb in
                            Kernels.sgdMomentum(parameters: pq, gradients: pg, momentumBuffer: pb, learningRate: 0.01,
                                                momentum: 0.9, nesterov: t == 2, firstStep: t == 1, threads: threads)
                        }
                    }
                }
            }
            return p + m + v + q + b
        }
        #expect(run(threads: 1) == run(threads: 4))
    }
}
