import DecayEngine

extension ExperimentSpec {
    /// How many seeds run `index` (of `resolvedRuns`) trains at.
    public func seedCount(ofRun index: Int) -> Int { max(1, resolvedRuns[index].seeds ?? seeds) }

    /// The experiment at its own seed only (every run at one seed).
    public var singleSeed: ExperimentSpec {
        var s = self
        s.seeds = 1
        for i in s.runs.indices { s.runs[i].seeds = nil }
        return s
    }

    /// The most seeds any run trains at.
    public var maxSeedCount: Int { resolvedRuns.indices.map(seedCount(ofRun:)).max() ?? 1 }

    /// The experiment of seed offset `k` ≥ 1: the same experiment at seed
    /// `seed + k` (its own data draw, start and batches), holding only the
    /// runs that train at more than `k` seeds. Nil when no run does.
    /// Pretraining stays the step's (pinned to its seed).
    public func seedSpec(offset k: Int) -> ExperimentSpec? {
        guard k >= 1 else { return self }
        var s = self
        s.seed = seed &+ UInt64(k)
        s.pretrain = pretrain?.pinned(to: self)
        if runs.isEmpty {
            guard seeds > k else { return nil }
        } else {
            s.runs = runs.filter { ($0.seeds ?? seeds) > k }
            guard !s.runs.isEmpty else { return nil }
        }
        return s
    }
}

/// A step's runs at all their seeds: the step's own experiment (seed
/// `seed`) and one more per extra seed, trained in lock step; controls move
/// every seed of a run together. With one seed per run it is the step's
/// experiment alone.
///
/// Seed `seed + k` draws a run's starting weights and dropout masks; the
/// data set and the minibatch order stay the step's own, so a band is the
/// spread due to where training starts (and one file, `experiment.json`,
/// holds every seed as a run of its own).
///
/// A step that pretrains starts every seed from the same pretrained weights,
/// so there seed `seed + k` draws instead the data (the fine-tuning
/// examples, their flipped labels) and the minibatch order: the band is the
/// spread due to which examples a small data set happens to hold.
public final class SeededExperiment {
    /// Seed offset 0: every run, at the step's seed.
    public let base: Experiment
    /// Seed offsets 1, 2, …: the runs that train at more seeds.
    public private(set) var extra: [Experiment]

    public init(spec: ExperimentSpec, historyCapacity: Int = 4096) {
        let base = Experiment(spec: spec, historyCapacity: historyCapacity)
        self.base = base
        extra = (1..<max(spec.maxSeedCount, 1)).compactMap { k in
            spec.seedSpec(offset: k).map { s in
                s.pretrain == nil ? Self.experiment(s, sharing: base, historyCapacity: historyCapacity)
                    : Self.experiment(s, pretrained: base, historyCapacity: historyCapacity)
            }
        }
    }

    /// The minibatches of `spec` (as `Experiment(spec:)` draws them).
    static func batchSource(_ spec: ExperimentSpec, rows: Int) -> BatchOrder.Source {
        guard let size = spec.batchSize, size < rows else { return .full }
        return .shuffled(batchSize: size, seed: spec.seed)
    }

    /// `spec`'s runs starting from its seed's weights and dropout masks, on
    /// `base`'s data and minibatches.
    ///
    /// Only the seed's starting network is drawn (its own data set, which
    /// `Experiment(spec:)` would generate, is never used).
    static func experiment(_ spec: ExperimentSpec, sharing base: Experiment, historyCapacity: Int) -> Experiment {
        let runs = spec.resolvedRuns
        let order = batchSource(base.spec ?? spec, rows: base.data.trainX.rows)
        let (network, perRun) = Experiment.attachAdapters(spec: spec, runs: runs, to: Experiment.initialNetwork(spec, data: base.data))
        return Experiment(spec: spec, data: base.data, network: network, runNetworks: perRun,
                          runNames: runs.map(\.name), settings: runs.map { RunSettings(run: $0, experiment: spec) },
                          batches: order, dropoutSeeds: Array(repeating: Experiment.dropoutSeed(spec.seed), count: runs.count),
                          evaluationInterval: spec.evaluationInterval, historyCapacity: historyCapacity)
    }

    /// `spec`'s runs on its own data draw and minibatches, from `base`'s
    /// pretrained weights (not pretrained again).
    ///
    /// With adapters, `base` holds the adapted networks of the step's seed
    /// (and, where runs' adapters differ, one per run); a seed of the band
    /// draws its own A₀ as `decay-tutor run --seed` does, from the same
    /// pretrained weights (pinned to the step's seed and remembered, so
    /// building it does not pretrain again).
    static func experiment(_ spec: ExperimentSpec, pretrained base: Experiment, historyCapacity: Int) -> Experiment {
        if spec.resolvedRuns.contains(where: { spec.adapter(of: $0) != nil }) {
            return Experiment(spec: spec, historyCapacity: historyCapacity)
        }
        let data = DataSet.generate(spec.data, seed: spec.seed)
        let runs = spec.resolvedRuns
        return Experiment(spec: spec, data: data, network: base.initialNetwork, runNames: runs.map(\.name),
                          settings: runs.map { RunSettings(run: $0, experiment: spec) },
                          batches: batchSource(spec, rows: data.trainX.rows),
                          dropoutSeeds: Array(repeating: Experiment.dropoutSeed(spec.seed), count: runs.count),
                          evaluationInterval: spec.evaluationInterval, historyCapacity: historyCapacity)
    }

