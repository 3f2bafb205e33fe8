import Testing
import Foundation
import DecayEngine
@testable import DecayLessons

/// The claims of `Lessons/08-timescale.md`, on its own experiments, each
/// across the seeds in `claimSeeds`.
@Suite struct TimescaleLessonTests {
    let lesson: Lesson

    init() throws {
        lesson = try LessonParser.parse(fileAt: (lessonsDirectory as NSString).appendingPathComponent("08-timescale.md")).get()
    }

    private func trained(_ step: Int, seed: UInt64, lambda: Float? = nil) -> Experiment {
        var spec = lesson.steps[step].spec
        spec.seed = seed
        spec.evaluationInterval = spec.steps
        let e = Experiment(spec: spec)
        if let lambda { e.set(.lambda, to: lambda) }
        e.advance(steps: spec.steps)
        return e
    }

    private func norm(_ r: TrainingRun, atStep t: Int) -> Float { r.history[t - 1][.norm(.weights)]! }

    /// "τ = 1/(0.01 · 0.5) = 200 steps … By step 600 (3τ) the start is down to
    /// e^(−3) ≈ 5 %, and ‖w‖ has settled: it changes by less than 5 % between
    /// step 600 and step 800." "λ = 0.05: τ = 2000 steps … 0.9995^800 ≈
    /// e^(−0.4) ≈ 67 % … ‖w‖ is still falling at the end."
    @Test(arguments: claimSeeds) func forgettingTheStart(seed: UInt64) {
        let spec = lesson.steps[0].spec
        #expect(spec.optimizer.learningRate == 0.01 && spec.steps == 800)
        #expect(abs(1 / (0.01 * 0.5) - 200.0) < 1e-9 && abs(exp(-3.0) - 0.05) < 0.001)
        #expect(abs(pow(1 - 0.01 * 0.05, 800.0) - exp(-0.4)) < 0.001 && abs(exp(-0.4) - 0.67) < 0.005)
        let e = trained(0, seed: seed)
        let fast = e.runs[0], slow = e.runs[1]
        #expect(fast.settings.weightDecay == 0.5 && slow.settings.weightDecay == 0.05)
        let settledChange = abs(norm(fast, atStep: 800) - norm(fast, atStep: 600)) / norm(fast, atStep: 800)
        #expect(settledChange < 0.05, "seed \(seed): \(settledChange)")
        #expect(norm(slow, atStep: 800) < norm(slow, atStep: 700), "seed \(seed)")
        #expect(norm(slow, atStep: 800) > 1.5 * norm(fast, atStep: 800), "seed \(seed)")
    }

    /// "every weight drawn from N(0, 1), so ‖w‖ starts near 34."
    @Test func startingNorm() {
        let e = Experiment(spec: lesson.steps[0].spec)
        let w = e.initialNetwork.parameters.filter { $0.group == .weights }.map(\.sumOfSquares).reduce(0, +).squareRoot()
        #expect(abs(w - 34) < 1.5, "\(w)")
        #expect(abs(Double(2 * 32 + 32 * 32 + 32 * 2).squareRoot() - 34) < 0.5)
    }

    /// The goal's answer is 1/(lr·τ) for τ a quarter of the run, and *yours*
    /// at that λ is the first step's λ = 0.5 run (same data, start and
    /// batches), whose settling the test above checks. "λ = 0.01, a τ of
    /// 10,000 steps, twelve runs long."
    @Test func setTheTimescale() throws {
        let step = lesson.steps[1]
        guard case let .question(q) = step.goal else { Issue.record("question"); return }
        #expect(q.choices.map(\.correct) == [true, false, false])
        let quarter = Float(step.spec.steps) / 4
        #expect(abs(1 / (step.spec.optimizer.learningRate * quarter) - 0.5) < 1e-6)
        #expect(step.spec.weightDecay == 0.01 && Int(1 / (0.01 * 0.01 * 800.0)) == 12)
        let yours = trained(1, seed: 1, lambda: 0.5), first = trained(0, seed: 1)
        #expect(norm(yours.runs[0], atStep: 800) == norm(first.runs[0], atStep: 800))
    }

