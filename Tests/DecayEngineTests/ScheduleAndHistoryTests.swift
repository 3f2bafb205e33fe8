import Foundation
import Testing
@testable import DecayEngine

@Suite("Learning-rate schedules and bounded histories")
struct ScheduleAndHistoryTests {
    @Test func constantIsOne() {
        for t in [1, 2, 100, 1_000_000] { #expect(ScheduleShape.constant.factor(step: t) == 1) }
    }

    /// Linear warm-up over w steps: step t (from 1) uses t/w until t = w.
    @Test func warmupRampsLinearlyThenHolds() {
        let w = 8
        for t in 1...30 {
            let want = t <= w ? Double(t) / Double(w) : 1
            #expect(abs(ScheduleShape.warmup(steps: w).factor(step: t) - want) <= 1e-15, "t=\(t)")
        }
        #expect(ScheduleShape.warmup(steps: 0).factor(step: 1) == 1)
    }

    /// PyTorch's CosineAnnealingLR after s completed steps:
    /// η_min + (η_max − η_min)·(1 + cos(π·s/T))/2, here as a multiplier with
    /// η_min = floor. Step t has completed s = t − 1 steps (after warm-up).
    @Test(arguments: [0, 10])
    func cosineMatchesTheClosedForm(warmup w: Int) {
        let T = 100, floor: Float = 0.1
        let schedule = ScheduleShape.cosine(warmup: w, total: T + w, floor: floor)
        let f = Double(floor)
        // Endpoints and midpoint, by hand.
        #expect(abs(schedule.factor(step: w + 1) - 1) <= 1e-12)                      // start of the cosine
        #expect(abs(schedule.factor(step: w + 1 + T / 2) - (f + (1 - f) / 2)) <= 1e-7) // midpoint: 0.55
        #expect(abs(schedule.factor(step: w + 1 + T) - f) <= 1e-7)                    // end: the floor
        #expect(abs(schedule.factor(step: w + T + 50) - f) <= 1e-7)                   // and it stays there
        var previous = Double.infinity
        for t in 1...(w + T + 20) {
            let s = t - 1
            let want: Double
            if s < w {
                want = Double(s + 1) / Double(w)
            } else {
                let progress = min(Double(s - w) / Double(T), 1)
                want = f + (1 - f) * (1 + cos(Double.pi * progress)) / 2
            }
            let got = schedule.factor(step: t)
            #expect(abs(got - want) <= 1e-7, "t=\(t): \(got) vs \(want)")
            if s >= w {
                #expect(got <= previous + 1e-15, "not monotone after warm-up at t=\(t)")
                previous = got
            }
        }
    }

    /// The rate a run records is the base rate times the schedule.
    @Test func runsUseTheScheduledRate() {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .moons, trainCount: 20, validationCount: 20), model: ModelSpec(kind: .linear),
            optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.2), schedule: .cosine(warmup: 3, total: 20, floor: 0),
            steps: 20)
        spec.seed = 9
        let e = Experiment(spec: spec)
        e.advance(steps: 20)
        for entry in e.runs[0].history {
            let s = entry.step - 1
            let factor = s < 3 ? Double(s + 1) / 3 : (1 + cos(Double.pi * Double(s - 3) / 17)) / 2
            #expect(abs(Double(entry.learningRate) - 0.2 * factor) <= 1e-7, "step \(entry.step)")
        }
    }

    private func entry(_ step: Int) -> HistoryEntry {
        HistoryEntry(step: step, learningRate: 0.1, weightDecay: 0, values: [.trainLoss: Float(step), .penalty: 0])
    }

    /// Once full, every other entry is dropped and the stride doubles: the
    /// history always holds stride, 2·stride, …, up to the latest multiple
    /// of stride — the whole span, evenly spaced, in bounded memory.
    @Test(arguments: [2, 3, 8, 100])
    func historyDecimationKeepsTheSpan(capacity: Int) {
        var h = History(layout: MetricLayout([.trainLoss, .penalty]), capacity: capacity)
        for n in 1...5000 {
            h.append(entry(n))
            #expect(h.count <= capacity)
            let s = h.stride
            let steps = h.map(\.step)
            if steps != Array(1...h.count).map({ $0 * s }) {
                Issue.record("capacity \(capacity) after \(n): steps \(steps.prefix(8))… with stride \(s)")
                return
            }
            #expect(h.last?.step == (n / s) * s)
            // Never thinner than half full once decimation started.
            if s > 1 { #expect(h.count >= capacity / 2) }
            // The stride is the smallest power of two that fits the span.
            #expect(n / s <= capacity)
        }
        #expect(h.stride > 1)
        // Entries keep their contents.
        #expect(h.allSatisfy { $0[.trainLoss]! == Float($0.step) })
        h.removeAll()
        #expect(h.count == 0 && h.stride == 1)
    }

    @Test func experimentHistoriesStayBounded() {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .moons, trainCount: 16, validationCount: 16), model: ModelSpec(kind: .linear),
            optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.1), steps: 10_000)
        spec.seed = 4
        let e = Experiment(spec: spec, historyCapacity: 16)
        e.advance(steps: 300)
        let h = e.runs[0].history
        #expect(h.count <= 16 && h.count >= 8)
        #expect(h.first?.step == h.stride)
        #expect(h.last?.step == 300 / h.stride * h.stride)
    }
}
