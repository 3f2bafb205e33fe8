import Foundation
import Testing
@testable import DecayEngine

// What a run records beside its losses: the penalty, the full training loss
// in evaluation mode, frequent vs rare embedding rows, LayerNorm gains and
// shifts — each against a closed form or a computation done here by hand.

private func layerNormSpec(optimizer: OptimizerSpec, decay: DecayMode?, lambda: Float, steps: Int = 3,
                           groups: [ParameterGroup: Bool] = [:]) -> ExperimentSpec {
    ExperimentSpec(
        data: DataSpec(kind: .moons, trainCount: 40, validationCount: 24),
        model: ModelSpec(kind: .mlp, hidden: [6, 5], activation: .tanh, layerNorm: true),
        optimizer: optimizer, decay: decay, weightDecay: lambda, groups: groups, steps: steps, seed: 4)
}

@Suite("Run measurements")
struct RunMeasurementsTests {
    @Test func groupValuesTellAbsentFromNaN() {
        var v = GroupValues()
        #expect(v[.weights] == nil)
        v[.weights] = .nan
        #expect(v[.weights] != nil)
        #expect(v[.weights]!.isNaN)
        #expect(v.groups == [.weights])
        v.accumulate(.biases, 2)
        v.accumulate(.biases, 3)
        #expect(v[.biases] == 5)
        #expect(v.map { $0 * 2 }[.biases] == 10)
        #expect(v.map { $0 * 2 }[.layerNorms] == nil)
        var w = v
        #expect(w == v)
        w[.weights] = nil
        #expect(w != v)
        #expect(w.storage[0].isNaN)
    }

    /// λ = 3e38 makes the decay's share of a step inf × 0 = NaN for a zero
    /// LayerNorm shift. The run must end as a diverged run, not a trap.
    /// (Adam with L2 is left out: dividing by √v̂ bounds its step, so it
    /// need not diverge.)
    @Test(arguments: [DecayMode.decoupled, .l2, .independent])
    func runawayLambdaIsADivergedRun(mode: DecayMode) {
        for kind in mode == .l2 ? [OptimizerSpec.Kind.sgd] : [.sgd, .adamw] {
            let spec = layerNormSpec(optimizer: OptimizerSpec(kind: kind, learningRate: 0.01), decay: mode,
                                     lambda: 3e38, steps: 20)
            let e = Experiment(spec: spec)
            e.advance(steps: 20)
            let run = e.runs[0]
            #expect(run.status.isDiverged, "\(kind) \(mode): \(run.status)")
            for entry in run.history {
                #expect(entry[.norm(.layerNorms)] != nil)
                #expect(entry[.decayShare(.layerNorms)] != nil)
            }
        }
    }

    /// With lr = 0 nothing moves, so the penalty is (λ/2)·Σ‖p₀‖² over the
    /// decayed groups of the initial parameters, at every step.
    @Test func penaltyIsHalfLambdaTimesDecayedSquares() {
        let lambda: Float = 0.3
        let spec = layerNormSpec(optimizer: OptimizerSpec(kind: .sgd, learningRate: 0), decay: .l2, lambda: lambda,
                                 groups: [.biases: false])
        let e = Experiment(spec: spec)
        e.advance(steps: 2)
        var squares = 0.0
        for p in e.initialNetwork.parameters where p.group != .biases {
            squares += p.value.reduce(0.0) { $0 + Double($1) * Double($1) }
        }
        for entry in e.runs[0].history {
            #expect(abs(Double(entry[.penalty]!) - 0.5 * Double(lambda) * squares) <= 1e-5 * squares)
        }
    }

