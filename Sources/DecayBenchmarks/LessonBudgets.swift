import Foundation
import DecayEngine
import DecayLessons
import DecayTUI
import TerminalUI

/// The budgets a learner feels, measured on the shipped lessons: how long a
/// step takes to show its first frame, and how soon a step's lr × λ grid
/// shows its first cells and how long it takes to fill.
extension BenchmarkSuite {
    /// Every step's first frame at 120×40 should be up within this many ms.
    public static let firstFrameBudgetMilliseconds = 150.0
    /// A grid's first cell should show within this many seconds …
    public static let gridFirstCellBudgetSeconds = 1.0
    /// … and the whole grid within this many.
    public static let gridCompleteBudgetSeconds = 15.0

    /// The time from opening a step to its first frame, on a fresh tutor at
    /// 120×40 (as `decay-tutor LESSON:STEP` opens it): building the step's
    /// data, model and runs, starting its grid if it has one, and drawing.
    /// Returns milliseconds.
    public static func firstFrame(library: LessonLibrary, lesson: Int, step: Int) -> Double {
        var grid: Sweep?
        let ms: Double = {
            let app = App(library: library, store: nil, size: TerminalSize(width: 120, height: 40), unicode: true, colors: 256)
            let backend = MemoryBackend(width: 120, height: 40)
            let ms = seconds {
                app.open(lesson: lesson, step: step)
                backend.draw(app.frame())
            } * 1000
            grid = app.session?.sweep
            return ms
        }()
        // The tutor is gone and its step's grid cancelled; the cells already
        // training finish on their own: give them the cores back first.
        if let grid {
            let done = grid.finished.count
            for _ in 0..<40 where grid.finished.count == done { Thread.sleep(forTimeInterval: 0.05) }
            Thread.sleep(forTimeInterval: 0.5)
        }
        return ms
    }

    /// Every shipped step's first frame, `reps` times; one sample per
    /// repetition: the slowest step's time. The note names the slowest step
    /// and every step over the budget.
    func firstFrames(library: LessonLibrary, reps: Int) -> Measurement {
        var perStep: [String: [Double]] = [:]
        var order: [String] = []
        var samples: [Double] = []
        for _ in 0..<reps {
            var slowest = 0.0
            for (l, lesson) in library.lessons.enumerated() {
                for s in lesson.steps.indices {
                    let name = "\(l + 1):\(s + 1)"
                    let ms = Self.firstFrame(library: library, lesson: l, step: s)
                    if perStep[name] == nil { order.append(name) }
                    perStep[name, default: []].append(ms)
                    slowest = max(slowest, ms)
                }
            }
            samples.append(slowest)
        }
        let medians = order.map { name in (name, Measurement(key: name, label: name, unit: "ms", higherIsBetter: false, samples: perStep[name]!).median) }
        let worst = medians.max { $0.1 < $1.1 }
        let over = medians.filter { $0.1 > Self.firstFrameBudgetMilliseconds }
        var note = "\(order.count) steps at 120×40; slowest \(worst.map { "\($0.0) (\(BenchmarkReport.format($0.1)) ms median)" } ?? "none")"
        if !over.isEmpty { note += "; over budget: " + over.map { "\($0.0) \(BenchmarkReport.format($0.1)) ms" }.joined(separator: ", ") }
        return Measurement(
            key: "first_frame_ms_slowest_step", label: "First frame of the slowest step, 120×40", unit: "ms",
            higherIsBetter: false, samples: samples, note: note, target: Self.firstFrameBudgetMilliseconds)
    }

    /// When a grid's first cell arrived and when its last did, in seconds
    /// from the start, training on `workers` threads as the tutor does.
    public static func gridTimes(_ sweep: Sweep, workers: Int) -> (first: Double, complete: Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let first = FirstArrival()
        sweep.run(workers: workers) { _ in first.note(DispatchTime.now().uptimeNanoseconds) }
        let end = DispatchTime.now().uptimeNanoseconds
        return (Double((first.time ?? end) - start) * 1e-9, Double(end - start) * 1e-9)
    }

    /// One pair of measurements per shipped step with a grid: its first cell
    /// and its completion, each against its budget.
    func grids(library: LessonLibrary, reps: Int) -> [Measurement] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var out: [Measurement] = []
        for (l, lesson) in library.lessons.enumerated() {
            for (s, step) in lesson.steps.enumerated() {
                guard let grid = step.sweep else { continue }
                let make = { Sweep(spec: step.spec, learningRates: grid.learningRates, lambdas: grid.lambdas,
                                   steps: grid.steps, metric: grid.metric) }
                let cpuBefore = Self.processCPUSeconds()
                let times = (0..<reps).map { _ in Self.gridTimes(make(), workers: cores) }
                let cpu = (Self.processCPUSeconds() - cpuBefore) / Double(reps)
                let name = "\(l + 1)_\(s + 1)"
                let cells = make().cellCount
                // The CPU time says what the wall time would be on idle cores when the machine is shared.
                let note = "lesson \(l + 1) step \(s + 1): \(cells) cells × \(grid.steps) steps on \(cores) cores; "
                    + "\(BenchmarkReport.format(cpu)) CPU-s per grid (\(BenchmarkReport.format(cpu / Double(cores))) s on \(cores) idle cores)"
                out.append(Measurement(
                    key: "grid_\(name)_first_cell_seconds", label: "Grid \(l + 1):\(s + 1), first cell", unit: "s",
                    higherIsBetter: false, samples: times.map(\.first), note: note, target: Self.gridFirstCellBudgetSeconds))
                out.append(Measurement(
                    key: "grid_\(name)_complete_seconds", label: "Grid \(l + 1):\(s + 1), complete", unit: "s",
                    higherIsBetter: false, samples: times.map(\.complete), note: note, target: Self.gridCompleteBudgetSeconds))
            }
        }
        return out
    }

    /// User plus system CPU time of this process so far, in seconds.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }

    /// The earliest time a worker reported, under a lock.
    final class FirstArrival: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var time: UInt64?
        func note(_ t: UInt64) {
            lock.lock()
            if time == nil { time = t }
            lock.unlock()
        }
    }
}
