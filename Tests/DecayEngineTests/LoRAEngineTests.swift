import Foundation
import Testing
@testable import DecayEngine

// LoRA in the engine: how an adapter is attached (peft's initialization, the
// base frozen), what training may and may not touch, decay toward A₀ and B₀,
// the spectrum of ΔW against closed forms and an independent power iteration,
// and the export round trip.

/// A small classification experiment with an adapter on its hidden layers.
private func adaptedSpec(rank: Int = 4, lambda: Float = 0.1, loraDropout: Float = 0.1, steps: Int = 60) -> ExperimentSpec {
    var spec = ExperimentSpec(
        data: DataSpec(kind: .spirals), model: ModelSpec(kind: .mlp, hidden: [24, 16], layerNorm: true),
        optimizer: OptimizerSpec(kind: .adamw, learningRate: 0.01), weightDecay: lambda, steps: steps, evaluationInterval: 10)
    spec.adapter = AdapterSpec(rank: rank, alpha: 2 * Float(rank))
    spec.loraDropout = loraDropout
    return spec
}

@Suite("LoRA in the engine")
struct LoRAEngineTests {
    /// peft's defaults: A ~ U(−1/√in, 1/√in) (Kaiming-uniform, a = √5), B = 0,
    /// so the adapted model computes exactly what the base computes.
    @Test func attachingDrawsAAsPeftAndStartsAtTheBaseModel() {
        let base = ModelSpec(kind: .mlp, hidden: [256, 64])
        var rng = RandomSource(seed: 5, stream: "init")
        let net = base.build(base.layers(inputWidth: 256, outputWidth: 3, vocabulary: 0, dropout: 0), rng: &rng)
        var adapterRNG = RandomSource(seed: 5, stream: "adapters")
        let adapted = AdapterSpec(rank: 8, alpha: 16).attach(to: net, dropout: 0, rng: &adapterRNG)
        let loras = adapted.adapterLayers
        #expect(loras.map(\.index) == [0, 2], "hidden targets every linear layer but the head")
        let first = loras[0].layer
        let bound = 1 / Float(256).squareRoot()
        let a = first.loraA.value
        #expect(a.count == 8 * 256 && a.allSatisfy { abs($0) <= bound })
        // U(−b, b): mean 0, variance b²/3, and the extremes near ±b.
        let mean = a.reduce(0, +) / Float(a.count)
        let variance = a.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(a.count)
        #expect(abs(mean) < 0.05 * bound && abs(variance / (bound * bound / 3) - 1) < 0.1)
        #expect(a.max()! > 0.99 * bound && a.min()! < -0.99 * bound)
        #expect(loras.allSatisfy { $0.layer.loraB.value.allSatisfy { $0 == 0 } })
        // Only the factors train; every other tensor is frozen and in no group the optimizer sees.
        #expect(adapted.parameters.map(\.group).allSatisfy { $0 == .adapters } && adapted.parameters.count == 4)
        #expect(adapted.allParameters.count == net.allParameters.count + 4)
        let x = Matrix(rows: 5, columns: 256, storage: (0..<1280).map { Float(($0 * 37) % 101) / 50 - 1 })
        net.forward(x, training: false)
        adapted.forward(x, training: true, step: 1, seed: 9)
        #expect(adapted.output.storage == net.output.storage, "B = 0: the adapter adds exactly zero")
    }

