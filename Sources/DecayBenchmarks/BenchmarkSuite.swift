import Foundation
import DecayEngine
import DecayKernels
import DecayLessons
import DecayTUI

/// The engine's performance figures, each taken as repetitions after a
/// warm-up and reported as a median with its spread (`Measurement`).
///
/// Everything runs in one process so that ratios (SIMD vs scalar, AdamW vs
/// the triad bandwidth) compare like with like on a noisy machine.
public struct BenchmarkSuite {
    /// Fewer repetitions and smaller bandwidth arrays: a smoke test in seconds.
    public var quick: Bool

    /// Only benchmarks whose key contains one of these (empty: all).
    public var only: [String]

    /// The shipped lessons, for the first-frame and grid budgets (nil: skip them).
    public var lessons: LessonLibrary?

    /// PyTorch to run the training benchmarks beside, in the same run (nil: skip).
    public var pytorch: PyTorchPeer?

    public init(quick: Bool = false, only: [String] = [], lessons: LessonLibrary? = nil, pytorch: PyTorchPeer? = nil) {
        self.quick = quick
        self.only = only
        self.lessons = lessons
        self.pytorch = pytorch
    }

    func wants(_ keys: String...) -> Bool {
        only.isEmpty || keys.contains { key in only.contains { key.contains($0) } }
    }

    /// The keys `run` reports, in order.
    public static let keys = [
        "triad_gb_per_s", "triad_gb_per_s_t2",
        "adamw_ns_per_param_4M_t1", "adamw_ns_per_param_4M_t2", "adamw_two_pass_ns_per_param_4M_t1",
        "adamw_ns_per_param_4096", "pytorch_adamw_ns_per_param_4096", "adamw_4096_lead_over_pytorch",
        "adamw_scalar_ns_per_param_4096", "adamw_simd_speedup_4096",
        "adamw_root_quotient_floor_ns_per_param_4096", "adamw_4096_over_floor",
        "sgd_momentum_l2_ns_per_param_4M_t1",
    ] + lionKeys + productKeys + [
        "mlp_2_64_64_2_b256_adamw_steps_per_s", "pytorch_mlp_2_64_64_2_b256_adamw_steps_per_s",
        "mlp_2_64_64_2_b256_adamw_lead_over_pytorch",
        "linreg_200x20_sgd_l2_steps_per_s", "pytorch_linreg_200x20_sgd_l2_steps_per_s",
        "linreg_200x20_sgd_l2_lead_over_pytorch",
    ] + loraKeys + [
        "heatmap_sweep_seconds", "frame_ms_120x40", "pretrain_seconds", "pretrain_cached_ms",
        "first_frame_ms_slowest_step", "inspect_header_200k_seconds", "inspect_header_200k_peak_ratio",
        "inspect_header_70mb_seconds", "inspect_header_70mb_peak_ratio",
        // then estimate_margin_mb_NAME per generated lesson (BenchmarkSuite+EstimateBound)
        // then grid_L_S_first_cell_seconds and grid_L_S_complete_seconds per shipped step with a grid
    ]

