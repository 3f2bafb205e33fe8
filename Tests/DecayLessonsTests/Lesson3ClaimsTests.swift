import Testing
import BuildMode
import Foundation
import DecayEngine
@testable import DecayLessons

@Suite struct Lesson3ClaimsTests {

    /// "Under Adam + L2 the rare rows are crushed: their RMS size ends below
    /// half of what AdamW leaves them, and below the frequent rows … Under
    /// AdamW … rare rows end larger than frequent ones." "each row starts with
    /// a norm near √8 ≈ 2.8." In every seed of `claimSeeds`.
    @Test(.optimizedOnly, arguments: claimSeeds) func l3PenaltyDividedBySqrtV(seed: UInt64) throws {
        var spec = try load("03-adam-l2-vs-adamw.md").steps[0].spec
        spec.seed = seed
        let e = trained(spec)
        let start = rowSize(e.initialNetwork, 0..<200)
        #expect(abs(start - 2.8) < 0.15)
        let l2 = run(e, "Adam + L2"), w = run(e, "AdamW")
        #expect(l2.settings.optimizer.kind == .adam && l2.settings.decay == .l2 && l2.settings.weightDecay == 0.01)
        #expect(w.settings.optimizer.kind == .adamw && w.settings.decay == .decoupled && w.settings.weightDecay == 1)
        #expect(rowSize(l2.network, rare) < 0.5 * rowSize(w.network, rare), "seed \(seed)")
        #expect(rowSize(l2.network, frequent) > rowSize(l2.network, rare), "seed \(seed)")
        #expect(rowSize(w.network, rare) > rowSize(w.network, frequent), "seed \(seed)")
    }

    /// Step 2, this draw: "AdamW shrinks every weight by lr·λ = 0.0003 per
    /// step, about 7 % over the 256 steps"; "Its validation loss ends near
    /// 0.89, almost four times Adam + L2's"; "λ = 2 and 3 meet it (2 is best,
    /// 0.26); 1 is still too little (0.34) and 5 already too much (0.37)";
    /// "Adam + L2 still ends lower here (0.23) than AdamW at its best".
    @Test(.optimizedOnly) func l3AdamWNeedsItsOwnLambda() throws {
        let step = try load("03-adam-l2-vs-adamw.md").steps[1]
        #expect(abs(1 - pow(1 - 0.03 * 0.01, 256) - 0.07) < 0.005)
        let ladder: [Float] = [0.01, 1, 2, 3, 5]
        var spec = step.spec
        spec.evaluationInterval = spec.steps
        spec.runs = [step.spec.runs[0]] + ladder.map { RunSpec(name: "λ = \($0)", optimizer: .adamw, weightDecay: $0) }
        let e = trained(spec)
        let v = finalValidationLoss(e, ladder)
        let l2 = final(run(e, "Adam + L2, λ = 0.01"))[.validationLoss]!
        #expect(abs(v[0.01]! - 0.89) < 0.005 && v[0.01]! / l2 > 3.7 && v[0.01]! / l2 < 4, "\(v[0.01]!) \(l2)")
        #expect(ladder.min { v[$0]! < v[$1]! } == 2 && abs(v[2]! - 0.26) < 0.005)
        #expect(abs(v[1]! - 0.34) < 0.005 && abs(v[5]! - 0.37) < 0.005)
        #expect(abs(l2 - 0.23) < 0.005 && l2 < v[2]!)
    }

