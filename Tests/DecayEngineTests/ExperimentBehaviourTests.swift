import Foundation
import Testing
@testable import DecayEngine

// Lock-step experiments: divergence isolation, live controls, restart and
// determinism.

private func classificationSpec(runs: [RunSpec], optimizer: OptimizerSpec = OptimizerSpec(kind: .sgd, learningRate: 0.1),
                                decay: DecayMode? = nil, lambda: Float = 0.01, dropout: Float = 0, batch: Int? = nil,
                                seed: UInt64 = 5) -> ExperimentSpec {
    var spec = ExperimentSpec(
        data: DataSpec(kind: .moons, trainCount: 48, validationCount: 32),
        model: ModelSpec(kind: .mlp, hidden: [12], activation: .tanh, layerNorm: true, dropoutLayers: dropout > 0),
        optimizer: optimizer, decay: decay, weightDecay: lambda, dropout: dropout, steps: 100, batchSize: batch, runs: runs)
    spec.seed = seed
    return spec
}

@Suite("Experiments")
struct ExperimentBehaviourTests {
    /// A run with an absurd learning rate diverges, is marked, stops
    /// recording, and the other runs of the experiment keep training.
    @Test func divergenceStopsOnlyThatRun() throws {
        var spec = ExperimentSpec(
            data: DataSpec(kind: .linearRegression), model: ModelSpec(kind: .linear, initialization: .normal(std: 1)),
            optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.003), steps: 60, batchSize: 5,
            runs: [RunSpec(name: "fine"), RunSpec(name: "huge lr", learningRate: 5)])
        spec.seed = 2
        let e = Experiment(spec: spec)
        e.advance(steps: 60)
        let fine = e.runs[0], huge = e.runs[1]
        guard case let .diverged(step, reason) = huge.status else {
            Issue.record("lr 5 on linear regression should diverge; status \(huge.status)")
            return
        }
        #expect(!reason.isEmpty)
        #expect(step < 60)
        #expect(huge.history.allSatisfy { $0.step < step && ($0[.trainLoss] != nil) })
        #expect(!fine.status.isDiverged)
        #expect(fine.history.count == 60)
        #expect(fine.history.allSatisfy { ($0[.trainLoss] != nil) && ($0[.validationLoss] != nil) })
        #expect(!e.allDiverged)
        #expect(e.step == 60)