    /// Runs every benchmark; `progress` hears each one's name as it starts.
    public func run(progress: (String) -> Void = { _ in }) -> BenchmarkReport {
        var results: [Measurement] = []
        func add(_ m: Measurement) { results.append(m) }
        let reps = quick ? 5 : 15

        if wants("triad") {
            progress("triad")
            add(triad(threads: 1, reps: reps))
            add(triad(threads: 2, reps: reps))
        }
        let large = 4 * 1024 * 1024
        if wants("adamw_ns_per_param_4M", "adamw_two_pass") {
            progress("adamw 4M")
            add(adamW(count: large, threads: 1, reps: reps, key: "adamw_ns_per_param_4M_t1",
                      label: "AdamW, 4M params, 1 thread (fused)", reference: 0.72, target: 0.60))
            add(adamW(count: large, threads: 2, reps: reps, key: "adamw_ns_per_param_4M_t2",
                      label: "AdamW, 4M params, 2 threads (fused)", reference: 0.46, target: 0.40))
            add(adamW(count: large, threads: 1, reps: reps, key: "adamw_two_pass_ns_per_param_4M_t1",
                      label: "AdamW, 4M, 1 thread, scale then adam", twoPass: true))
        }
        if wants("adamw_ns_per_param_4096", "adamw_scalar", "speedup", "adamw_root_quotient", "adamw_4096_over_floor") {
            progress("adamw 4096")
            let small = adamW(count: 4096, threads: 1, reps: reps * 2, key: "adamw_ns_per_param_4096",
                              label: "AdamW, 4096 params (in cache)", target: 0.3)
            let scalar = scalarAdamW(count: 4096, reps: reps * 2)
            add(small)
            results += pytorchAdamW(count: 4096, reps: reps, ours: small)
            add(scalar)
            add(Measurement(
                key: "adamw_simd_speedup_4096", label: "AdamW SIMD speed-up over scalar, 4096", unit: "×",
                higherIsBetter: true, samples: zip(scalar.samples, small.samples).map { $0 / $1 },
                note: "per-repetition ratio, same process"))
            results += rootQuotientFloor(reps: reps * 2, target: small.target)
        }
        results += lionMeasurements(reps: reps, progress: progress)
        if wants("sgd") {
            progress("sgd momentum")
            add(sgdMomentumL2(count: large, reps: reps))
        }
        results += productMeasurements(reps: reps, progress: progress)
        if wants("mlp_2_64_64_2_b256_adamw_steps_per_s", "pytorch_mlp", "mlp_2_64_64_2_b256_adamw_lead") {
            progress("mlp")
            results += trainingSteps(mlpWorkload, reps: reps)
        }
        if wants("linreg_200x20_sgd_l2_steps_per_s", "pytorch_linreg", "linreg_200x20_sgd_l2_lead") {
            progress("linreg")
            results += trainingSteps(linregWorkload, reps: reps)
        }
        results += loraMeasurements(reps: reps, progress: progress, earlier: results)
        if wants("heatmap_sweep_seconds") {
            progress("heatmap sweep")
            add(heatmapSweep(reps: quick ? 1 : 3))
        }
        if wants("frame_ms_120x40") {
            progress("frame")
            add(frame(reps: reps * 2))
        }
        if let lessons, wants("first_frame_ms_slowest_step") {
            progress("first frame of every step")
            add(firstFrames(library: lessons, reps: quick ? 1 : 3))
        }
        if let lessons, wants("grid_") {
            progress("lesson grids")
            results += grids(library: lessons, reps: quick ? 1 : 3)
        }

        if wants("pretrain") {
            progress("pretraining")
            for m in pretraining(reps: quick ? 2 : 5) { add(m) }
        }

        if wants("inspect_header_200k_seconds", "inspect_header_200k_peak_ratio", "inspect_header_70mb_seconds", "inspect_header_70mb_peak_ratio") {
            progress("safetensors header")
            results += safetensorsHeader(reps: quick ? 2 : 5)
        }

        if wants("estimate_margin_mb") { progress("resource estimate against measured peaks"); results += estimateBound() }
        return BenchmarkReport(measurements: results, quick: quick,
                               cores: ProcessInfo.processInfo.activeProcessorCount)
    }

    // MARK: - Timing

    /// Seconds taken by `body`, on the monotonic clock.
    @inline(__always)
    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    /// `warmup` untimed calls, then `reps` timed ones.
    static func repeatTimed(warmup: Int, reps: Int, _ body: () -> Void) -> [Double] {
        for _ in 0..<warmup { body() }
        return (0..<reps).map { _ in seconds(body) }
    }

    // MARK: - Memory bandwidth