    /// γ = 1 and β = 0 at the start, so with lr = 0 the gains' norm is
    /// √(Σ widths) and the shifts' 0; independent decay with λ = 0.25 then
    /// multiplies γ by 0.75 per step whatever the learning rate.
    @Test func layerNormGainsAndShiftsAreSeparateSeries() throws {
        let width = Float(6 + 5)
        let still = Experiment(spec: layerNormSpec(optimizer: OptimizerSpec(kind: .sgd, learningRate: 0), decay: nil, lambda: 0))
        still.advance(steps: 1)
        let first = try #require(still.runs[0].history.last)
        #expect(first[.gainNorm] == width.squareRoot())
        #expect(first[.shiftNorm] == 0)

        let shrinking = Experiment(spec: layerNormSpec(
            optimizer: OptimizerSpec(kind: .sgd, learningRate: 0), decay: .independent, lambda: 0.25))
        shrinking.advance(steps: 2)
        let entries = shrinking.runs[0].history
        let expected = [0.75, 0.5625].map { Float($0) * width.squareRoot() }
        for (entry, value) in zip(entries, expected) {
            let gains = try #require(entry[.gainNorm])
            #expect(abs(gains - value) <= 1e-6 * value)
            #expect(entry[.shiftNorm] == 0)
        }
        // And they are what the parameters say after training moves them.
        let moving = Experiment(spec: layerNormSpec(optimizer: OptimizerSpec(kind: .adam, learningRate: 0.05), decay: nil, lambda: 0))
        moving.advance(steps: 3)
        let run = moving.runs[0]
        let norms = run.network.layers.compactMap { $0 as? LayerNorm }
        let gains = norms.reduce(0.0) { $0 + $1.gain.value.reduce(0.0) { $0 + Double($1 * $1) } }.squareRoot()
        let shifts = norms.reduce(0.0) { $0 + $1.shift.value.reduce(0.0) { $0 + Double($1 * $1) } }.squareRoot()
        let last = try #require(run.history.last)
        #expect(abs(Double(last[.gainNorm]!) - gains) <= 1e-5 * gains)
        #expect(abs(Double(last[.shiftNorm]!) - shifts) <= 1e-5 * shifts)
        #expect(last[.shiftNorm]! > 0)
        #expect(last[.frequentRowNorm] == nil && last[.rareRowNorm] == nil)
    }

