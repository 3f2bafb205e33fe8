import Testing
import BuildMode
import Foundation
import DecayEngine
@testable import DecayLessons

@Suite struct Lesson7ClaimsTests {

    /// "The decay's per-step shrink is exactly lr_t·λ of the weights … Under
    /// the constant schedule it stays at 1 % per step to the end. Under cosine
    /// … at three quarters of the run it is below a sixth of the constant
    /// run's, and on the last step it is practically zero."
    @Test func l7CosineAnnealsDecay() throws {
        let spec = try load("07-decay-and-schedules.md").steps[0].spec
        let e = trained(spec)
        let constant = run(e, "constant").history, cosine = run(e, "cosine").history
        #expect(constant.count == spec.steps && cosine.count == spec.steps)
        func shrink(_ h: History, _ t: Int) -> Float { h[t - 1][.decayShare(.weights)]! / h[t - 2][.norm(.weights)]! }
        for t in [2, 200, 400, 600, 800] {
            #expect(abs(shrink(constant, t) - 0.01) < 1e-4)
            #expect(abs(shrink(cosine, t) - cosine[t - 1].learningRate * 1) < 1e-4 * 0.01 + 1e-7)
        }
        #expect(shrink(cosine, 600) < shrink(constant, 600) / 6)
        #expect(shrink(cosine, 800) < 1e-6)
    }

    /// "Over the run the shrinks add up to Σ lr_t·λ: 8.0 for constant … and
    /// half that, 4.0, for cosine"; "warm-up 200, cosine … first raises lr
    /// from 0 over 200 steps … and its total is still 4.0 … lr·λ·T/2 whatever
    /// the warm-up's length"; "Only after a warm-up into a constant lr does
    /// the total fall, by half the warm-up: 7.0 instead of 8.0 here. (The sums
    /// are read off the runs' recorded lr_t.)" Checked on the recorded lr_t,
    /// against the closed forms, and for other warm-up lengths.
    @Test(.optimizedOnly) func l7WarmupMovesTheShrinkLater() throws {
        let spec = try load("07-decay-and-schedules.md").steps[0].spec
        #expect(spec.resolvedRuns.map(\.name) == ["constant", "cosine", "warm-up 200, cosine"])
        let e = trained(spec)
        func total(_ schedule: ScheduleShape) -> Double {
            (1...800).map { schedule.factor(step: $0) * 0.01 * 1 }.reduce(0, +)
        }
        for r in e.runs {
            let recorded = r.history.map { Double($0.learningRate) }.reduce(0, +)
            #expect(abs(recorded - total(r.settings.schedule)) < 1e-4, "\(r.name)")
        }
        let sums = e.runs.map { $0.history.map { Double($0.learningRate * $0.weightDecay) }.reduce(0, +) }
        #expect(abs(sums[0] - 8.0) < 1e-3 && abs(sums[1] - 4.0) < 0.01 && abs(sums[2] - 4.0) < 0.02, "\(sums)")
        // Any warm-up length into a cosine (or linear) decay to zero: T/2.
        for w in [0, 50, 200, 400, 700] {
            for s in [ScheduleShape.cosine(warmup: w, total: 800, floor: 0), .linear(warmup: w, total: 800)] {
                #expect(abs(total(s) - 4.0) < 0.02, "warm-up \(w), \(s)")
            }
        }
        // Into a constant lr: the warm-up removes half its length.
        #expect(abs(total(.warmup(steps: 200)) - 7.0) < 0.01)
    }

