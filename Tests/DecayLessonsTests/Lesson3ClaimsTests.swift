import Testing
import Foundation
import DecayEngine
@testable import DecayLessons

@Suite struct Lesson3ClaimsTests {

    /// "Under Adam + L2 the rare rows are crushed: their RMS size ends below
    /// half of what AdamW leaves them, and below the frequent rows … Under
    /// AdamW … rare rows end larger than frequent ones." "each row starts with
    /// a norm near √8 ≈ 2.8."
    @Test func l3PenaltyDividedBySqrtV() throws {
        let spec = try load("03-adam-l2-vs-adamw.md").steps[0].spec
        let e = trained(spec)
        let start = rowSize(e.initialNetwork, 0..<200)
        #expect(abs(start - 2.8) < 0.15)
        let l2 = run(e, "Adam + L2"), w = run(e, "AdamW")
        #expect(l2.settings.optimizer.kind == .adam && l2.settings.decay == .l2 && l2.settings.weightDecay == 0.01)
        #expect(w.settings.optimizer.kind == .adamw && w.settings.decay == .decoupled && w.settings.weightDecay == 1)
        #expect(rowSize(l2.network, rare) < 0.5 * rowSize(w.network, rare))
        #expect(rowSize(l2.network, frequent) > rowSize(l2.network, rare))
        #expect(rowSize(w.network, rare) > rowSize(w.network, frequent))
    }

    /// The heatmap's claims, on the lr = 0.03 row: Adam + L2 is
    /// best at λ = 0.01 (worse at 0.003 and 0.03); AdamW is best at 1–3; AdamW
    /// at λ = 0.01 is more than twice its best; Adam + L2's best is as good as
    /// AdamW's. Each cell is trained exactly as the background sweep trains it.
    @Test func l3Heatmap() throws {
        let step = try load("03-adam-l2-vs-adamw.md").steps[1]
        let sweepSpec = try #require(step.sweep)
        #expect(sweepSpec.learningRates.count >= 6 && sweepSpec.lambdas.count >= 6)
        #expect(step.spec.resolvedRuns.map(\.name) == ["Adam + L2", "AdamW"])
        let sweep = Sweep(spec: step.spec, learningRates: sweepSpec.learningRates, lambdas: sweepSpec.lambdas, steps: sweepSpec.steps)
        let lr: Float = 0.03
        #expect(sweepSpec.learningRates.contains(lr))
        let l2 = Dictionary(uniqueKeysWithValues: sweepSpec.lambdas.map { ($0, sweep.evaluate(run: 0, learningRate: lr, lambda: $0)) })
        #expect(sweepSpec.lambdas.min { l2[$0]! < l2[$1]! } == 0.01, "\(l2)")
        #expect(l2[0.01]! < l2[0.003]! && l2[0.01]! < l2[0.03]!, "\(l2)")
        let w = Dictionary(uniqueKeysWithValues: sweepSpec.lambdas.map { ($0, sweep.evaluate(run: 1, learningRate: lr, lambda: $0)) })
        let bestW = min(w[1]!, w[3]!)
        #expect([1, 3].contains(sweepSpec.lambdas.min { w[$0]! < w[$1]! }!), "\(w)")
        #expect(w[0.01]! > 2 * bestW)
        #expect(l2[0.01]! <= bestW * 1.02, "Adam + L2 \(l2[0.01]!) vs AdamW \(bestW)")
        for v in sweepSpec.lambdas { #expect(v >= 0.001 && v <= 10) }

        // "No diagonal for either", on every row of both heatmaps (the step's seed).
        #expect(sweepSpec.learningRates == [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1])
        func cells(_ run: Int, _ lr: Float) -> [Float: Float] {
            Dictionary(uniqueKeysWithValues: sweepSpec.lambdas.map { ($0, sweep.evaluate(run: run, learningRate: lr, lambda: $0)) })
        }
        func best(_ c: [Float: Float]) -> Float { sweepSpec.lambdas.min { c[$0]! < c[$1]! }! }
        for lr: Float in [0.01, 0.03, 0.1] { #expect(best(cells(0, lr)) == 0.01, "Adam + L2, lr \(lr)") }
        for lr: Float in [0.0003, 0.001, 0.003] { #expect(best(cells(0, lr)) == 0.001, "Adam + L2, lr \(lr)") }
        var shrinks: [Float] = []
        for lr: Float in [0.003, 0.01, 0.03, 0.1] {
            let b = best(cells(1, lr))
            #expect([1, 3].contains(b), "AdamW, lr \(lr): \(b)")
            shrinks.append(lr * b)
        }
        #expect(shrinks.max()! / shrinks.min()! >= 30, "\(shrinks)")
        for lr: Float in [0.0003, 0.001] {
            let c = cells(1, lr), tied = sweepSpec.lambdas.filter { $0 <= 0.3 }.map { c[$0]! }
            #expect(tied.max()! < 1.02 * tied.min()!, "AdamW, lr \(lr): \(tied)")
        }
    }
}
