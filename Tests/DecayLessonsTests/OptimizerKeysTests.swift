import Testing
import DecayEngine
@testable import DecayLessons

/// Lesson files name Lion like the other optimizers; its betas and defaults
/// are `lion-pytorch`'s, its decay decoupled; the metrics a sweep or goal
/// names are the engine's.
@Suite struct OptimizerKeysTests {
    @Test func lionWithBetasParses() throws {
        let l = try parsed(step("data = moons\nmodel = mlp\nhidden = [8]\noptimizer = lion\nbetas = [0.95, 0.98]\nlambda = 1"))
        let spec = l.steps[0].spec
        #expect(spec.optimizer.kind == .lion)
        #expect(spec.optimizer.beta1 == 0.95 && spec.optimizer.beta2 == 0.98)
        #expect(spec.optimizer.learningRate == OptimizerSpec.Kind.lion.defaultLearningRate)
        let settings = RunSettings(run: spec.resolvedRuns[0], experiment: spec)
        #expect(settings.decay == .decoupled)
        #expect(settings.weightDecay == 1)
    }

    @Test func lionDefaultsAndARunSwitchingToLion() throws {
        let l = try parsed(step("data = moons\nmodel = mlp\nhidden = [8]\noptimizer = adamw\n[run \"adamw\"]\n[run \"lion\"]\noptimizer = lion"))
        let spec = l.steps[0].spec
        #expect(spec.optimizer.beta2 == 0.999)
        let lion = RunSettings(run: spec.resolvedRuns[1], experiment: spec)
        #expect(lion.optimizer.kind == .lion)
        #expect(lion.learningRate == 1e-4)
        #expect(lion.weightDecay == 0)
        #expect(lion.decay == .decoupled)
    }

    @Test func lionRejectsAdamOnlyKeys() {
        let e = errors(step("data = moons\nmodel = mlp\nhidden = [8]\noptimizer = lion\neps = 1e-6"))
        #expect(e.count == 1 && e[0].line == 12 && e[0].message.contains("`eps` is Adam's and AdamW's"))
        let m = errors(step("data = moons\nmodel = mlp\nhidden = [8]\noptimizer = lion\nmomentum = 0.9"))
        #expect(m.count == 1 && m[0].message.contains("`momentum` is SGD's"))
        #expect(m[0].message.contains("Adam, AdamW and Lion use `betas`"))
    }

    /// The message lists every optimizer that reads betas, from their facts.
    @Test func betasForSGDNamesEveryOptimizerThatReadsThem() {
        let e = errors(step("data = moons\nmodel = mlp\nhidden = [8]\noptimizer = sgd\nbetas = [0.9, 0.99]"))
        #expect(e.count == 1 && e[0].message.contains("`betas` is Adam's, AdamW's and Lion's"), "\(e)")
    }

    @Test func sweepsAndGoalsNameEngineMetrics() throws {
        let extra = "```sweep\nlambda = [0, 0.1]\nmetric = norm.gains\n```\n"
        let l = try parsed(step("data = moons\nmodel = mlp\nhidden = [8]\nlayernorm = true\noptimizer = adamw", extra: extra))
        #expect(l.steps[0].sweep?.metric == .gainNorm)
        let bad = errors(step("data = moons\nmodel = mlp\nhidden = [8]\noptimizer = adamw", extra: extra))
        #expect(bad.count == 1 && bad[0].message.contains("needs LayerNorm"))
        let rows = errors(step(minimalExperiment, extra: "```sweep\nlambda = [0, 0.1]\nmetric = norm.rare_rows\n```\n"))
        #expect(rows.count == 1 && rows[0].message.contains("embedding model"))
    }

    /// One derivation of a model's parameter groups: the built network has
    /// exactly the groups the spec names.
    @Test(arguments: [ModelSpec.Kind.linear, .mlp, .embedding])
    func parameterGroupsMatchTheBuiltNetwork(kind: ModelSpec.Kind) {
        for layerNorm in [false, true] {
            let model = ModelSpec(kind: kind, hidden: [4], layerNorm: layerNorm)
            var rng = RandomSource(seed: 1, stream: "init")
            let network = model.build(model.layers(inputWidth: 3, outputWidth: 2, vocabulary: 10, dropout: 0), rng: &rng)
            #expect(Set(model.parameterGroups) == Set(network.parameters.map(\.group)), "\(kind) layerNorm \(layerNorm)")
        }
    }

    /// The one control → field mapping reads and writes what it names.
    @Test func controlMappingNamesTheFields() {
        var spec = ExperimentSpec(data: DataSpec(kind: .moons), model: ModelSpec(kind: .mlp, hidden: [4]),
                                  optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.1), weightDecay: 0.2, dropout: 0.3)
        spec.loraDropout = 0.05
        #expect(Control.allCases.map { spec[keyPath: $0.specField] } == [0.2, 0.1, 0.3, 0.05])
        spec[keyPath: Control.learningRate.specField] = 0.5
        #expect(spec.optimizer.learningRate == 0.5)
        let settings = RunSettings(run: RunSpec(name: "r", learningRate: 0.7), experiment: spec)
        #expect(settings.pinned == [.learningRate])
        #expect(Control.allCases.map { settings[keyPath: $0.settingsField] } == [0.2, 0.7, 0.3, 0.05])
        #expect(Control.allCases.map(\.lessonKey) == ["lambda", "lr", "dropout", "lora_dropout"])
        #expect(SettingBounds.check(.lambda, 3e38) != nil && SettingBounds.check(.lambda, 0.1) == nil)
        #expect(SettingBounds.check(.learningRate, 0) != nil && SettingBounds.check(.dropout, 1) != nil)
        #expect(SettingBounds.check(.loraDropout, 1) != nil && SettingBounds.check(.loraDropout, 0.05) == nil)
    }

    /// A command line allows exactly what a lesson file allows, value by
    /// value at each range's edges, and a sweep refuses what both refuse.
    @Test func settingsAreBoundedAsLessonFilesAre() {
        for control in Control.allCases {
            for v: Float in [-1, 0, 1e-9, 0.5, 0.99, 1, 10, 10.5, 1e4, 2e4, .nan, .infinity] {
                var settings = StepSettings()
                settings.values[control] = v
                #expect(settings.rangeProblems.isEmpty == SettingBounds.allows(control, Double(v)), "\(control) \(v)")
            }
        }
        let sweep = errors(step(minimalExperiment, extra: "```sweep\nlambda = [0, 20000]\n```\n"))
        #expect(sweep.count == 1 && sweep[0].message.contains(SettingBounds.lambdaText))
    }
}