        // When every run diverges the experiment still steps without crashing.
        var allBad = spec
        allBad.runs = [RunSpec(name: "a", learningRate: 5), RunSpec(name: "b", learningRate: 50)]
        let bad = Experiment(spec: allBad)
        bad.advance(steps: 80)
        #expect(bad.allDiverged)
        #expect(bad.step == 80)
    }

    /// A non-finite input (here: NaN parameters from the start) is caught at
    /// the first loss, not propagated.
    @Test func nonFiniteLossIsDivergence() {
        let data = handDataSet(trainX: [[1, 2], [3, 4]], trainY: [1, 2], valX: [[1, 1]], valY: [0], classification: false)
        let network = Network(layers: [Linear(
            weight: Parameter(name: "w", group: .weights, shape: [1, 2], value: [.nan, 0]), bias: nil)])
        let e = Experiment(spec: nil, data: data, network: network, runNames: ["nan"],
                           settings: [RunSettings(optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.1), decay: .none, weightDecay: 0)],
                           batches: .full, dropoutSeeds: [0], loss: .mse)
        e.advance(steps: 3)
        #expect(e.runs[0].status.isDiverged)
        #expect(e.runs[0].history.count == 0)
    }

    /// Moving λ changes every run that does not pin it, from the next step
    /// on, and nothing before. With decoupled decay under SGD the new λ's
    /// effect on the step after the change is known exactly: both
    /// experiments hold the same p and compute the same g, so
    /// p_changed − p_reference = −lr·(λ_new − λ_old)·p (to rounding).
    @Test func settingLambdaChangesUnpinnedRunsFromTheNextStep() throws {
        let runs = [RunSpec(name: "follows", decay: .decoupled), RunSpec(name: "follows too", decay: .l2),
                    RunSpec(name: "pinned", decay: .decoupled, weightDecay: 0.02)]
        let spec = classificationSpec(runs: runs, lambda: 0.01, batch: 16)
        let changed = Experiment(spec: spec), reference = Experiment(spec: spec)
        changed.advance(steps: 10)
        reference.advance(steps: 10)
        let before = changed.runs.map { flatParameters($0.network) }
        changed.set(.lambda, to: 0.5)
        #expect(changed.value(of: .lambda) == 0.5)
        #expect(changed.runs.map(\.settings.weightDecay) == [0.5, 0.5, 0.02])
        changed.advance(steps: 10)
        reference.advance(steps: 10)

        for (a, b) in zip(changed.runs, reference.runs) {
            // Up to the change: identical.
            #expect(bits(a.history).prefix(10) == bits(b.history).prefix(10), "\(a.name) before the change")
        }
        // The pinned run never sees the control.
        #expect(bits(changed.runs[2].history) == bits(reference.runs[2].history))
        #expect(bitwiseEqual(flatParameters(changed.runs[2].network), flatParameters(reference.runs[2].network)))
        for r in 0..<2 {
            let entries = changed.runs[r].history
            #expect(entries.prefix(10).allSatisfy { $0.weightDecay == 0.01 })
            #expect(entries.suffix(10).allSatisfy { $0.weightDecay == 0.5 })
            // The very next step already differs.
            #expect(bits(entries[10]) != bits(reference.runs[r].history[10]), "\(changed.runs[r].name) at step 11")
        }

        // Step 11 exactly, for the decoupled run: replay both from the saved state.
        let replay = Experiment(spec: spec), replayReference = Experiment(spec: spec)
        replay.advance(steps: 10)
        replayReference.advance(steps: 10)
        replay.set(.lambda, to: 0.5)
        replay.advance()
        replayReference.advance()
        let p10 = before[0]
        let lr: Float = 0.1
        let pNew = flatParameters(replay.runs[0].network), pOld = flatParameters(replayReference.runs[0].network)
        var worst = 0.0
        for i in p10.indices {
            let predicted = -Double(lr) * (0.5 - 0.01) * Double(p10[i])
            let tolerance = 4 * Double(Float.ulpOfOne) * (abs(Double(pNew[i])) + abs(Double(pOld[i])) + abs(Double(p10[i])))
            worst = max(worst, abs((Double(pNew[i]) - Double(pOld[i])) - predicted) / tolerance)
        }
        #expect(worst <= 1, "step 11 does not apply the new λ: worst \(worst)× tolerance")
    }

    @Test func groupSwitchRespectsPinnedRuns() {
        let runs = [RunSpec(name: "follows"), RunSpec(name: "pinned biases", groups: [.biases: true])]
        let e = Experiment(spec: classificationSpec(runs: runs))
        e.setDecay(.biases, false)
        #expect(!e.runs[0].settings.decays(.biases))
        #expect(e.runs[1].settings.decays(.biases))
        #expect(!e.decays(.biases))
        #expect(e.groups == [.weights, .biases, .layerNorms])
    }

    /// Restart starts again from the same initial parameters and batches:
    /// the same numbers, bit for bit. After a control moved, the restarted
    /// runs use the new value from step 1 — the same as an experiment built
    /// with that value.
    @Test func restartReproducesTheSameNumbers() {
        let spec = classificationSpec(runs: [RunSpec(name: "a"), RunSpec(name: "b", decay: .decoupled, weightDecay: 0.05)],
                                      optimizer: OptimizerSpec(kind: .adamw, learningRate: 0.01), lambda: 0.01,
                                      dropout: 0.2, batch: 16)
        let e = Experiment(spec: spec)
        e.advance(steps: 25)
        let first = e.runs.map { bits($0.history) }
        let firstParameters = e.runs.map { flatParameters($0.network) }
        e.restart()
        #expect(e.step == 0 && e.runs.allSatisfy { $0.history.count == 0 })
        e.advance(steps: 25)
        #expect(e.runs.map { bits($0.history) } == first)
        #expect(zip(e.runs, firstParameters).allSatisfy { bitwiseEqual(flatParameters($0.network), $1) })

        e.set(.lambda, to: 0.3)
        e.restart()
        e.advance(steps: 25)
        var withNewLambda = spec
        withNewLambda.weightDecay = 0.3
        let fresh = Experiment(spec: withNewLambda)
        fresh.advance(steps: 25)
        #expect(e.runs.map { bits($0.history) } == fresh.runs.map { bits($0.history) })
        #expect(bits(e.runs[1].history) == first[1], "the pinned run is unchanged by the λ control")
    }

    /// Every experiment is a function of its spec: two builds, same numbers.
    @Test func sameSpecSameHistories() {
        let spec = classificationSpec(runs: [RunSpec(name: "adam", optimizer: .adam, weightDecay: 0.01),
                                             RunSpec(name: "adamw", optimizer: .adamw, weightDecay: 0.1)],
                                      optimizer: OptimizerSpec(kind: .adam, learningRate: 0.01), dropout: 0.3, batch: 8)
        let a = Experiment(spec: spec), b = Experiment(spec: spec)
        a.advance(steps: 30)
        b.advance(steps: 30)
        #expect(a.runs.map { bits($0.history) } == b.runs.map { bits($0.history) })
        for (x, y) in zip(a.runs, b.runs) { #expect(bitwiseEqual(flatParameters(x.network), flatParameters(y.network))) }
        // Runs share initial parameters.
        #expect(bitwiseEqual(flatParameters(a.initialNetwork), flatParameters(b.initialNetwork)))
        // And the seed matters (the comparison above can fail).
        var other = spec
        other.seed = spec.seed + 1
        let c = Experiment(spec: other)
        c.advance(steps: 30)
        #expect(a.runs.map { bits($0.history) } != c.runs.map { bits($0.history) })
        #expect(!bitwiseEqual(a.data.trainX.storage, c.data.trainX.storage))
    }

    /// `advance(steps:)` trains a full-batch experiment run by run; the
    /// numbers must be those of stepping the runs in lock step: every
    /// recorded value bit for bit, with dropout masks, validation every 7
    /// steps, a run that stops early and one with a 40 000× learning rate.
    @Test func runByRunStepsEqualLockStepSteps() {
        var shorter = RunSpec(name: "short", weightDecay: 0.1)
        shorter.steps = 23
        var spec = classificationSpec(runs: [RunSpec(name: "adamw", optimizer: .adamw, weightDecay: 0.01),
                                             shorter, RunSpec(name: "huge lr", learningRate: 400)],
                                      optimizer: OptimizerSpec(kind: .adam, learningRate: 0.01), dropout: 0.3)
        spec.evaluationInterval = 7
        let lockStep = Experiment(spec: spec), runByRun = Experiment(spec: spec)
        for _ in 0..<40 { lockStep.advance() }
        runByRun.advance(steps: 31)
        runByRun.advance(steps: 1)
        runByRun.advance(steps: 8)
        #expect(runByRun.step == 40)
        #expect(runByRun.runs.map { bits($0.history) } == lockStep.runs.map { bits($0.history) })
        #expect(runByRun.runs.map(\.status) == lockStep.runs.map(\.status))
        #expect(lockStep.runs[1].history.count == 23)
        #expect(lockStep.runs[0].history.count == 40)
        // The comparison can fail: the runs differ from each other.
        #expect(bits(lockStep.runs[0].history) != bits(lockStep.runs[1].history))
        for (x, y) in zip(lockStep.runs, runByRun.runs) {
            #expect(bitwiseEqual(flatParameters(x.network), flatParameters(y.network)))
        }
        // Both go on from there in step.
        lockStep.advance()
        runByRun.advance()
        #expect(runByRun.runs.map { bits($0.history) } == lockStep.runs.map { bits($0.history) })
    }

    /// Minibatches: each epoch is a permutation of the training rows in
    /// batches of the given size, the last partial batch dropped.
    @Test func minibatchesCoverEachEpochOnce() throws {
        let rows = 50, batch = 8
        var order = BatchOrder(source: .shuffled(batchSize: batch, seed: 3), rows: rows)
        let perEpoch = rows / batch
        var epochs: [[Int]] = []
        for _ in 0..<4 {
            var seen: [Int] = []
            for _ in 0..<perEpoch {
                let next = order.next()
                let b = try #require(next)
                #expect(b.count == batch)
                seen += b
            }
            #expect(Set(seen).count == seen.count, "a row repeats within an epoch")
            #expect(seen.allSatisfy { (0..<rows).contains($0) })
            epochs.append(seen)
        }
        #expect(Set(epochs.map { $0.description }).count == 4, "epochs should be shuffled differently")
        var full = BatchOrder(source: .full, rows: rows)
        #expect(full.next() == nil)
        #expect(BatchOrder(source: .full, rows: rows).listing(steps: 3) == nil)
        let listing = try #require(BatchOrder(source: .shuffled(batchSize: batch, seed: 3), rows: rows).listing(steps: 12))
        #expect(Array(listing.joined()) == epochs.flatMap { $0 }.prefix(12 * batch).map { $0 })
    }
}
