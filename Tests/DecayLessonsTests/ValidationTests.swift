import Testing
import DecayEngine
@testable import DecayLessons

/// One test per kind of mistake, each asserting the exact line (the
/// experiment's first line is line 8 in `step(_:)`), and the message.
@Suite struct ValidationTests {
    /// The single error a text produces, or a recorded issue.
    func only(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> LessonError? {
        let e = errors(text)
        #expect(e.count == 1, "\(e.map(\.description))", sourceLocation: sourceLocation)
        return e.first
    }

    func expectError(_ experiment: String, line: Int, _ fragment: String, suggestion: String? = nil,
                     extra: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        guard let e = only(step(experiment, extra: extra), sourceLocation: sourceLocation) else { return }
        #expect(e.line == line, "\(e)", sourceLocation: sourceLocation)
        #expect(e.message.contains(fragment), "\(e)", sourceLocation: sourceLocation)
        if let suggestion {
            #expect(e.suggestion?.contains(suggestion) == true, "\(e)", sourceLocation: sourceLocation)
        }
    }

    /// A chart must draw something: its metrics exist in the step's model.
    @Test func aChartNeedsTheMetricsItDraws() {
        expectError(minimalExperiment + "\ncharts = [loss, accuracy]", line: 11, "the `accuracy` chart needs a classification data set")
        expectError(minimalExperiment + "\ncharts = [gains]", line: 11, "the `gains` chart needs LayerNorm in the model")
        expectError("data = moons\nmodel = mlp\nhidden = [4]\noptimizer = sgd\ncharts = [rows]", line: 12,
                    "the `rows` chart needs an embedding model")
        #expect(errors(step("data = moons\nmodel = mlp\nhidden = [4]\noptimizer = sgd\ncharts = [accuracy, distance]")).isEmpty)
    }

    @Test func minimalExperimentIsValid() throws {
        let l = try parsed(step(minimalExperiment))
        let spec = l.steps[0].spec
        #expect(spec.data == DataSpec(kind: .linearRegression))
        #expect(spec.optimizer.learningRate == 0.01)
        #expect(spec.weightDecay == 0 && spec.steps == 500 && spec.batchSize == nil && spec.seed == 1)
        #expect(l.steps[0].controls == [.lambda] && l.steps[0].charts == [.loss, .norms])
        #expect(spec.resolvedRuns.map(\.name) == ["run"])
    }

    @Test func unknownKeyWithSuggestion() {
        expectError(minimalExperiment + "\nlamda = 0.1", line: 11, "unknown key `lamda`", suggestion: "did you mean `lambda`?")
        expectError(minimalExperiment + "\nlearning_rate = 0.1", line: 11, "unknown key `learning_rate`")
        guard let e = only(step(minimalExperiment + "\nlamda = 0.1")) else { return }
        #expect(e.column == 1)
        #expect(e.description == "t.md:11:1: error: unknown key `lamda` in an experiment block\n  did you mean `lambda`?")
    }

    @Test func unknownWordListsTheChoices() {
        expectError("data = linreg\nmodel = linear\noptimizer = rmsprop", line: 10, "unknown optimizer `rmsprop`",
                    suggestion: "expected one of sgd, adam, adamw, lion")
        expectError("data = linreg\nmodel = linear\noptimizer = adamm", line: 10, "unknown optimizer", suggestion: "did you mean `adam`?")
        expectError("data = lineg\nmodel = linear\noptimizer = sgd", line: 8, "unknown data", suggestion: "did you mean `linreg`?")
    }

    @Test func runKeysThatBelongToTheExperiment() {
        expectError(minimalExperiment + "\n[run \"a\"]\ninputs = 3", line: 12, "`inputs` cannot be set in a run")
    }

    @Test func wrongTypes() {
        expectError(minimalExperiment + "\nlr = fast", line: 11, "`lr` expects a number, got word `fast`")
        expectError(minimalExperiment + "\nsteps = 2.5", line: 11, "whole number")
        expectError("data = moons\nmodel = mlp\nhidden = [4]\noptimizer = sgd\nlayernorm = 1", line: 12, "expects true/false")
        expectError(minimalExperiment + "\ncharts = loss", line: 11, "expects a list")
        expectError(minimalExperiment + "\ninit = uniform(1)", line: 11, "unknown init")
        expectError(minimalExperiment + "\ninit = normal(-1)", line: 11, "normal(STD)")
    }

    @Test func duplicateKey() {
        expectError(minimalExperiment + "\nlr = 0.1\nlr = 0.2", line: 12, "duplicate key `lr` (first set on line 11)")
    }

    @Test func missingRequiredKeys() {
        expectError("model = linear\noptimizer = sgd", line: 7, "missing required key `data`")
        expectError("data = linreg\noptimizer = sgd", line: 7, "missing required key `model`")
        expectError("data = linreg\nmodel = linear", line: 7, "missing required key `optimizer`", suggestion: "sgd, adam, adamw")
    }

    @Test(arguments: [
        ("lambda = -0.1", "λ must be ≥ 0"), ("lr = 0", "lr must be > 0"), ("lr = 11", "≤ 10"),
        ("dropout = 1", "dropout p must be in [0, 1)"), ("momentum = 1", "momentum must be in [0, 1)"),
        ("eps = 0", "eps must be > 0"), ("steps = 0", "out of range"), ("steps = 100001", "out of range"),
        ("batch = 0", "batch must be ≥ 1"), ("train = 20001", "out of range"), ("val = 0", "out of range"),
        ("inputs = 4097", "out of range"), ("seed = -1", "out of range"),
    ])
    func outOfRange(line: String, fragment: String) {
        let model = line.hasPrefix("dropout") ? "data = moons\nmodel = mlp\nhidden = [8]\noptimizer = sgd"
            : line.hasPrefix("eps") ? "data = linreg\nmodel = linear\noptimizer = adam" : minimalExperiment
        let lineNumber = line.hasPrefix("dropout") ? 12 : 11
        expectError(model + "\n" + line, line: lineNumber, fragment)
    }

    @Test func dataAndModelLimits() {
        expectError("data = polynomial\ndegree = 31\nmodel = linear\noptimizer = sgd", line: 9, "out of range")
        expectError("data = tokens\nvocab = 1\nmodel = embedding\noptimizer = sgd", line: 9, "out of range")
        expectError("data = tokens\nseq_len = 257\nmodel = embedding\noptimizer = sgd", line: 9, "out of range")
        expectError("data = moons\nmodel = mlp\nhidden = [8, 2000]\noptimizer = sgd", line: 10, "1…1024")
        expectError("data = moons\nmodel = mlp\nhidden = [1, 1, 1, 1, 1, 1, 1, 1, 1]\noptimizer = sgd", line: 10, "at most 8")
        expectError("data = moons\nmodel = linear\noptimizer = adam\nbetas = [0.9, 1]", line: 11, "betas must be in [0, 1)")
        expectError("data = linreg\nbatch = 50\nmodel = linear\noptimizer = sgd", line: 9, "larger than the 20 training examples")
    }

    @Test func adamwWithL2IsExplained() {
        expectError("data = linreg\nmodel = linear\noptimizer = adamw\ndecay = l2", line: 11, "AdamW's weight decay is decoupled",
                    suggestion: "optimizer = adam")
        // A run that switches to AdamW inherits no `decay = l2`; one that sets it is wrong.
        expectError(minimalExperiment + "\n[run \"w\"]\noptimizer = adamw\ndecay = l2", line: 13, "decoupled")
    }

    @Test func nesterovWithoutMomentum() {
        expectError(minimalExperiment + "\nnesterov = true", line: 11, "nesterov needs SGD with momentum > 0")
        #expect(errors(step(minimalExperiment + "\nnesterov = true\nmomentum = 0.9")).isEmpty)
    }

    @Test func optimizerSpecificKeys() {
        expectError("data = linreg\nmodel = linear\noptimizer = adam\nmomentum = 0.9", line: 11, "`momentum` is SGD's")
        expectError(minimalExperiment + "\nbetas = [0.9, 0.99]", line: 11, "Adam's, AdamW's and Lion's")
    }

    @Test func linearModelHasNoHiddenLayers() {
        expectError("data = moons\nmodel = linear\nlayernorm = true\noptimizer = sgd", line: 10, "`layernorm` does not apply to model = linear")
        expectError("data = moons\nmodel = linear\nhidden = [4]\noptimizer = sgd", line: 10, "`hidden` does not apply")
        expectError("data = moons\nmodel = mlp\noptimizer = sgd", line: 9, "needs hidden widths")
        expectError("data = moons\nmodel = mlp\nhidden = []\noptimizer = sgd\ndropout = 0.2", line: 12, "dropout acts after hidden")
    }

    @Test func embeddingAndTokensGoTogether() {
        expectError("data = moons\nmodel = embedding\noptimizer = sgd", line: 9, "model = embedding needs data = tokens")
        expectError("data = tokens\nmodel = mlp\nhidden = [8]\noptimizer = sgd", line: 8, "data = tokens needs model = embedding")
        #expect(errors(step("data = tokens\nmodel = embedding\noptimizer = adamw\nembedding_dim = 8")).isEmpty)
    }

    @Test func dataSpecificKeys() {
        expectError("data = moons\ninputs = 5\nmodel = linear\noptimizer = sgd", line: 9, "`inputs` does not apply to data = moons")
        expectError(minimalExperiment + "\nlabel_noise = 0.1", line: 11, "does not apply to data = linreg")
    }

    @Test func fitChartNeedsPolynomialData() {
        expectError(minimalExperiment + "\ncharts = [fit, loss]", line: 11, "the `fit` chart needs data = polynomial")
        #expect(errors(step("data = polynomial\nmodel = linear\noptimizer = adam\ncharts = [fit, loss]")).isEmpty)
    }

    @Test func groupsTheModelLacks() {
        expectError(minimalExperiment + "\ngroups.norms = off", line: 11, "no norms parameters", suggestion: "layernorm")
        expectError(minimalExperiment + "\ngroups.bias = off", line: 11, "unknown key", suggestion: "`groups.biases`")
    }

    @Test func controlThatMovesNoRun() {
        expectError(minimalExperiment + "\n[run \"a\"]\nlambda = 0\n[run \"b\"]\nlambda = 1", line: 7,
                    "the `lambda` control would move no run", suggestion: "controls = []")
        #expect(errors(step(minimalExperiment + "\ncontrols = []\n[run \"a\"]\nlambda = 0\n[run \"b\"]\nlambda = 1")).isEmpty)
    }

    @Test func schedules() throws {
        expectError(minimalExperiment + "\nwarmup = 10", line: 11, "`warmup` needs schedule = warmup, cosine or linear")
        expectError(minimalExperiment + "\nschedule = warmup", line: 11, "needs `warmup = STEPS`")
        expectError(minimalExperiment + "\nlr_floor = 0.1", line: 11, "`lr_floor` needs schedule = cosine")
        let l = try parsed(step(minimalExperiment + "\nschedule = cosine\nwarmup = 10\nlr_floor = 0.1\nsteps = 300"))
        #expect(l.steps[0].spec.schedule == .cosine(warmup: 10, total: 300, floor: 0.1))
    }

    @Test func duplicateRunNames() {
        expectError(minimalExperiment + "\n[run \"a\"]\nlambda = 1\n[run \"a\"]\nlr = 0.1", line: 13,
                    "duplicate run name \"a\" (first on line 11)")
    }

    @Test func unknownSection() {
        expectError(minimalExperiment + "\n[runn \"a\"]\nlambda = 1", line: 11, "unknown section", suggestion: "did you mean `run`?")
    }

    @Test func stepWithoutExperiment() {
        guard let e = only(lesson("## First\n\nJust prose.\n")) else { return }
        #expect(e.line == 5 && e.message.contains("has no ```experiment block"))
    }

    @Test func twoExperimentBlocks() {
        let text = step(minimalExperiment, extra: "\n```experiment\n" + minimalExperiment + "\n```\n")
        guard let e = only(text) else { return }
        #expect(e.line == 13 && e.message.contains("at most one `experiment` block (another starts on line 7)"))
    }

    @Test func blockOutsideAStep() {
        let text = lesson("```experiment\n" + minimalExperiment + "\n```\n## S\n```experiment\n" + minimalExperiment + "\n```\n")
        guard let e = only(text) else { return }
        #expect(e.line == 5 && e.message.contains("an `experiment` block must be inside a step"))
    }

    @Test func messagesNameABlockWithTheRightArticle() {
        #expect(articled("experiment") == "an `experiment`")
        #expect(articled("axolotl") == "an `axolotl`")
        #expect(articled("goal") == "a `goal`")
        #expect(articled("") == "a ``")
    }

    @Test func misspeltBlockNameIsNotSilentProse() {
        let text = step(minimalExperiment, extra: "```gaol\nkind = question\n```\n")
        guard let e = only(text) else { return }
        #expect(e.line == 12 && e.message.contains("unknown block `gaol`") && e.suggestion?.contains("`goal`") == true)
    }

    @Test func unclosedFence() {
        guard let e = only(lesson("## S\n```experiment\n" + minimalExperiment + "\n")) else { return }
        #expect(e.line == 6 && e.message.contains("never closed"))
    }

    @Test func severalErrorsAreAllReportedInLineOrder() {
        let text = step("data = linreg\nmodel = linear\noptimizer = sgd\nlamda = 1\nlr = -1\nsteps = many\nfoo = 2")
        let e = errors(text)
        #expect(e.map(\.line) == [11, 12, 13, 14])
    }

    @Test func errorCountIsCapped() {
        let lines = (0..<500).map { "bogus\($0) = 1" }.joined(separator: "\n")
        let e = errors(step(minimalExperiment + "\n" + lines))
        #expect(e.count == LessonDiagnostics.cap + 1)
        #expect(e.last?.message.contains("too many errors") == true)
    }

    @Test func frontMatter() {
        guard let e = only("---\nid: Bad Id\ntitle: T\n---\n## S\n```experiment\n\(minimalExperiment)\n```\n") else { return }
        #expect(e.line == 2 && e.message.contains("lowercase") && e.suggestion?.contains("bad-id") == true)
        guard let f = only("---\nid: t\ntitel: T\ntitle: T\n---\n## S\n```experiment\n\(minimalExperiment)\n```\n") else { return }
        #expect(f.line == 3 && f.suggestion == "did you mean `title`?")
        let g = errors("## S\n```experiment\n\(minimalExperiment)\n```\n")
        #expect(g.first?.line == 1 && g.first?.message.contains("front matter") == true)
        guard let h = only("---\nid: t\n") else { return }
        #expect(h.line == 1 && h.message.contains("never closed"))
    }

    @Test func tooManySteps() {
        let oneStep = "## S\n```experiment\n\(minimalExperiment)\n```\n"
        let e = errors(lesson(String(repeating: oneStep, count: 17)))
        #expect(e.count == 1 && e.first?.line == 5 + 16 * 6 && e.first?.message.contains("at most 16 steps") == true)
    }
}

@Suite struct SweepValidationTests {
    func sweepStep(_ sweep: String) -> String {
        // The sweep fence is line 12, its first line 13.
        step(minimalExperiment, extra: "```sweep\n" + sweep + "\n```\n")
    }