    /// "Lion, lr 0.001, λ = 5 … lr·λ = 0.005 and τ = 200 steps again. Its ‖w‖
    /// falls from 34 and has settled by step 600 as AdamW's has: it changes by
    /// less than 5 % between step 600 and step 800." "Lion, lr 0.001, λ = 0.5
    /// … τ = 2000 steps. After 800 steps its ‖w‖ is still above 25, more than
    /// three times either of the other two." "Lion's is lower here." The
    /// arithmetic: 1e-3·0.1 = 1e-4·1; the question's 3e-4·0.1 = 3e-5·1.
    @Test(arguments: claimSeeds) func lionNeedsALargerLambda(seed: UInt64) {
        let step = lesson.steps[2]
        #expect(abs(1e-3 * 0.1 - 1e-4 * 1) < 1e-12 && abs(3e-4 * 0.1 - 3e-5 * 1) < 1e-12)
        let e = trained(2, seed: seed)
        let adamw = e.runs[0], lion = e.runs[1], copied = e.runs[2]
        #expect(adamw.settings.optimizer.kind == .adamw && lion.settings.optimizer.kind == .lion && copied.settings.optimizer.kind == .lion)
        #expect(lion.settings.decay == .decoupled && copied.settings.decay == .decoupled)
        #expect(adamw.settings.learningRate * adamw.settings.weightDecay == 0.005)
        #expect(abs(lion.settings.learningRate * lion.settings.weightDecay - 0.005) < 1e-7)
        #expect(abs(1 / (copied.settings.learningRate * copied.settings.weightDecay) - 2000) < 0.5)
        for r in [adamw, lion] {
            let change = abs(norm(r, atStep: 800) - norm(r, atStep: 600)) / norm(r, atStep: 800)
            #expect(change < 0.05, "seed \(seed), \(r.name): \(change)")
        }
        #expect(norm(lion, atStep: 800) < norm(adamw, atStep: 800), "seed \(seed)")
        #expect(norm(copied, atStep: 800) > 25, "seed \(seed)")
        #expect(norm(copied, atStep: 800) > 3 * max(norm(lion, atStep: 800), norm(adamw, atStep: 800)), "seed \(seed)")
        guard case let .question(q) = step.goal else { Issue.record("question"); return }
        #expect(q.choices.map(\.correct) == [true, false, false])
    }

    /// "λ = 1 ends with the lower validation loss, in each of the 5 seeds";
    /// "τ = 100 steps: 33 epochs, a fifth of the run"; "τ = 10,000 steps, 20 runs long".
    @Test(arguments: claimSeeds) func tauBetweenAnEpochAndTheRun(seed: UInt64) {
        let spec = lesson.steps[3].spec
        #expect(spec.data.trainCount == 60 && spec.batchSize == 20 && spec.steps == 512)
        #expect(Int(100.0 / 3) == 33 && abs(100.0 / 512 - 0.2) < 0.01 && abs(10_000.0 / 512 - 20) < 0.5)
        let e = trained(3, seed: seed)
        let strong = e.runs[0], weak = e.runs[1]
        #expect(strong.settings.weightDecay == 1 && weak.settings.weightDecay == 0.01)
        let vs = strong.evaluate(x: e.data.validationX, y: e.data.validationY).loss
        let vw = weak.evaluate(x: e.data.validationX, y: e.data.validationY).loss
        #expect(vs < vw, "seed \(seed): λ = 1 \(vs) vs λ = 0.01 \(vw)")
    }

    /// The fine-tuning arithmetic: lr 5e-5 linear to 0 over 300 steps
    /// (Hugging Face's linear schedule: lr_t = 5e-5·(1 − t/300), t = 0…299).
    /// A zero-gradient torch.optim.AdamW under transformers.get_scheduler
    /// gives 0.9992475 and 0.9999249 (float32, so within a few 1e-7 of the
    /// exact products computed here).
    @Test func fineTuningArithmetic() throws {
        let rates = (0..<300).map { 5e-5 * (1 - Double($0) / 300) }
        let sum = rates.reduce(0, +)
        #expect(abs(sum - 5e-5 * 150.5) < 1e-12 && abs(sum - 0.0075) < 0.00003)
        let kept = { (lambda: Double) in rates.reduce(1.0) { $0 * (1 - $1 * lambda) } }
        #expect(abs(kept(0.1) - 0.9992475) < 1e-6 && abs(kept(0.1) - 0.99925) < 5e-6)
        #expect(abs(kept(0.01) - 0.9999249) < 1e-6 && abs(kept(0.01) - 0.999925) < 5e-7)
        #expect(abs(exp(-0.00075) - 0.99925) < 1e-6)
        #expect(abs(1 / (5e-5 * 0.1) - 200_000) < 1e-6 && Int((1 / sum).rounded()) == 133)
        #expect(abs(1 / (6e-4 * 0.1) - 16_700) < 50)
        guard case let .question(q) = lesson.steps[3].goal else { Issue.record("question"); return }
        #expect(q.choices.map(\.correct) == [true, false, false])
        #expect(abs(1 - pow(1 - 0.001, 300.0) - 0.26) < 0.005)
    }

    /// Lessons end with their key points, which the lesson summary screen
    /// shows.
    @Test func keyPoints() throws {
        #expect(lesson.keyPoints.count == 6)     // the last points to `decay-tutor inspect`
        for (file, count) in [("02-l2-vs-decoupled-sgd.md", 3), ("07-decay-and-schedules.md", 4)] {
            let other = try LessonParser.parse(fileAt: (lessonsDirectory as NSString).appendingPathComponent(file)).get()
            #expect(other.keyPoints.count == count, "\(file)")
        }
    }
}
