import DecayKernels

/// Lion beside AdamW, at the same sizes: the SIMD kernel at 4M parameters
/// (out of cache, 1 and 2 threads) and at 4096 (in cache), and the scalar
/// reference loop at 4096 for the SIMD speed-up.
///
/// Lion moves 20 bytes per parameter (read p, g, m; write p, m) against
/// AdamW's 28 and has no divide or square root, so out of cache it should
/// run at about 20/28 of AdamW's time, and in cache well ahead of it.
extension BenchmarkSuite {
    static let lionKeys = [
        "lion_ns_per_param_4M_t1", "lion_ns_per_param_4M_t2",
        "lion_ns_per_param_4096", "lion_scalar_ns_per_param_4096", "lion_simd_speedup_4096",
    ]

    func lionMeasurements(reps: Int, progress: (String) -> Void) -> [Measurement] {
        var results: [Measurement] = []
        let large = 4 * 1024 * 1024
        if wants("lion_ns_per_param_4M") {
            progress("lion 4M")
            results.append(lion(count: large, threads: 1, reps: reps, key: "lion_ns_per_param_4M_t1",
                                label: "Lion, 4M params, 1 thread (fused)"))
            results.append(lion(count: large, threads: 2, reps: reps, key: "lion_ns_per_param_4M_t2",
                                label: "Lion, 4M params, 2 threads (fused)"))
        }
        if wants("lion_ns_per_param_4096", "lion_scalar", "lion_simd_speedup") {
            progress("lion 4096")
            let small = lion(count: 4096, threads: 1, reps: reps * 2, key: "lion_ns_per_param_4096",
                             label: "Lion, 4096 params (in cache)")
            let scalar = scalarLion(count: 4096, reps: reps * 2)
            results += [small, scalar]
            results.append(Measurement(
                key: "lion_simd_speedup_4096", label: "Lion SIMD speed-up over scalar, 4096", unit: "×",
                higherIsBetter: true, samples: zip(scalar.samples, small.samples).map { $0 / $1 },
                note: "per-repetition ratio, same process"))
        }
        return results
    }

    /// `Kernels.lion` with decoupled decay, lion-pytorch's defaults (betas 0.9, 0.99).
    func lion(count n: Int, threads: Int, reps: Int, key: String, label: String) -> Measurement {
        let buffers = UpdateBuffers(count: n)
        // Small tensors: time many steps per sample so each sample is ~1 ms.
        let inner = max(1, 1_000_000 / n)
        let samples = buffers.withPointers { p, g, m, _ in
            Self.repeatTimed(warmup: 3, reps: reps) {
                for _ in 0..<inner {
                    Kernels.lion(parameters: p, gradients: g, momentum: m, learningRate: 1e-4,
                                 beta1: 0.9, beta2: 0.99, decayFactor: 0.99999, threads: threads)
                }
            }
        }
        return Measurement(
            key: key, label: label, unit: "ns/param", higherIsBetter: false,
            samples: samples.map { $0 * 1e9 / Double(n * inner) },
            note: "Kernels.lion, threads: \(threads); 20 B/param moved")
    }

    func scalarLion(count n: Int, reps: Int) -> Measurement {
        let buffers = UpdateBuffers(count: n)
        let inner = max(1, 200_000 / n)
        var sink: Float = 0
        let samples = buffers.withPointers { p, g, m, _ in
            Self.repeatTimed(warmup: 3, reps: reps) {
                for _ in 0..<inner {
                    sink += ScalarReference.lion(parameters: p, gradients: g, momentum: m, learningRate: 1e-4,
                                                 beta1: 0.9, beta2: 0.99, decayFactor: 0.99999)
                }
            }
        }
        return Measurement(
            key: "lion_scalar_ns_per_param_4096", label: "Lion, 4096 params, scalar loop", unit: "ns/param",
            higherIsBetter: false, samples: samples.map { $0 * 1e9 / Double(n * inner) },
            note: "ScalarReference.lion (checksum \(sink.isFinite ? "finite" : "non-finite"))")
    }
}

extension BenchmarkSuite.UpdateBuffers {
    /// The four buffers as the kernels take them, for the length of `body`.
    func withPointers<R>(
        _ body: (UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>,
                 UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> R
    ) -> R {
        p.withUnsafeMutableBufferPointer { p in
            g.withUnsafeBufferPointer { g in
                m.withUnsafeMutableBufferPointer { m in
                    v.withUnsafeMutableBufferPointer { v in body(p, g, m, v) }
                }
            }
        }
    }
}
