import Foundation
import Testing
@testable import DecayEngine

/// `schedule = linear` is Hugging Face's default schedule. The reference is
/// transformers' own `get_linear_schedule_with_warmup`: the learning rates it
/// produced for two configs, committed by the inspect fixtures' script
/// (Tests/DecayInspectTests/Fixtures/make_inspect_fixtures.py).
@Suite struct LinearScheduleTests {
    struct Rates: Decodable {
        var steps: Int
        var warmup_steps: Int
        var learning_rate: Double
        var lr_scheduler: String
        var rates: [Double]
    }

    static func rates(_ name: String) throws -> Rates {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DecayInspectTests/Fixtures/expected/\(name).json")
        return try JSONDecoder().decode(Rates.self, from: Data(contentsOf: url))
    }

    @Test(arguments: ["hf-defaults", "hf-linear-warmup", "axolotl-linear-maxsteps"])
    func factorsMatchTransformers(_ name: String) throws {
        let r = try Self.rates(name)
        #expect(r.lr_scheduler == "linear")
        let schedule = ScheduleShape.linear(warmup: r.warmup_steps, total: r.steps)
        #expect(r.rates.count == r.steps)
        for (i, expected) in r.rates.enumerated() {
            let lr = r.learning_rate * schedule.factor(step: i + 1)
            #expect(abs(lr - expected) <= 1e-15 + 1e-12 * expected, "\(name) step \(i + 1): \(lr) vs \(expected)")
        }
        // After the last step the factor stays at 0: the schedule has ended.
        #expect(schedule.factor(step: r.steps + 1) == 0 && schedule.factor(step: r.steps + 50) == 0)
        #expect(schedule.end?.step == r.steps && schedule.end?.factor == 0)
    }

    /// The lr a run records per step is the base lr times the factor, so an
    /// export (whose reproduce.py replays the recorded rates) follows it too.
    @Test func runsRecordTheLinearRates() {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .linearRegression), model: ModelSpec(kind: .linear),
            optimizer: OptimizerSpec(kind: .adam, learningRate: 0.01), decay: .decoupled, weightDecay: 0.1,
            steps: 20, batchSize: 5, runs: [RunSpec(name: "a")])
        spec.schedule = .linear(warmup: 5, total: 20)
        let e = Experiment(spec: spec)
        e.advance(steps: 20)
        let lrs = e.runs[0].history.map(\.learningRate)
        let expected: [Float] = (0..<20).map { s in s < 5 ? 0.01 * Float(s) / 5 : 0.01 * Float(20 - s) / 15 }
        for (a, b) in zip(lrs, expected) { #expect(abs(a - b) <= 1e-9, "\(lrs) vs \(expected)") }
    }
}