    /// STREAM's triad a = b + s·c, counted as STREAM counts it: 12 bytes per
    /// element (the write-allocate read of `a` is not counted). Arrays of 32M
    /// floats (128 MiB each) are four times the L3 cache.
    func triad(threads: Int, reps: Int) -> Measurement {
        let n = quick ? 8 * 1024 * 1024 : 32 * 1024 * 1024
        var a = [Float](repeating: 0, count: n), b = [Float](repeating: 1, count: n), c = [Float](repeating: 2, count: n)
        let samples = a.withUnsafeMutableBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeBufferPointer { pc in
                    Self.repeatTimed(warmup: 2, reps: reps) { Kernels.triad(pa, pb, pc, scalar: 3, threads: threads) }
                }
            }
        }
        withExtendedLifetime(a) {}
        return Measurement(
            key: threads == 1 ? "triad_gb_per_s" : "triad_gb_per_s_t\(threads)",
            label: "STREAM triad a = b + s·c, \(threads) thread\(threads == 1 ? "" : "s")", unit: "GB/s",
            higherIsBetter: true, samples: samples.map { 12 * Double(n) / $0 * 1e-9 },
            note: "\(n / (1024 * 1024))M floats per array, 12 B/element")
    }

    // MARK: - Optimizer updates

    /// Buffers for an update benchmark, filled with plausible magnitudes.
    final class UpdateBuffers {
        var p, g, m, v: [Float]
        init(count n: Int) {
            p = (0..<n).map { Float($0 % 97) * 0.01 - 0.5 }
            g = (0..<n).map { Float($0 % 89) * 0.001 - 0.04 }
            m = [Float](repeating: 0.001, count: n)
            v = [Float](repeating: 0.0001, count: n)
        }
    }

    func adamW(count n: Int, threads: Int, reps: Int, key: String, label: String,
               twoPass: Bool = false, reference: Double? = nil, target: Double? = nil) -> Measurement {
        let buffers = UpdateBuffers(count: n)
        // Small tensors: time many steps per sample so each sample is ~1 ms.
        let inner = max(1, 1_000_000 / n)
        var t = 0
        let samples = buffers.withPointers { p, g, m, v in
            Self.repeatTimed(warmup: 3, reps: reps) {
                for _ in 0..<inner {
                    t += 1
                    if twoPass {
                        Kernels.scale(p, by: 0.99999)
                        Kernels.adam(parameters: p, gradients: g, firstMoment: m, secondMoment: v,
                                     learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: t)
                    } else {
                        Kernels.adamW(parameters: p, gradients: g, firstMoment: m, secondMoment: v,
                                      learningRate: 1e-3, decayFactor: 0.99999, beta1: 0.9, beta2: 0.999,
                                      epsilon: 1e-8, step: t, threads: threads)
                    }
                }
            }
        }
        return Measurement(
            key: key, label: label, unit: "ns/param", higherIsBetter: false,
            samples: samples.map { $0 * 1e9 / Double(n * inner) },
            note: twoPass ? "two passes, Kernels.scale then Kernels.adam (the fused kernel replaces this in the Optimizer)"
                : "Kernels.adamW, threads: \(threads); 28 B/param moved",
            reference: reference, target: target)
    }

    func scalarAdamW(count n: Int, reps: Int) -> Measurement {
        let buffers = UpdateBuffers(count: n)
        let inner = max(1, 200_000 / n)
        var t = 0
        var sink: Float = 0
        let samples = buffers.withPointers { p, g, m, v in
            Self.repeatTimed(warmup: 3, reps: reps) {
                for _ in 0..<inner {
                    t += 1
                    sink += ScalarReference.adamW(
                        parameters: p, gradients: g, firstMoment: m, secondMoment: v, learningRate: 1e-3,
                        decayFactor: 0.99999, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, step: t)
                }
            }
        }
        return Measurement(
            key: "adamw_scalar_ns_per_param_4096", label: "AdamW, 4096 params, scalar loop", unit: "ns/param",
            higherIsBetter: false, samples: samples.map { $0 * 1e9 / Double(n * inner) },
            note: "ScalarReference.adamW (checksum \(sink.isFinite ? "finite" : "non-finite"))")
    }

    /// Coupled L2 then momentum, as the Optimizer runs them: g += λ·p, then
    /// the momentum update (two passes).
    func sgdMomentumL2(count n: Int, reps: Int) -> Measurement {
        let buffers = UpdateBuffers(count: n)
        let samples = buffers.p.withUnsafeMutableBufferPointer { p in
            buffers.g.withUnsafeMutableBufferPointer { g in
                buffers.m.withUnsafeMutableBufferPointer { b in
                    Self.repeatTimed(warmup: 3, reps: reps) {
                        Kernels.axpy(1e-4, UnsafeBufferPointer(p), into: g)
                        Kernels.sgdMomentum(parameters: p, gradients: UnsafeBufferPointer(g), momentumBuffer: b,
                                            learningRate: 1e-3, momentum: 0.9, nesterov: false, firstStep: false)
                    }
                }
            }
        }
        return Measurement(
            key: "sgd_momentum_l2_ns_per_param_4M_t1", label: "SGD momentum + L2, 4M params, 1 thread",
            unit: "ns/param", higherIsBetter: false, samples: samples.map { $0 * 1e9 / Double(n) },
            note: "Kernels.axpy + Kernels.sgdMomentum")
    }

    // MARK: - Training through Experiment/TrainingRun

    /// AdamW on a 2-64-64-2 ReLU MLP, full batch of 256 moons points.
    public static func mlpSpec(trainPoints: Int = 256, optimizer: OptimizerSpec.Kind = .adamw,
                               decay: DecayMode? = nil, evaluationInterval: Int = 100) -> ExperimentSpec {
        ExperimentSpec(
            data: DataSpec(kind: .moons, trainCount: trainPoints),
            model: ModelSpec(kind: .mlp, hidden: [64, 64]),
            optimizer: OptimizerSpec(kind: optimizer, learningRate: 1e-3), decay: decay,
            weightDecay: 1e-2, steps: 1_000_000, seed: 3, evaluationInterval: evaluationInterval)
    }

    /// The textbook over-parameterized regression: 200 inputs, 20 examples,
    /// one linear layer, SGD with coupled L2, full batch.
    public static func linregSpec(evaluationInterval: Int = 100) -> ExperimentSpec {
        ExperimentSpec(
            data: DataSpec(kind: .linearRegression),
            model: ModelSpec(kind: .linear, initialization: .normal(std: 1)),
            optimizer: OptimizerSpec(kind: .sgd, learningRate: 3e-3), weightDecay: 0.1,
            steps: 1_000_000, seed: 3, evaluationInterval: evaluationInterval)
    }

    /// Lesson 3's heatmap: {Adam + L2, AdamW} × 6 λ × 6 lr = 72 runs of 500
    /// steps on the 2-64-64-2 MLP with 200 moons points, validation every 50
    /// steps and at the end. One experiment per (optimizer, lr) holds the six
    /// λ runs in lock step; the 12 experiments are spread over the cores.
    public static func heatmapExperiments() -> [ExperimentSpec] {
        let lambdas: [Float] = [0, 1e-4, 1e-3, 1e-2, 1e-1, 1]
        let rates: [Float] = [3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1]
        var specs: [ExperimentSpec] = []
        for (kind, decay) in [(OptimizerSpec.Kind.adam, DecayMode.l2), (.adamw, .decoupled)] {
            for lr in rates {
                var spec = mlpSpec(trainPoints: 200, optimizer: kind, decay: decay, evaluationInterval: 50)
                spec.steps = 500
                spec.optimizer.learningRate = lr
                spec.runs = lambdas.map { RunSpec(name: "λ=\($0)", weightDecay: $0) }
                specs.append(spec)
            }
        }
        return specs
    }

    /// Wall time of the whole sweep, building the experiments included.
    public static func runHeatmapSweep(threads: Int) {
        let specs = heatmapExperiments()
        let next = WorkCounter()
        let workers = max(1, threads)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = next.take(below: specs.count) {
                let e = Experiment(spec: specs[i])
                e.advance(steps: specs[i].steps)
            }
        }
    }

    func heatmapSweep(reps: Int) -> Measurement {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let samples = Self.repeatTimed(warmup: 1, reps: reps) { Self.runHeatmapSweep(threads: cores) }
        return Measurement(
            key: "heatmap_sweep_seconds", label: "Heatmap sweep, 2 × 6×6 runs × 500 steps", unit: "s",
            higherIsBetter: false, samples: samples,
            note: "MLP 2-64-64-2, 200 points, Adam+L2 and AdamW, \(cores) cores, validation every 50 steps",
            target: 2)
    }

    /// A shared index handed out under a lock: workers pull experiments until none are left.
    final class WorkCounter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func take(below limit: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }

    func frame(reps: Int) -> Measurement {
        let render = FrameBenchmark.makeRenderer()
        for _ in 0..<3 { _ = render() }
        let samples = (0..<reps).map { _ in render() }
        return Measurement(
            key: "frame_ms_120x40", label: "One frame at 120×40 (view + diff)", unit: "ms", higherIsBetter: false,
            samples: samples,
            note: "in-memory backend",
            target: 1)
    }
}