    /// The grids' set-up as the prose describes it, and the identity the
    /// second grid rests on: the paper's λ at rate lr is PyTorch's λ ÷ lr
    /// (η_t·λ = lr_t·(λ/lr)), cell for cell, schedule included.
    @Test func l3GridsAreThePapersAndPyTorchs() throws {
        let lesson = try load("03-adam-l2-vs-adamw.md")
        let paper = lesson.steps[2], pytorch = lesson.steps[3]
        let rates: [Float] = [0.001, 0.003, 0.01, 0.03, 0.1]
        #expect(paper.sweep?.learningRates == rates && pytorch.sweep?.learningRates == rates)
        #expect(paper.sweep?.lambdas == [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1])
        #expect(pytorch.sweep?.lambdas == [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3])
        for step in [paper, pytorch] {
            let s = step.spec
            #expect(s.data.kind == .spirals && s.data.trainCount == 300 && s.model.hidden == [64, 64, 64] && s.model.layerNorm)
            #expect(s.batchSize == 32 && s.steps == 2000 && step.sweep?.steps == 2000 && s.schedule == .cosine(warmup: 0, total: 2000, floor: 0))
            #expect(step.sweep?.metric == .validationLoss)
        }
        let a = paper.spec.resolvedRuns, b = pytorch.spec.resolvedRuns
        #expect(a.map(\.name) == ["Adam + L2", "AdamW, paper: η·λ"] && b.map(\.name) == ["AdamW, paper: η·λ", "AdamW, PyTorch: lr·λ"])
        #expect(a[0].optimizer == .adam && a[0].decay == .l2)
        #expect(a[1].optimizer == .adamw && a[1].decay == .independent && b[0].decay == .independent)
        #expect(b[1].decay == .decoupled)
        // The paper-form heatmap of both steps is the same grid (same data, start, batches, settings).
        #expect(paper.spec.data == pytorch.spec.data && paper.spec.seed == pytorch.spec.seed)

        var short = pytorch.spec
        short.steps = 40
        let sweep = Sweep(spec: short, learningRates: rates, lambdas: [], steps: 40)
        for (lr, lambda) in [(Float(0.03), Float(0.01)), (0.003, 0.003), (0.1, 0.01)] {
            let p = sweep.trainCell(run: 0, learningRate: lr, lambda: lambda)!
            let t = sweep.trainCell(run: 1, learningRate: lr, lambda: lambda / lr)!
            #expect(abs(p - t) <= 1e-4 * abs(t), "lr \(lr), paper λ \(lambda): \(p) vs PyTorch λ \(lambda / lr): \(t)")
        }
        // "its λ = 1 wipes them out on the first step and λ = 3 diverges (×)
        // within ten steps at every lr … PyTorch's λ = 3 is a shrink of 3·lr per step."
        var wild = pytorch.spec
        wild.steps = 10
        for lr: Float in rates {
            let e = trained(wild, set: [(.learningRate, lr), (.lambda, 3)])
            #expect(run(e, "AdamW, paper: η·λ").status.isDiverged, "lr \(lr)")
            #expect(!run(e, "AdamW, PyTorch: lr·λ").status.isDiverged, "lr \(lr)")
            // λ = 1: the first step's shrink is the whole of every decayed weight.
            let wiped = trained(wild, steps: 1, set: [(.learningRate, lr), (.lambda, 1)])
            let start = wiped.initialNetwork.parameters.filter { $0.group == .weights }.map(\.sumOfSquares).reduce(0, +).squareRoot()
            let first = run(wiped, "AdamW, paper: η·λ").history[0]
            #expect(abs(first[.decayShare(.weights)]! / start - 1) < 1e-4, "lr \(lr)")
        }
        // "at lr 0.03 the paper's 0.01 is PyTorch's 0.33": PyTorch's λ is the paper's ÷ lr.
        let stated = try #require(captured(#"at lr ([\d.]+) the paper's ([\d.]+) is PyTorch's ([\d.]+)"#, in: words(pytorch.prose)))
        #expect(stated.count == 3 && abs(stated[1] / stated[0] - stated[2]) < 0.005, "\(stated)")
        #expect(rates.contains(Float(stated[0])) && paper.sweep!.lambdas.contains(Float(stated[1])))
    }
}

/// The grids' claims, cell for cell as the background sweep trains them, in
/// every seed of `claimSeeds`. A grid is 2000-step runs of a 3-layer MLP:
/// about 510 cells of them here, a minute or two of CPU in an optimized build
/// (CI's release pass runs them: `swift test -c release --filter
/// Lesson3Grid`) and far too long in a debug one, where they show as skipped.
@Suite(.optimizedOnly("2000-step grids run in optimized builds: swift test -c release --filter Lesson3Grid"))
struct Lesson3GridTests {
    /// Final validation loss per cell, `[lr: [λ: loss]]`, on both cores.
    static func grid(_ step: Step, run: Int, rates: [Float], seed: UInt64) -> [Float: [Float: Float]] {
        var spec = step.spec
        spec.seed = seed
        var onlyRun = spec
        onlyRun.runs = [spec.resolvedRuns[run]]
        let lambdas = step.sweep!.lambdas
        let sweep = Sweep(spec: onlyRun, learningRates: rates, lambdas: lambdas, steps: step.sweep!.steps)
        sweep.run()
        var out: [Float: [Float: Float]] = [:]
        for c in sweep.finished { out[rates[c.learningRateIndex], default: [:]][lambdas[c.lambdaIndex]] = c.value }
        return out
    }

    static func best(_ row: [Float: Float]) -> Float { row.min { $0.value < $1.value }!.key }

    /// A cell collapsed to a guess among five classes: loss near ln 5 ≈ 1.61.
    static func collapsed(_ loss: Float) -> Bool { loss.isNaN || loss > 1.55 }

