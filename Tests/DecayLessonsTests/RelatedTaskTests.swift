import Testing
import Foundation
@testable import DecayEngine
@testable import DecayLessons

/// `related = ρ`: a token task whose hidden scores correlate ρ with the
/// pretraining task's, the same task whatever the seed.
@Suite struct RelatedTaskTests {
    private func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count), ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var ab = 0.0, aa = 0.0, bb = 0.0
        for (x, y) in zip(a, b) { ab += (x - ma) * (y - mb); aa += (x - ma) * (x - ma); bb += (y - mb) * (y - mb) }
        return ab / (aa * bb).squareRoot()
    }

    /// ρ·s + √(1 − ρ²)·z with s, z independent N(0, 1): correlation ρ with s
    /// and variance 1, so the classes stay balanced; ρ = 1 is s itself.
    @Test func scoresCorrelateRhoWithTheBaseTask() {
        let base = DataSet.relatedTokenScores(vocabulary: 5000, correlation: 1)
        let related = DataSet.relatedTokenScores(vocabulary: 5000, correlation: 0.85)
        #expect(abs(correlation(base, related) - 0.85) < 0.02, "\(correlation(base, related))")
        let variance = related.map { $0 * $0 }.reduce(0, +) / Double(related.count)
        #expect(abs(variance - 1) < 0.06, "\(variance)")
        #expect(abs(correlation(base, DataSet.relatedTokenScores(vocabulary: 5000, correlation: 0))) < 0.05)
        #expect(DataSet.relatedTokenScores(vocabulary: 5000, correlation: 0.85) == related)
    }

    /// The task does not depend on the seed: two seeds draw different
    /// examples, but a sequence that both draw gets the same clean label.
    /// Without `related` the scores come from the seed, as before.
    @Test func theTaskIsFixedTheSeedDrawsTheExamples() {
        var spec = DataSpec(kind: .tokens, trainCount: 3000, validationCount: 10, labelNoise: 0, vocabulary: 20, sequenceLength: 1)
        spec.taskCorrelation = 0.85
        let a = DataSet.generate(spec, seed: 1), b = DataSet.generate(spec, seed: 2)
        #expect(a.trainX.storage != b.trainX.storage)
        var labelOfToken: [Float: Float] = [:]
        for i in 0..<a.trainX.rows { labelOfToken[a.trainX[i, 0]] = a.trainY[i, 0] }
        var shared = 0
        for i in 0..<b.trainX.rows {
            guard let label = labelOfToken[b.trainX[i, 0]] else { continue }
            #expect(label == b.trainY[i, 0])
            shared += 1
        }
        #expect(shared > 2000)
        // Without `related`, one-token sequences of the same token can have
        // different classes under different seeds.
        spec.taskCorrelation = nil
        let c = DataSet.generate(spec, seed: 1), d = DataSet.generate(spec, seed: 2)
        var cLabel: [Float: Float] = [:]
        for i in 0..<c.trainX.rows { cLabel[c.trainX[i, 0]] = c.trainY[i, 0] }
        #expect((0..<d.trainX.rows).contains { i in cLabel[d.trainX[i, 0]].map { $0 != d.trainY[i, 0] } ?? false })
    }

    @Test func mistakesAreLocated() {
        let base = "data = tokens\nmodel = embedding\noptimizer = adamw\n"
        let alone = errors(step(base + "related = 0.85"))
        #expect(alone.count == 1 && alone[0].line == 11 && alone[0].message.contains("pretraining"), "\(alone)")
        let range = errors(step(base + "related = 1.5"))
        #expect(range.count == 1 && range[0].line == 11 && range[0].message.contains("[0, 1]"), "\(range)")
        let moons = errors(step("data = moons\nmodel = mlp\nhidden = [8]\noptimizer = adamw\nrelated = 0.5"))
        #expect(moons.contains { $0.line == 12 && $0.message.contains("does not apply") }, "\(moons)")
    }

    /// Pretraining a related experiment learns the base task (ρ = 1), on
    /// its own seed; an experiment without `related` pretrains on its own kind as before.
    @Test func pretrainingLearnsTheBaseTask() {
        var data = DataSpec(kind: .tokens, trainCount: 800, vocabulary: 1000, sequenceLength: 8)
        data.taskCorrelation = 0.85
        let e = ExperimentSpec(data: data, model: ModelSpec(kind: .embedding, hidden: [32]),
                               optimizer: OptimizerSpec(kind: .adamw, learningRate: 0.003))
        let p = PretrainSpec(trainCount: 20000, steps: 1000).pretrainingSpec(for: e)
        #expect(p.data.taskCorrelation == 1 && p.data.trainCount == 20000 && p.seed != e.seed)
        data.taskCorrelation = nil
        var plain = e
        plain.data = data
        #expect(PretrainSpec().pretrainingSpec(for: plain).data.taskCorrelation == nil)
    }
}
