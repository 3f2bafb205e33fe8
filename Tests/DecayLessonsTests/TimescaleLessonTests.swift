import Testing
import BuildMode
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
    @Test(.optimizedOnly, arguments: claimSeeds) func forgettingTheStart(seed: UInt64) {
        let spec = lesson.steps[0].spec, prose = words(lesson.steps[0].prose)
        #expect(spec.optimizer.learningRate == 0.01 && spec.steps == 800)
        // The prose's arithmetic, from the step's own lr, λs and length.
        let lr = decimal(spec.optimizer.learningRate), steps = Double(spec.steps)
        let fastLambda = decimal(spec.resolvedRuns[0].weightDecay ?? spec.weightDecay)
        let slowLambda = decimal(spec.resolvedRuns[1].weightDecay ?? spec.weightDecay)
        let tau = 1 / (lr * fastLambda)
        #expect(prose.contains("τ = 1/(\(written(lr)) · \(written(fastLambda))) = \(written(tau)) steps"), "\(tau)")
        #expect(prose.contains("step \(written(3 * tau)) (3τ) the start is down to e^(−3) ≈ \(written((100 * exp(-3.0)).rounded())) %"))
        let kept = pow(1 - lr * slowLambda, steps)
        #expect(abs(kept - exp(-lr * slowLambda * steps)) < 0.001)
        #expect(prose.contains("τ = \(written(1 / (lr * slowLambda))) steps"))
        #expect(prose.contains("\(written(1 - lr * slowLambda))^\(spec.steps) ≈ e^(−\(written(lr * slowLambda * steps))) ≈ \(written((100 * kept).rounded())) %"),
                "\(kept)")
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
        // N(0, 1) entries: E‖w‖² is the number of weights.
        let count = e.initialNetwork.parameters.filter { $0.group == .weights }.map(\.value.count).reduce(0, +)
        #expect(abs(Double(count).squareRoot() - 34) < 0.5, "\(count) weights")
        #expect(words(lesson.steps[0].prose).contains("‖w‖ starts near 34"))
    }

    /// The goal's answer is 1/(lr·τ) for τ a quarter of the run, and *yours*
    /// at that λ is the first step's λ = 0.5 run (same data, start and
    /// batches), whose settling the test above checks. "λ = 0.01, a τ of
    /// 10,000 steps, twelve runs long."
    /// 8:2: "at step 800, ‖weights‖ between 6.5 and 9. A longer τ has not
    /// finished forgetting the start (λ = 0.3, τ = 333, ends above 9.7); a
    /// shorter one pulls the weights further in (λ = 1, τ = 100, ends below
    /// 6.2). That holds on each of the five draws …, where the right λ ends
    /// between 6.8 and 8.1." "the first step's λ = 0.5 run" is the same run.
    @Test(.optimizedOnly, arguments: claimSeeds) func setTheTimescale(seed: UInt64) throws {
        let step = lesson.steps[1]
        guard case let .threshold(t) = step.goal else { Issue.record("threshold"); return }
        #expect(t.above == 6.5 && t.below == 9 && t.metric == .norm(.weights) && t.minSteps == 800)
        let quarter = Float(step.spec.steps) / 4
        #expect(abs(1 / (step.spec.optimizer.learningRate * quarter) - 0.5) < 1e-6)
        let yoursTau = 1 / (decimal(step.spec.optimizer.learningRate) * decimal(step.spec.weightDecay))
        #expect(Int(yoursTau / Double(step.spec.steps)) == 12)
        #expect(words(step.prose).contains("λ = \(written(decimal(step.spec.weightDecay))), a τ of 10,000 steps, twelve runs long"), "\(yoursTau)")
        #expect(Int(1 / (0.01 * 0.3)) == 333 && Int(1 / (0.01 * 1.0)) == 100)
        func ending(_ lambda: Float) -> Float { norm(trained(1, seed: seed, lambda: lambda).runs[0], atStep: 800) }
        let right = ending(0.5), long = ending(0.3), short = ending(1)
        // The prose gives the range to one decimal (seed 4 ends at 8.103).
        let rounded = (right * 10).rounded() / 10
        #expect(t.holds(right) && rounded >= 6.8 && rounded <= 8.1, "seed \(seed): \(right)")
        #expect(long > 9.7 && !t.holds(long), "seed \(seed): \(long)")
        #expect(short < 6.2 && !t.holds(short), "seed \(seed): \(short)")
        if seed == 1 { #expect(right == norm(trained(0, seed: 1).runs[0], atStep: 800)) }
    }

    /// "Lion, lr 0.001, λ = 5 … lr·λ = 0.005 and τ = 200 steps again. Its ‖w‖
    /// falls from 34 and has settled by step 600 as AdamW's has: it changes by
    /// less than 5 % between step 600 and step 800." "Lion, lr 0.001, λ = 0.5
    /// … τ = 2000 steps. After 800 steps its ‖w‖ is still above 25, more than
    /// three times either of the other two." "Lion's is lower here." The
    /// arithmetic: 1e-3·0.1 = 1e-4·1; the question's 3e-4·0.1 = 3e-5·1.
    @Test(.optimizedOnly, arguments: claimSeeds) func lionNeedsALargerLambda(seed: UInt64) throws {
        let step = lesson.steps[2]
        // "AdamW at lr 1e-3 with λ = 0.1 has lr·λ = 1e-4, and Lion at lr 1e-4
        // keeps that τ only with λ = 1"; the question's "3e-4 · 0.1 = 3e-5 · 1".
        let advice = try #require(captured(#"AdamW at lr ([\d.e-]+) with λ = ([\d.]+) has lr·λ = ([\d.e-]+), and Lion at lr ([\d.e-]+) keeps that τ only with λ = ([\d.]+)"#, in: words(step.prose)))
        #expect(advice.count == 5 && abs(advice[0] * advice[1] - advice[2]) < 1e-12 && abs(advice[3] * advice[4] - advice[2]) < 1e-12, "\(advice)")
        guard case let .question(q) = step.goal else { Issue.record("question"); return }
        let right = try #require(q.choices.first { $0.correct }).text
        let same = try #require(captured(#"^([\d.]+): lr·λ = ([\d.e-]+) · ([\d.]+) = ([\d.e-]+) · ([\d.]+)"#, in: right), "\(right)")
        #expect(same.count == 5 && same[0] == same[4] && abs(same[1] * same[2] - same[3] * same[4]) < 1e-12, "\(right)")
        let asked = try #require(captured(#"AdamW \(lr ([\d.e-]+), weight_decay ([\d.]+)\) to Lion with lr ([\d.e-]+)"#, in: q.prompt), "\(q.prompt)")
        #expect(asked == Array(same[1...3]), "\(q.prompt)")
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
        #expect(q.choices.map(\.correct) == [true, false, false])
        // "Lion, λ = 5 ends with the highest of the three on every draw (0.40
        // here, against AdamW's 0.28), and on this draw Lion, λ = 0.5 … ends
        // with the lowest (0.23; it does on two of the five draws)";
        // "training loss 0.47 against 0.31" (whole training set, this draw).
        let val = [adamw, lion, copied].map { final($0)[.validationLoss]! }
        #expect(val[1] == val.max()!, "seed \(seed): \(val)")
        if seed == 1 || seed == 5 { #expect(val[2] == val.min()!, "seed \(seed): \(val)") } else { #expect(val[2] > val[0], "seed \(seed): \(val)") }
        if seed == 1 {
            #expect(abs(val[1] - 0.40) < 0.005 && abs(val[0] - 0.28) < 0.005 && abs(val[2] - 0.23) < 0.005)
            #expect(abs(final(lion)[.fullTrainLoss]! - 0.47) < 0.005 && abs(final(adamw)[.fullTrainLoss]! - 0.31) < 0.005)
        }
    }

    /// The AdamW paper's normalized decay, worked for the tuning step's run:
    /// "b = 20, B = 60 and T = 512·20/60 ≈ 171 epochs give √(b/(B·T)) ≈
    /// 0.044, so λ_norm = 0.05 is a paper-form λ of 0.0022, a PyTorch λ of
    /// 0.22 at lr 0.01"; "Four times the data at the same batch size halves λ
    /// by the formula; keeping τ fixed in epochs divides it by four".
    @Test func normalizedDecayArithmetic() {
        let spec = lesson.steps[3].spec
        let b = Double(spec.batchSize!), points = Double(spec.data.trainCount)
        let epochs = Double(spec.steps) * b / points
        #expect(abs(epochs - 171) < 0.5)
        func normalized(_ lambdaNorm: Double, b: Double, points: Double, epochs: Double) -> Double {
            lambdaNorm * (b / (points * epochs)).squareRoot()
        }
        let factor = (b / (points * epochs)).squareRoot()
        #expect(abs(factor - 0.044) < 0.0005)
        let paper = normalized(0.05, b: b, points: points, epochs: epochs)
        #expect(abs(paper - 0.0022) < 0.00005 && abs(paper / Double(spec.optimizer.learningRate) - 0.22) < 0.005)
        // Four times the data, same batch and epochs: √4 = 2 by the formula …
        #expect(abs(normalized(0.05, b: b, points: 4 * points, epochs: epochs) * 2 - paper) < 1e-12)
        // … while τ fixed in epochs is four times the steps: λ = 1/(lr·τ) falls fourfold.
        let tau = 33.0 * points / b, lr = Double(spec.optimizer.learningRate)
        #expect(abs((1 / (lr * tau)) / (1 / (lr * tau * 4)) - 4) < 1e-12)
    }

    /// "λ = 1 ends with the lower validation loss, in each of the 5 seeds";
    /// "τ = 100 steps: 33 epochs, a fifth of the run"; "τ = 10,000 steps, 20 runs long".
    @Test(.optimizedOnly, arguments: claimSeeds) func tauBetweenAnEpochAndTheRun(seed: UInt64) {
        let spec = lesson.steps[3].spec
        #expect(spec.data.trainCount == 60 && spec.batchSize == 20 && spec.steps == 512)
        // The prose's τs, in epochs and runs, from the step's own settings.
        let epoch = spec.data.trainCount / spec.batchSize!, lr = decimal(spec.optimizer.learningRate)
        let strongTau = 1 / (lr * decimal(spec.resolvedRuns[0].weightDecay ?? spec.weightDecay))
        let weakTau = 1 / (lr * decimal(spec.resolvedRuns[1].weightDecay ?? spec.weightDecay))
        let about = words(lesson.steps[3].prose)
        #expect(about.contains("an epoch is \(epoch) steps; lr \(written(lr)), \(spec.steps) steps"), "\(epoch)")
        #expect(about.contains("τ = \(written(strongTau)) steps: \(Int(strongTau) / epoch) epochs, a fifth of the run"), "\(strongTau)")
        #expect(abs(strongTau / Double(spec.steps) - 0.2) < 0.01)
        #expect(about.contains("τ = 10,000 steps, \(Int((weakTau / Double(spec.steps)).rounded())) runs long") && weakTau == 10_000, "\(weakTau)")
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
        // "Σ lr_t = 5e-5 · 150.5 ≈ 0.0075, so λ = 0.1 leaves exp(−0.00075) ≈ 0.99925".
        let prose = words(lesson.steps[3].prose)
        let roundedSum = Double(String(format: "%.2g", sum))!
        #expect(prose.contains("Σ lr_t = 5e-5 · 150.5 ≈ \(written(roundedSum)), so λ = 0.1 leaves exp(−\(written(0.1 * roundedSum))) ≈ \(String(format: "%.5f", exp(-0.1 * sum)))"),
                "\(sum)")
        // The timescales the prose quotes, from the rates and λ it states.
        let pretraining = try #require(captured(#"1/\(([\d.e-]+) · ([\d.]+)\) ≈ ([\d,]+) steps"#, in: prose), "pre-training τ")
        #expect(abs(1 / (pretraining[0] * pretraining[1]) - pretraining[2]) < 50, "\(pretraining)")
        let peak = try #require(captured(#"peak rate is ([\d,]+) steps with λ = ([\d.]+)"#, in: prose), "fine-tuning τ")
        #expect(abs(1 / (rates[0] * peak[1]) - peak[0]) < 1e-6, "\(peak)")
        let matters = try #require(captured(#"near 1/([\d.]+) ≈ (\d+)"#, in: prose), "λ for a shrink that matters")
        #expect(matters[0] == roundedSum && Int((1 / sum).rounded()) == Int(matters[1]), "\(matters)")
        guard case let .question(q) = lesson.steps[3].goal else { Issue.record("question"); return }
        #expect(q.choices.map(\.correct) == [true, false, false])
        // The wrong choice's own arithmetic holds: 300 steps at (1 − 0.001) lose about 26 %.
        let pattern = #"About (\d+) %: (\d+) steps at \(1 − ([\d.]+)\) each"#
        let n = try #require(q.choices.lazy.compactMap { captured(pattern, in: $0.text) }.first, "\(q.choices.map(\.text))")
        #expect(n.count == 3 && n[0] == (100 * (1 - pow(1 - n[2], n[1]))).rounded(), "\(n)")
    }

    /// Lessons end with their key points, which the lesson summary screen
    /// shows.
    @Test func keyPoints() throws {
        #expect(lesson.keyPoints.count == 7)     // the sixth is the paper's normalized decay
        #expect(lesson.keyPoints.last?.contains("decay-tutor inspect") == true)
        for (file, count) in [("02-l2-vs-decoupled-sgd.md", 3), ("07-decay-and-schedules.md", 6)] {
            let other = try LessonParser.parse(fileAt: (lessonsDirectory as NSString).appendingPathComponent(file)).get()
            #expect(other.keyPoints.count == count, "\(file)")
        }
    }
}
