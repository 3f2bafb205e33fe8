import Foundation
import Testing
@testable import DecayEngine

// What a LoRA run measures, each against a computation that does not share
// the engine's: ΔW formed in full and its top singular value by power
// iteration, the shrink product from the run's own learning rates, the
// function distance from a forward pass of the untouched starting network.

private func spec(lambda: Float = 0.1, steps: Int = 20, schedule: ScheduleShape = .constant) -> ExperimentSpec {
    var spec = ExperimentSpec(
        data: DataSpec(kind: .spirals), model: ModelSpec(kind: .mlp, hidden: [24, 16]),
        optimizer: OptimizerSpec(kind: .adamw, learningRate: 0.01), weightDecay: lambda, schedule: schedule,
        steps: steps, evaluationInterval: 10)
    spec.adapter = AdapterSpec(rank: 4, alpha: 8)
    spec.measuresDistanceFromInit = true
    return spec
}

/// ΔW = s·B·A of `l`, out × in, in Double.
private func fullUpdate(_ l: LoRALinear) -> [[Double]] {
    let s = Double(l.scaling), r = l.rank, k = l.inputs
    return (0..<l.outputs).map { o in
        (0..<k).map { j in s * (0..<r).reduce(0.0) { $0 + Double(l.loraB.value[o * r + $1]) * Double(l.loraA.value[$1 * k + j]) } }
    }
}

/// σ₁ of `w` by power iteration on WᵀW.
private func topSingularValue(_ w: [[Double]]) -> Double {
    var v = [Double](repeating: 1, count: w[0].count)
    var sigma = 0.0
    for _ in 0..<200 {
        let wv = w.map { row in zip(row, v).reduce(0.0) { $0 + $1.0 * $1.1 } }
        var next = [Double](repeating: 0, count: v.count)
        for (o, row) in w.enumerated() { for j in row.indices { next[j] += row[j] * wv[o] } }
        let n = next.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
        sigma = n.squareRoot()
        v = next.map { $0 / n }
    }
    return sigma
}

@Suite("LoRA measurements")
struct LoRAMetricsTests {
    /// At an evaluation point a LoRA run records, per adapted layer, ‖A‖,
    /// ‖B‖, ‖ΔW‖_F, every singular value, the stable and the effective rank;
    /// between evaluation points only the factors' norms.
    @Test func aLoRARunRecordsItsUpdatesSpectrum() throws {
        let e = Experiment(spec: spec())
        e.advance(steps: 20)
        let run = e.runs[0]
        let layers = run.network.adapterLayers
        #expect(run.layout.scope?.adapters == layers.map { .init(layer: $0.index, rank: 4) })
        #expect(e.spec?.adaptedLayers == run.layout.scope?.adapters, "the lesson checker names the same members")
        let last = try #require(run.history.last), before = run.history[run.history.count - 2]
        #expect(last.step == 20 && last.isEvaluationPoint && !before.isEvaluationPoint)
        for (index, l) in layers {
            let w = fullUpdate(l)
            let frobenius = w.reduce(0.0) { $0 + $1.reduce(0.0) { $0 + $1 * $1 } }.squareRoot()
            let top = topSingularValue(w)
            let sv = (0..<4).compactMap { Metric(.singularValue, .component(layer: index, index: $0)).flatMap { last[$0] } }
            #expect(sv.count == 4 && sv == sv.sorted(by: >))
            #expect(abs(Double(sv[0]) - top) < 1e-4 * top, "σ₁ \(sv[0]) vs \(top)")
            let deltaW = try #require(Metric(.adapterUpdateNorm, .layer(index)).flatMap { last[$0] })
            #expect(abs(Double(deltaW) - frobenius) < 1e-4 * frobenius)
            let stable = try #require(Metric(.stableRank, .layer(index)).flatMap { last[$0] })
            #expect(abs(Double(stable) - frobenius * frobenius / (top * top)) < 1e-3 && stable >= 1 && stable <= 4)
            // A 24 × 2 update has rank at most 2: its other singular values are 0.
            let total = sv.reduce(0.0) { $0 + Double($1) }
            let entropy = sv.filter { $0 > 0 }.reduce(0.0) { $0 - Double($1) / total * log(Double($1) / total) }
            let effective = try #require(Metric(.effectiveRank, .layer(index)).flatMap { last[$0] })
            #expect(abs(Double(effective) - exp(entropy)) < 1e-4)
            let a = try #require(Metric(.adapterANorm, .layer(index)).flatMap { before[$0] })
            #expect(a > 0 && Metric(.singularValue, .component(layer: index, index: 0)).flatMap { before[$0] } == nil)
            let b = l.loraB.value.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(Double(last[Metric(.adapterBNorm, .layer(index))!] ?? 0) - b) < 1e-6 * b)
        }
    }

    /// Π(1 − lr_t·λ) over the steps so far, from the run's own rates under a
    /// cosine schedule; exactly 1 at λ = 0 or with the adapters undecayed;
    /// not recorded under Adam + L2.
    @Test func theTotalShrinkIsTheProductOfEachStepsFactor() throws {
        var s = spec(lambda: 0.5, steps: 30, schedule: .cosine(warmup: 5, total: 30, floor: 0))
        s.runs = [RunSpec(name: "decayed"), RunSpec(name: "λ 0"), RunSpec(name: "undecayed"), RunSpec(name: "adam + L2")]
        s.runs[1].weightDecay = 0
        s.runs[2].groups = [.adapters: false]
        s.runs[3].optimizer = .adam
        s.runs[3].decay = .l2
        let e = Experiment(spec: s)
        e.advance(steps: 30)
        let run = e.runs[0]
        var want = 1.0
        for entry in run.history {
            want *= 1 - Double(run.learningRate(step: entry.step)) * 0.5
            let got = try #require(entry[Metric(.totalShrink)])
            #expect(abs(Double(got) - want) < 1e-6 * want, "step \(entry.step)")
        }
        #expect(want < 0.95)
        #expect(e.runs[1].history.allSatisfy { $0[Metric(.totalShrink)] == 1 })
        #expect(e.runs[2].history.allSatisfy { $0[Metric(.totalShrink)] == 1 })
        #expect(e.runs[3].history.allSatisfy { $0[Metric(.totalShrink)] == nil })
    }

    /// The function distance is the RMS over the validation set of
    /// ‖f(x) − f₀(x)‖, f₀ the untouched starting network (for an adapter,
    /// the base model), for a LoRA run and a full fine-tune alike.
    @Test func theFunctionDistanceIsTheOutputsRMSFromTheStart() throws {
        var s = spec()
        s.runs = [RunSpec(name: "lora"), RunSpec(name: "full")]
        s.runs[1].adapter = .full
        let e = Experiment(spec: s)
        e.advance(steps: 20)
        for (i, run) in e.runs.enumerated() {
            let x = e.data.validationX
            let start = e.initialNetwork(ofRun: i)
            start.forward(x, training: false)
            let f0 = start.output.storage
            run.network.forward(x, training: false)
            let f = run.network.output.storage
            let want = (zip(f, f0).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) } / Double(x.rows)).squareRoot()
            let got = try #require(run.history.last?[Metric(.functionDistance)])
            #expect(want > 0 && abs(Double(got) - want) < 1e-4 * want, "\(run.name): \(got) vs \(want)")
        }
    }
}