    /// "After 800 steps their norms lie within a factor of 1.6 of each other,
    /// and the run with the largest lr ends lowest … in all five seeds";
    /// "at λ = 0.3 every level ends higher than at λ = 1" (five seeds too);
    /// "a 16 times larger lr would end 4 times higher" under √(lr/λ).
    @Test(.optimizedOnly, arguments: claimSeeds) func l7EquilibriumRegime(seed: UInt64) throws {
        let step = try load("07-decay-and-schedules.md").steps[1]
        var spec = step.spec
        spec.seed = seed
        let rates = spec.resolvedRuns.compactMap(\.learningRate)
        #expect(rates == [0.0025, 0.01, 0.04])
        // √(lr/λ): the largest lr over the smallest, and its square root, as the prose says.
        let ratio = decimal(rates.max()!) / decimal(rates.min()!)
        #expect(words(step.prose).contains("so a \(written(ratio)) times larger lr would end \(written(ratio.squareRoot())) times higher"), "\(ratio)")
        let strong = trained(spec).runs.map(weightNorm)
        #expect(strong.max()! < 1.6 * strong.min()!, "seed \(seed): \(strong)")
        #expect(strong[2] == strong.min()!, "seed \(seed): \(strong)")
        let weak = trained(spec, set: [(.lambda, 0.3)]).runs.map(weightNorm)
        for (w, s) in zip(weak, strong) { #expect(w > s, "seed \(seed): λ 0.3 \(weak) vs λ 1 \(strong)") }
        if case let .question(q) = step.goal { #expect(q.choices.map(\.correct) == [true, false, false]) } else { Issue.record("question") }
    }

    /// "The table starts from N(0, 1) rows, ‖E‖ ≈ 40; the timescale 1/(lr·λ)
    /// is 400 steps at lr 0.0025 and 25 at lr 0.04, so even the slowest run
    /// trains for more than 7 of them." "After 3000 steps the runs are now
    /// ordered by lr, largest lr highest, in each of the five seeds …: 1.5 to
    /// 1.6 at lr 0.0025, 2.3 to 2.9 at lr 0.01 and 3.5 to 5.5 at lr 0.04 …
    /// a 2.3- to 3.4-fold norm spread, an exponent of 0.3 to 0.45." "Move λ
    /// to 2: every level ends lower than at λ = 1 (five seeds of five)."
    @Test(.optimizedOnly("3 runs × 3000 steps per seed: seconds optimized, minutes at -Onone"),
          arguments: claimSeeds)
    func l7NormalizedRegime(seed: UInt64) throws {
        let step = try load("07-decay-and-schedules.md").steps[2]
        var spec = step.spec
        spec.seed = seed
        let runs = spec.resolvedRuns
        #expect(runs.map(\.learningRate) == [0.0025, 0.01, 0.04] && runs.allSatisfy { $0.optimizer == nil && $0.weightDecay == nil })
        #expect(spec.optimizer.kind == .adamw && spec.weightDecay == 1)
        #expect(spec.model.layerNorm && spec.batchSize == 8 && spec.steps == 3000 && spec.data.trainCount == 3000)
        // Only the table (in front of the LayerNorm) is decayed.
        #expect(spec.groups == [.weights: false, .biases: false, .layerNorms: false])
        let taus = runs.map { 1 / (decimal($0.learningRate!) * decimal(spec.weightDecay)) }
        #expect(words(step.prose).contains("is \(written(taus[0])) steps at lr \(written(decimal(runs[0].learningRate!))) and \(written(taus[2])) at lr \(written(decimal(runs[2].learningRate!))), so even the slowest run trains for more than 7 of them"),
                "\(taus)")
        #expect(Double(spec.steps) / taus.max()! > 7)

        let e = trained(spec)
        let table = { (r: TrainingRun) in r.norms[.embeddings]! }
        let start = e.initialNetwork.parameters.filter { $0.group == .embeddings }.map(\.sumOfSquares).reduce(0, +).squareRoot()
        #expect(abs(start - 40) < 2, "seed \(seed): \(start)")
        let n = e.runs.map(table)
        #expect(n[0] < n[1] && n[1] < n[2], "seed \(seed): \(n)")
        #expect(n[0] >= 1.5 && n[0] <= 1.65, "seed \(seed): \(n)")
        #expect(n[1] >= 2.25 && n[1] <= 2.95, "seed \(seed): \(n)")
        #expect(n[2] >= 3.45 && n[2] <= 5.55, "seed \(seed): \(n)")
        let spread = n[2] / n[0], exponent = log(spread) / log(16)
        #expect(spread >= 2.3 && spread <= 3.45, "seed \(seed): \(spread)")
        #expect(exponent >= 0.3 && exponent <= 0.45 && spread < 4, "seed \(seed): \(exponent)")

        let stronger = trained(spec, set: [(.lambda, 2)]).runs.map(table)
        for (s, w) in zip(stronger, n) { #expect(s < w, "seed \(seed): λ 2 \(stronger) vs λ 1 \(n)") }
        if case let .question(q) = step.goal { #expect(q.choices.map(\.correct) == [true, false, false]) } else { Issue.record("question") }
    }

    /// "At lr 0.01 the two shrinks are one number at every step, lr_t·1 =
    /// 0.01·η_t: the two runs are the same run, drawn twice, and both anneal
    /// to nothing by the end." "at lr 0.03 it starts at 3 % per step, three
    /// times the paper's, which stays at 1 % and anneals the same way … at lr
    /// 0.03, PyTorch's run ends with the smaller ‖w‖." In every seed.
    @Test(.optimizedOnly, arguments: claimSeeds) func l7PapersShrink(seed: UInt64) throws {
        var spec = try load("07-decay-and-schedules.md").steps[3].spec
        spec.seed = seed
        spec.runs = spec.runs.filter { $0.name != "warm-up 200, cosine" }
        #expect(spec.optimizer.learningRate == 0.01 && spec.schedule == .cosine(warmup: 0, total: 800, floor: 0))
        func shrink(_ r: TrainingRun, _ t: Int) -> Float {
            let h = r.history
            return h[t - 1][.decayShare(.weights)]! / h[t - 2][.norm(.weights)]!
        }
        let same = trained(spec)
        let pt = run(same, "PyTorch: lr·λ"), paper = run(same, "paper: η·λ")
        #expect(pt.settings.decay == .decoupled && pt.settings.weightDecay == 1)
        #expect(paper.settings.decay == .independent && paper.settings.weightDecay == 0.01)
        for t in [2, 400, 800] {
            #expect(abs(shrink(pt, t) - shrink(paper, t)) < 1e-6, "seed \(seed), step \(t)")
            #expect(abs(pt.history[t - 1][.norm(.weights)]! - paper.history[t - 1][.norm(.weights)]!)
                    <= 1e-4 * paper.history[t - 1][.norm(.weights)]!, "seed \(seed), step \(t)")
        }
        #expect(shrink(paper, 800) < 1e-6)

        let moved = trained(spec, set: [(.learningRate, 0.03)])
        let pt3 = run(moved, "PyTorch: lr·λ"), paper3 = run(moved, "paper: η·λ")
        #expect(abs(shrink(pt3, 2) - 0.03) < 1e-4 && abs(shrink(paper3, 2) - 0.01) < 1e-4, "seed \(seed)")
        for t in [2, 200, 400, 600] {
            let eta = paper3.history[t - 1].learningRate / 0.03
            #expect(abs(shrink(paper3, t) - 0.01 * eta) < 1e-5, "seed \(seed), step \(t)")
            #expect(abs(shrink(pt3, t) / shrink(paper3, t) - 3) < 1e-3, "seed \(seed), step \(t)")
        }
        #expect(weightNorm(pt3) < weightNorm(paper3), "seed \(seed): \(weightNorm(pt3)) vs \(weightNorm(paper3))")
    }

    /// 7:5: "λ = 0.01, the paper's number copied, decays fifty times too
    /// little (its ‖w‖ ends 2.0 to 2.3 times the paper run's), and λ = 1 …
    /// now decays twice as hard (0.70 to 0.81 times). The nearest value below
    /// the right one on the ladder, 0.3, misses too (12 to 28 % above)", on
    /// each of the five draws; at λ = 0.5 "the two runs become one run".
    @Test(.optimizedOnly, arguments: claimSeeds) func l7MatchThePapersDecay(seed: UInt64) throws {
        let step = try seededStep("07-decay-and-schedules.md", 4, seed: seed)
        #expect(step.spec.optimizer.learningRate == 0.02 && step.spec.schedule == .cosine(warmup: 0, total: 800, floor: 0))
        func ratio(_ lambda: Float) -> Float {
            let e = trained(step.spec, set: [(.lambda, lambda)])
            return weightNorm(run(e, "PyTorch: yours")) / weightNorm(run(e, "paper: η·λ, λ = 0.01"))
        }
        #expect(abs(ratio(0.5) - 1) < 1e-3, "seed \(seed)")
        let copied = ratio(0.01), matchedBefore = ratio(1), below = ratio(0.3)
        #expect(copied >= 1.97 && copied <= 2.34, "seed \(seed): \(copied)")
        #expect(matchedBefore >= 0.69 && matchedBefore <= 0.815, "seed \(seed): \(matchedBefore)")
        #expect(below >= 1.115 && below <= 1.285, "seed \(seed): \(below)")
    }
}