    /// Step 2: "At every lr from 0.01 to 0.1 the best λ is 0.003 or 0.01, and
    /// at lr 0.03 and 0.1 it is 0.01 in every seed. λ = 0.03 is already worse
    /// everywhere, and 0.1 collapses every row. (At lr 0.003 the best λ is
    /// 0.003 in all five seeds; at lr 0.001 … between 0.0001 and 0.003.)"
    /// "Adam + L2 … best λ is 0.01 or 0.03 at lr 0.003 and 0.01, then falls
    /// to 0.001 or below at lr 0.1, where every λ ≥ 0.01 collapses." "Adam +
    /// L2's best cell is as good as the paper form's or better in four seeds
    /// of five; in the fifth, this step's own seed, the paper form's is
    /// better, 0.46 against 0.48. Across the five seeds the best cells lie
    /// between 0.40 and 0.53 for both."
    @Test func l3PaperGrid() throws {
        let step = try load("03-adam-l2-vs-adamw.md").steps[2]
        let rates = step.sweep!.learningRates
        var l2AsGood = 0
        for seed in claimSeeds {
            let paper = Self.grid(step, run: 1, rates: rates, seed: seed)
            let l2 = Self.grid(step, run: 0, rates: rates, seed: seed)
            for lr: Float in [0.01, 0.03, 0.1] { #expect([0.003, 0.01].contains(Self.best(paper[lr]!)), "seed \(seed), lr \(lr): \(paper[lr]!)") }
            for lr: Float in [0.03, 0.1] { #expect(Self.best(paper[lr]!) == 0.01, "seed \(seed), lr \(lr)") }
            for lr in rates {
                let row = paper[lr]!
                #expect(row[0.03]! > row.values.min()!, "seed \(seed), lr \(lr)")
                #expect(Self.collapsed(row[0.1]!), "seed \(seed), lr \(lr): \(row[0.1]!)")
            }
            #expect(Self.best(paper[0.003]!) == 0.003, "seed \(seed): \(paper[0.003]!)")
            #expect([0.0001, 0.0003, 0.001, 0.003].contains(Self.best(paper[0.001]!)), "seed \(seed): \(paper[0.001]!)")
            for lr: Float in [0.003, 0.01] { #expect([0.01, 0.03].contains(Self.best(l2[lr]!)), "seed \(seed), lr \(lr): \(l2[lr]!)") }
            #expect(Self.best(l2[0.1]!) <= 0.001, "seed \(seed): \(l2[0.1]!)")
            for lambda: Float in [0.01, 0.03, 0.1] { #expect(Self.collapsed(l2[0.1]![lambda]!), "seed \(seed), λ \(lambda)") }
            let bestL2 = l2.values.flatMap(\.values).filter { !$0.isNaN }.min()!
            let bestPaper = paper.values.flatMap(\.values).filter { !$0.isNaN }.min()!
            if bestL2 <= bestPaper * 1.005 { l2AsGood += 1 }
            for best in [bestL2, bestPaper] { #expect(best >= 0.395 && best < 0.535, "seed \(seed): \(bestL2) vs \(bestPaper)") }
            if seed == 1 { #expect(abs(bestL2 - 0.48) < 0.005 && abs(bestPaper - 0.46) < 0.005 && bestPaper < bestL2, "\(bestL2) \(bestPaper)") }
        }
        #expect(l2AsGood == 4)
    }

    /// Step 3: "PyTorch's best λ moves with lr: 1 at lr 0.003, 0.3 or 1 at lr
    /// 0.01, 0.3 at lr 0.03 and 0.1 at lr 0.1. The product lr·λ at those cells
    /// stays between 0.003 and 0.01." "λ = 1 … ends at least 1.5 times the
    /// row's best loss at lr 0.03 and collapses the model at lr 0.1." The
    /// paper-form heatmap is step 2's grid (see l3GridsAreThePapersAndPyTorchs).
    @Test func l3PyTorchGrid() throws {
        let step = try load("03-adam-l2-vs-adamw.md").steps[3]
        let rates: [Float] = [0.003, 0.01, 0.03, 0.1]
        for seed in claimSeeds {
            let g = Self.grid(step, run: 1, rates: rates, seed: seed)
            #expect(Self.best(g[0.003]!) == 1, "seed \(seed): \(g[0.003]!)")
            #expect([0.3, 1].contains(Self.best(g[0.01]!)), "seed \(seed): \(g[0.01]!)")
            #expect(Self.best(g[0.03]!) == 0.3, "seed \(seed): \(g[0.03]!)")
            #expect(Self.best(g[0.1]!) == 0.1, "seed \(seed): \(g[0.1]!)")
            for lr in rates {
                let shrink = lr * Self.best(g[lr]!)
                #expect(shrink >= 0.003 * 0.999 && shrink <= 0.01 * 1.001, "seed \(seed), lr \(lr): \(shrink)")
            }
            #expect(g[0.03]![1]! >= 1.5 * g[0.03]!.values.min()!, "seed \(seed)")
            #expect(Self.collapsed(g[0.1]![1]!), "seed \(seed)")
        }
    }
}