    public var all: [Experiment] { [base] + extra }
    public var isBanded: Bool { !extra.isEmpty }
    public var step: Int { base.step }

    /// Run `name` at every seed it trains at, the step's own seed first.
    public func seeds(of name: String) -> [TrainingRun] {
        all.compactMap { e in e.runs.first { $0.name == name } }
    }

    public var allDiverged: Bool { all.allSatisfy(\.allDiverged) }

    public func advance() { for e in all { e.advance() } }
    public func advance(steps: Int) { for _ in 0..<max(steps, 0) { advance() } }

    public func set(_ control: Control, to value: Float) { for e in all { e.set(control, to: value) } }
    public func setDecay(_ group: ParameterGroup, _ on: Bool) { for e in all { e.setDecay(group, on) } }
    public func restart() { for e in all { e.restart() } }
}

extension SeededExperiment {
    /// Run `name`'s median history over its seeds (its own history with one seed).
    public func medianHistory(of name: String) -> History {
        SeedStatistics.median(seeds(of: name).map(\.history))
    }

    /// Diverged if any of the run's seeds diverged (the median is then not a
    /// fair reading), else the step's own seed's status.
    public func status(of name: String) -> RunStatus? {
        let all = seeds(of: name)
        return all.first { $0.status.isDiverged }?.status ?? all.first?.status
    }
}

extension Goal {
    /// A threshold goal judged on the median over the goal run's seeds.
    public func evaluate(_ seeded: SeededExperiment) -> GoalState {
        guard seeded.isBanded, case let .threshold(t) = self else { return evaluate(seeded.base) }
        guard let status = seeded.status(of: t.run) else { return .pending("no run named \"\(t.run)\"") }
        var reference: History?
        if let name = t.relativeTo {
            guard let s = seeded.status(of: name) else { return .pending("no run named \"\(name)\"") }
            if case let .diverged(step, reason) = s { return .pending("\(name) diverged at step \(step) (\(reason))") }
            reference = seeded.medianHistory(of: name)
        }
        return Self.evaluate(t, status: status, entries: seeded.medianHistory(of: t.run), reference: reference)
    }
}

extension SeededExperiment {
    /// The name a seed of a banded run goes by where each seed is a run of
    /// its own (headless output, `experiment.json`): `yours, seed 3`.
    public static func seedRunName(_ name: String, seed: UInt64) -> String { "\(name), seed \(seed)" }

    /// Every run at every seed as one experiment, each seed a run of its own
    /// (a banded run's seeds named by `seedRunName`, a run at one seed keeps
    /// its name): they share the data and minibatches, so one
    /// `experiment.json` holds them all and `reproduce.py` replays each.
    ///
    /// A step that pretrains draws each seed's own data, which one file
    /// cannot share: it is the step's seed alone (`--seed` exports another).
    public static func flattened(spec: ExperimentSpec, historyCapacity: Int = 4096) -> Experiment {
        if spec.pretrain != nil { return Experiment(spec: spec.singleSeed, historyCapacity: historyCapacity) }
        guard spec.maxSeedCount > 1 else { return Experiment(spec: spec, historyCapacity: historyCapacity) }
        // Each seed's starting network and dropout seed, as `SeededExperiment`
        // draws them, without building (and training buffers for) its runs.
        let data = DataSet.generate(spec.data, seed: spec.seed)
        // Seed k's network and each run's (its adapter attached, if any).
        let starts = (0..<spec.maxSeedCount).map { k in
            spec.seedSpec(offset: k).map { s in
                Experiment.attachAdapters(spec: s, runs: s.resolvedRuns, to: Experiment.initialNetwork(s, data: data))
            }
        }
        var names: [String] = [], networks: [Network?] = [], settings: [RunSettings] = [], dropout: [UInt64] = []
        for (i, run) in spec.resolvedRuns.enumerated() {
            let count = spec.seedCount(ofRun: i)
            for k in 0..<count {
                guard let seedSpec = spec.seedSpec(offset: k), let start = starts[k],
                      let j = seedSpec.resolvedRuns.firstIndex(where: { $0.name == run.name }) else { continue }
                let own = seedSpec.resolvedRuns[j]
                names.append(count > 1 ? seedRunName(run.name, seed: spec.seed &+ UInt64(k)) : run.name)
                networks.append(start.1?[j] ?? start.0)
                settings.append(RunSettings(run: own, experiment: seedSpec))
                dropout.append(Experiment.dropoutSeed(seedSpec.seed))
            }
        }
        let order = batchSource(spec, rows: data.trainX.rows)
        return Experiment(spec: spec, data: data, network: starts[0]!.0, runNetworks: networks, runNames: names,
                          settings: settings, batches: order, dropoutSeeds: dropout,
                          evaluationInterval: spec.evaluationInterval, historyCapacity: historyCapacity)
    }
}