    @Test func sweepParses() throws {
        let l = try parsed(sweepStep("lr = [0.001, 0.01]\nlambda = [0, 0.1]\nmetric = gap"))
        #expect(l.steps[0].sweep == SweepSpec(learningRates: [0.001, 0.01], lambdas: [0, 0.1], steps: 500, metric: .gap, line: 12))
        #expect(l.steps[0].sweep?.cellCount == 4)
    }

    @Test func sweepErrors() {
        #expect(errors(sweepStep("steps = 10")).map(\.line) == [12])
        let tooBig = (0..<11).map { "\(Double($0) / 10 + 0.01)" }.joined(separator: ", ")
        let e = errors(sweepStep("lr = [\(tooBig)]\nlambda = [\(tooBig)]"))
        #expect(e.count == 1 && e[0].line == 12 && e[0].message.contains("121 cells"))
        let negative = errors(sweepStep("lambda = [0, -1]"))
        #expect(negative.first?.line == 13 && negative.first?.message.contains("λ must be ≥ 0") == true)
        let key = errors(sweepStep("lambdas = [0, 1]"))
        #expect(key.contains { $0.line == 13 && $0.suggestion == "did you mean `lambda`?" })
        let section = errors(sweepStep("lambda = [0]\n[run \"a\"]"))
        #expect(section.first?.line == 14 && section.first?.suggestion == "a `sweep` block has no sections")
    }
}