    @Test func modelsWithoutLayerNormOrEmbeddingsRecordNeither() {
        let spec = ExperimentSpec(data: DataSpec(kind: .linearRegression), model: ModelSpec(kind: .linear),
                                  optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.01), steps: 2)
        let e = Experiment(spec: spec)
        e.advance(steps: 2)
        #expect(e.runs[0].history.allSatisfy { e in
            [Metric.gainNorm, .shiftNorm, .frequentRowNorm, .rareRowNorm].allSatisfy { e[$0] == nil }
        })
        #expect(!e.runs[0].layout.metrics.contains { [.gainNorm, .shiftNorm, .frequentRowNorm, .rareRowNorm].contains($0) })
    }

    @Test func tokenBandsAreTheTopAndBottomQuartileByCount() {
        let bands = TokenFrequencyBands(counts: [5, 0, 3, 3, 9, 1, 0, 2])
        #expect(bands.frequent == [0, 4])
        #expect(bands.rare == [1, 6])
        let tiny = TokenFrequencyBands(counts: [1, 2])
        #expect(tiny.frequent == [1])
        #expect(tiny.rare == [0])
        let fromInputs = TokenFrequencyBands(tokenInputs: Matrix([[0, 0, 3], [3, 3, 1], [7, 9, 3]]), vocabulary: 8)
        // Counts: 0:2, 1:1, 3:4, 7:2 (9 is clamped to 7), the rest 0.
        #expect(fromInputs.frequent == [0, 3])
        #expect(fromInputs.rare == [5, 6])
    }

    /// The recorded row norms are the mean ‖row‖ of the rows this test picks
    /// from its own count of the training tokens.
    @Test func embeddingRowNormsFollowTokenFrequency() throws {
        let spec = ExperimentSpec(
            data: DataSpec(kind: .tokens, trainCount: 60, validationCount: 30, vocabulary: 40, sequenceLength: 4),
            model: ModelSpec(kind: .embedding, hidden: [8], embeddingDimension: 6),
            optimizer: OptimizerSpec(kind: .adamw, learningRate: 0.05), weightDecay: 0.5, steps: 5)
        let e = Experiment(spec: spec)
        e.advance(steps: 5)
        var counts = [Int](repeating: 0, count: 40)
        for v in e.data.trainX.storage { counts[Int(v)] += 1 }
        let order = counts.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        let frequent = Array(order.prefix(10)), rare = Array(order.suffix(10))
        #expect(counts[frequent.last!] >= counts[rare.first!])
        let table = try #require(e.runs[0].network.layers.first as? Embedding).table
        func meanRowNorm(_ ids: [Int]) -> Double {
            ids.reduce(0.0) { sum, id in
                sum + table.value[(id * 6)..<((id + 1) * 6)].reduce(0.0) { $0 + Double($1 * $1) }.squareRoot()
            } / Double(ids.count)
        }
        let last = try #require(e.runs[0].history.last)
        #expect(abs(Double(last[.frequentRowNorm]!) - meanRowNorm(frequent)) <= 1e-5 * meanRowNorm(frequent))
        #expect(abs(Double(last[.rareRowNorm]!) - meanRowNorm(rare)) <= 1e-5 * meanRowNorm(rare))
    }

    /// At evaluation points the full training set's loss is measured in
    /// evaluation mode after the update; elsewhere it is NaN.
    @Test func fullTrainLossIsMeasuredAtEvaluationPoints() throws {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .linearRegression, trainCount: 12, validationCount: 8, inputs: 3),
            model: ModelSpec(kind: .linear), optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.1),
            steps: 6, batchSize: 4)
        spec.evaluationInterval = 3
        let e = Experiment(spec: spec)
        e.advance(steps: 2)
        #expect(e.runs[0].history.allSatisfy { ($0[.fullTrainLoss] == nil) && !$0.isEvaluationPoint })
        e.advance()
        let entry = try #require(e.runs[0].history.last)
        #expect(entry.step == 3 && entry.isEvaluationPoint)
        let linear = try #require(e.runs[0].network.layers.first as? Linear)
        let w = linear.weight.value, b = linear.bias?.value[0] ?? 0
        var sum = 0.0
        for i in 0..<e.data.trainX.rows {
            var prediction = Double(b)
            for j in 0..<3 { prediction += Double(w[j]) * Double(e.data.trainX[i, j]) }
            let r = prediction - Double(e.data.trainY[i, 0])
            sum += r * r
        }
        let expected = sum / Double(e.data.trainX.rows)
        #expect(abs(Double(entry[.fullTrainLoss]!) - expected) <= 1e-5 * expected)
    }

    /// Validation accuracy is the share of validation rows whose arg-max
    /// logit is the label, counted here from the network's own outputs.
    @Test func validationAccuracyCountsArgMaxHits() throws {
        let e = Experiment(spec: layerNormSpec(optimizer: OptimizerSpec(kind: .adam, learningRate: 0.05), decay: nil, lambda: 0))
        e.advance(steps: 3)
        let run = e.runs[0]
        let accuracy = try #require(run.history.last?[.validationAccuracy])
        run.network.forward(e.data.validationX, training: false)
        let out = run.network.output
        var hits = 0
        for i in 0..<out.rows {
            let best = (0..<out.columns).max { out[i, $0] < out[i, $1] }!
            if best == Int(e.data.validationY[i, 0]) { hits += 1 }
        }
        #expect(accuracy == Float(hits) / Float(out.rows))
        let regression = Experiment(spec: ExperimentSpec(
            data: DataSpec(kind: .linearRegression), model: ModelSpec(kind: .linear),
            optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.01), steps: 1))
        regression.advance()
        #expect(regression.runs[0].history.last?[.validationAccuracy] == nil)
    }
}
