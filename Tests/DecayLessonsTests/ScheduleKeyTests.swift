import Testing
import DecayEngine
@testable import DecayLessons

/// The `schedule = linear` key of lesson files (Hugging Face's default).
@Suite struct ScheduleKeyTests {
    @Test func linearWithAndWithoutWarmup() throws {
        let plain = try parsed(step(minimalExperiment + "\nsteps = 300\nschedule = linear"))
        #expect(plain.steps[0].spec.schedule == .linear(warmup: 0, total: 300))
        let warm = try parsed(step(minimalExperiment + "\nsteps = 300\nschedule = linear\nwarmup = 30"))
        #expect(warm.steps[0].spec.schedule == .linear(warmup: 30, total: 300))
    }

    @Test func floorIsOnlyForCosine() {
        let e = errors(step(minimalExperiment + "\nschedule = linear\nlr_floor = 0.1"))
        #expect(e.contains { $0.message.contains("`lr_floor` needs schedule = cosine") }, "\(e)")
    }
}
