import Testing
@testable import DecayEngine

/// One seam for measurements: a run records every metric its model has,
/// names and shapes are checked, derived metrics read their entry.
@Suite struct MetricSeamTests {
    /// A model with every part (embedding table on tokens, LayerNorm,
    /// classification, θ₀ kept): every measured metric of its scope is in the
    /// layout, and after training each has a value where it is due.
    @Test func aRunRecordsEveryMetricItsModelHas() throws {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .tokens, trainCount: 40, validationCount: 20, vocabulary: 24, sequenceLength: 4),
            model: ModelSpec(kind: .embedding, hidden: [8], layerNorm: true, embeddingDimension: 6),
            optimizer: OptimizerSpec(kind: .adamw, learningRate: 0.01), weightDecay: 0.1, steps: 6, evaluationInterval: 3)
        spec.measuresDistanceFromInit = true
        let e = Experiment(spec: spec)
        e.advance(steps: 6)
        let run = e.runs[0]
        let scope = run.layout.scope
        #expect(scope == MetricScope(groups: [.weights, .biases, .layerNorms, .embeddings], classification: true,
                                     embeddingRows: true, layerNorm: true, initialParameters: true))
        // A model with an adapter trains only its factors, so the adapters'
        // group is the one this model lacks (LoRAMetricsTests covers it).
        #expect(run.layout.metrics == MetricScope.everything.measured.filter { $0.group != .adapters })
        for entry in run.history {
            for metric in run.layout.metrics {
                let due = entry.isEvaluationPoint || metric.kind.traits.timing != .evaluation
                #expect((entry[metric] != nil) == due, "\(metric) at step \(entry.step)")
            }
        }
        #expect(run.history.map(\.isEvaluationPoint) == [false, false, true, false, false, true])
    }

    /// A linear regression keeps only what it has: no accuracies, probes or θ₀.
    @Test func aPlainModelRecordsOnlyWhatItHas() {
        let spec = ExperimentSpec(data: DataSpec(kind: .linearRegression), model: ModelSpec(kind: .linear),
                                  optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.01), steps: 2)
        let run = Experiment(spec: spec).runs[0]
        let kinds = Set(run.layout.metrics.map(\.kind))
        #expect(kinds == [.trainLoss, .fullTrainLoss, .validationLoss, .penalty, .norm, .updateNorm, .decayShare])
        #expect(run.layout.metrics.filter { $0.kind == .norm } == [.norm(.weights), .norm(.biases)])
        // Derived kinds are members of the scope but never recorded.
        #expect(run.layout.members(of: .effectiveStep) == [.effectiveStep(.weights), .effectiveStep(.biases)])
        #expect(!run.layout.records(.gap))
    }

    @Test func namesCarryTheIndexAndShapesAreChecked() {
        #expect(Metric(name: "norm.weights") == .norm(.weights))
        #expect(Metric(name: "update_norm.embeddings") == .updateNorm(.embeddings))
        #expect(Metric(name: "norm.gains") == .gainNorm && Metric(name: "dist_init") == .distanceFromInit)
        #expect(Metric(name: "norm") == nil && Metric(name: "norm.3") == nil && Metric(name: "penalty.weights") == nil)
        #expect(Metric(.penalty, .group(.weights)) == nil)
        #expect(Metric(.norm, .layer(0)) == nil && Metric(.norm, .whole) == nil)
        #expect(Metric(.norm, .group(.biases))?.name == "norm.biases")
        #expect(Metric.decayShare(.weights).label == "decay's share of the update of weights")
        for m in Metric.all { #expect(m.kind.shape.accepts(m.index), "\(m)") }
        #expect(Metric.Index.group(.weights) < .group(.embeddings) && Metric.Index.whole < .group(.weights))
        #expect(Metric.Index.component(layer: 1, index: 0) < .component(layer: 1, index: 2))
    }

    /// Derived metrics come from the entry they are read from.
    @Test func derivedMetricsReadTheirEntry() throws {
        let entry = HistoryEntry(step: 3, learningRate: 0.1, weightDecay: 0, values: [
            .trainLoss: 0.5, .validationLoss: 0.75, .trainAccuracy: 0.875, .validationAccuracy: 0.625, .norm(.embeddings): 2,
        ])
        #expect(entry[.gap] == 0.25 && entry[.accuracyGap] == 0.25)
        #expect(entry[.effectiveStep(.embeddings)] == 0.1 / 4)
        #expect(entry[.effectiveStep(.weights)] == nil && entry[.penalty] == nil)
        let early = HistoryEntry(step: 1, learningRate: 0.1, weightDecay: 0, values: [.trainLoss: 0.5, .validationLoss: .nan])
        #expect(early[.gap] == nil && !early.isEvaluationPoint)
    }

    /// An entry copied into another layout keeps the metrics both record.
    @Test func entriesMoveBetweenLayoutsByMetric() {
        let entry = HistoryEntry(step: 4, learningRate: 0.2, weightDecay: 0.01, values: [.trainLoss: 1.5, .penalty: 0.25])
        var h = History(layout: MetricLayout([.penalty, .validationLoss]), capacity: 2)
        h.append(entry)
        #expect(h.count == 1 && h[0].step == 4 && h[0].learningRate == 0.2)
        #expect(h[0][.penalty] == 0.25 && h[0][.validationLoss] == nil && h[0][.trainLoss] == nil)
        #expect(h.series(.penalty).map(\.value) == [0.25] && h.latest(.penalty)?.value == 0.25)
    }
}

extension Metric.Traits {
    var timing: Metric.Timing? {
        if case let .measured(t) = source { t } else { nil }
    }
}