    /// The frozen base is never updated: after training with AdamW and decay
    /// every frozen tensor is bit for bit what it was, while A and B moved.
    @Test func theFrozenBaseIsBitIdenticalAfterTraining() throws {
        let e = Experiment(spec: adaptedSpec())
        let before = e.runs[0].network.allParameters.filter(\.isFrozen).map(\.value)
        let factors = e.runs[0].network.parameters.map(\.value)
        e.advance(steps: 60)
        let run = e.runs[0]
        #expect(!run.status.isDiverged)
        let after = run.network.allParameters.filter(\.isFrozen).map(\.value)
        #expect(before.count == 10, "three linears' weights and biases, two LayerNorms' gains and shifts")
        for (x, y) in zip(before, after) { #expect(x.map(\.bitPattern) == y.map(\.bitPattern)) }
        #expect(zip(factors, run.network.parameters.map(\.value)).allSatisfy { $0 != $1 })
        #expect(e.groups == [.adapters] && run.layout.metrics.filter { $0.kind == .norm }.map(\.group) == [.adapters])
    }

    /// The distance chart measures a LoRA run in weight space: ‖ΔW − ΔW₀‖_F
    /// summed over the adapted layers (its base does not move), here ΔW
    /// itself as B₀ = 0, built in full; and a run with `steps` stops there.
    @Test func distanceIsTheWeightUpdateAndAShortRunStops() throws {
        var spec = adaptedSpec(loraDropout: 0, steps: 40)
        spec.measuresDistanceFromInit = true
        spec.runs = [RunSpec(name: "all"), RunSpec(name: "short")]
        spec.runs[1].steps = 25
        let e = Experiment(spec: spec)
        e.advance(steps: 40)
        let run = e.runs[0]
        var want = 0.0
        for (_, l) in run.network.adapterLayers {
            let s = Double(l.scaling), r = l.rank, k = l.inputs, m = l.outputs
            for o in 0..<m {
                for j in 0..<k {
                    var w = 0.0
                    for t in 0..<r { w += Double(l.loraB.value[o * r + t]) * Double(l.loraA.value[t * k + j]) }
                    want += s * s * w * w
                }
            }
        }
        let got = try #require(run.distanceFromInit)
        #expect(want > 0 && abs(Double(got) - want.squareRoot()) < 1e-4 * want.squareRoot(), "\(got) vs \(want.squareRoot())")
        let spectra = run.network.adapterLayers.map { AdapterSpectrum($0.layer).frobeniusNorm }
        #expect(abs(Double(spectra.reduce(0) { $0 + $1 * $1 }.squareRoot()) - want.squareRoot()) < 1e-4 * want.squareRoot())
        #expect(e.runs[1].history.last?.step == 25 && run.history.last?.step == 40)
    }

    /// `decay_to = init` keeps its meaning: toward A₀ and B₀ (B₀ = 0). At
    /// lr·λ = 1 each step first puts the factors back on the anchor, so A
    /// stays within about one Adam step (lr per entry) of A₀ — or of zero.
    @Test func decayTowardInitPullsTowardTheInitialFactors() throws {
        var toward = adaptedSpec(lambda: 100, loraDropout: 0, steps: 200)
        toward.decayTo = .initial
        let zero = adaptedSpec(lambda: 100, loraDropout: 0, steps: 200)
        let a = Experiment(spec: toward), b = Experiment(spec: zero)
        let a0 = a.runs[0].network.parameters[0].value
        #expect(a.runs[0].initialParameters?.count == 4)
        a.advance(steps: 200)
        b.advance(steps: 200)
        func norm(_ v: [Float]) -> Float { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let towardA = a.runs[0].network.parameters[0].value, zeroA = b.runs[0].network.parameters[0].value
        #expect(norm(zip(towardA, a0).map { $0 - $1 }) < 0.2 * norm(a0))
        #expect(norm(zeroA) < 0.2 * norm(a0))
    }

    /// Closed form: A's rows cᵢ·e_π(i), B's columns dᵢ·e_ρ(i) (distinct basis
    /// vectors) make ΔW = s·Σ cᵢdᵢ·e_ρ(i)e_π(i)ᵀ, whose singular values are
    /// s·|cᵢdᵢ|: stable rank Σσ²/σ₁², effective rank exp(H(σ/Σσ)).
    @Test func spectrumOfOrthogonalFactorsIsTheProductOfTheirScales() {
        let r = 4, k = 9, m = 7
        let c: [Float] = [0.5, -2, 1, 0.25], d: [Float] = [3, 0.5, -1, 0]
        var a = [Float](repeating: 0, count: r * k), b = [Float](repeating: 0, count: m * r)
        for i in 0..<r { a[i * k + (2 * i + 1)] = c[i]; b[(m - 1 - i) * r + i] = d[i] }
        let s: Float = 1.5
        let spectrum = a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { AdapterSpectrum(a: pa, b: $0, rank: r, inputs: k, outputs: m, scaling: s) }
        }
        let want = zip(c, d).map { abs($0 * $1) * s }.sorted(by: >)
        for (g, w) in zip(spectrum.singularValues, want) { #expect(abs(g - w) <= 1e-6 * max(w, 1)) }
        #expect(abs(spectrum.stableRank! - (2.25 * 2.25 + 1.5 * 1.5 + 1.5 * 1.5) / (2.25 * 2.25)) < 1e-5)
        let p = want.map { Double($0) / Double(want.reduce(0, +)) }.filter { $0 > 0 }
        let h = -p.reduce(0) { $0 + $1 * log($1) }
        #expect(abs(Double(spectrum.effectiveRank!) - exp(h)) < 1e-5)
        // Equal singular values: both ranks are the count; ΔW = 0: neither exists.
        let equal = AdapterSpectrum(singularValues: [2, 2, 2])
        #expect(abs(equal.stableRank! - 3) < 1e-6 && abs(equal.effectiveRank! - 3) < 1e-5)
        #expect(AdapterSpectrum(singularValues: [0, 0]).stableRank == nil && AdapterSpectrum(singularValues: [0]).effectiveRank == nil)
    }

    /// Random factors against ΔW built in full: Σσ² = ‖ΔW‖²_F, and σ₁ is what
    /// power iteration on ΔWᵀΔW finds (an independent route to ‖ΔW‖₂).
    @Test(arguments: [1, 3, 8, 16])
    func spectrumAgreesWithTheFullMatrix(rank r: Int) {
        var rng = TestRandom(seed: UInt64(40 + r))
        let k = 33, m = 21
        let a = rng.floats(r * k), b = rng.floats(m * r)
        let s: Float = 0.7
        var w = [Double](repeating: 0, count: m * k)
        for o in 0..<m { for j in 0..<k { for t in 0..<r { w[o * k + j] += Double(s) * Double(b[o * r + t]) * Double(a[t * k + j]) } } }
        let spectrum = a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { AdapterSpectrum(a: pa, b: $0, rank: r, inputs: k, outputs: m, scaling: s) }
        }
        let frobenius = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(Double(spectrum.frobeniusNorm) - frobenius) < 1e-5 * frobenius)
        var v = (0..<k).map { Double($0 % 5) + 1 }
        var sigma = 0.0
        for _ in 0..<500 {
            var u = [Double](repeating: 0, count: m)
            for o in 0..<m { for j in 0..<k { u[o] += w[o * k + j] * v[j] } }
            var next = [Double](repeating: 0, count: k)
            for o in 0..<m { for j in 0..<k { next[j] += w[o * k + j] * u[o] } }
            let n = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
            sigma = n.squareRoot()
            v = next.map { $0 / n }
        }
        #expect(abs(Double(spectrum.singularValues[0]) - sigma) < 1e-5 * sigma)
        #expect(spectrum.singularValues == spectrum.singularValues.sorted(by: >))
        #expect(spectrum.singularValues.count == r)
    }

    /// experiment.json carries the adapter and the base: the file rebuilt
    /// trains to the same history bit for bit, frozen tensors included.
    @Test func exportRoundTripKeepsTheAdapterAndTheFrozenBase() throws {
        let spec = adaptedSpec(steps: 30)
        let e = Experiment(spec: spec)
        e.advance(steps: 30)
        let file = ExperimentFile(experiment: e)
        let data = try JSONEncoder().encode(file)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"type\":\"lora\"") && text.contains("\"lora_A\"") && text.contains("\"frozen\":true"))
        let again = try Experiment(file: JSONDecoder().decode(ExperimentFile.self, from: data))
        #expect(again.runs[0].network.parameters.count == 4 && again.groups == [.adapters])
        again.advance(steps: 30)
        let got = again.runs[0].history.map { $0[.trainLoss] }, want = e.runs[0].history.map { $0[.trainLoss] }
        #expect(got == want)
        #expect(again.runs[0].network.allParameters.map(\.value) == e.runs[0].network.allParameters.map(\.value))
    }
}
