import Testing
import DecayEngine
@testable import DecayLessons

/// `decay_to = zero | init`: per experiment or per run; a run that names
/// nothing follows the experiment; mistakes are located errors.
@Suite struct DecayToKeyTests {
    @Test func experimentAndRunsSetTheTarget() throws {
        let text = step("data = moons\nmodel = mlp\nhidden = [8]\noptimizer = adamw\ndecay_to = init\n"
            + "[run \"follows\"]\n[run \"zero\"]\ndecay_to = zero\n[run \"l2 sp\"]\noptimizer = adam\ndecay = l2")
        let spec = try parsed(text).steps[0].spec
        #expect(spec.decayTo == .initial)
        let targets = spec.resolvedRuns.map { RunSettings(run: $0, experiment: spec).decayTo }
        #expect(targets == [.initial, .zero, .initial])
        let settings = spec.resolvedRuns.map { RunSettings(run: $0, experiment: spec) }
        #expect(settings.map(\.storesInitialParameters) == [true, false, true])
        // The default costs nothing: no run keeps θ₀.
        let plain = try parsed(step("data = moons\nmodel = mlp\nhidden = [8]\noptimizer = adamw")).steps[0].spec
        #expect(plain.decayTo == .zero)
        #expect(!RunSettings(run: plain.resolvedRuns[0], experiment: plain).storesInitialParameters)
    }

    @Test func mistakesAreLocated() {
        let bad = errors(step("data = moons\nmodel = mlp\nhidden = [8]\noptimizer = adamw\ndecay_to = pretrained"))
        #expect(bad.count == 1 && bad[0].line == 12, "\(bad)")
        #expect(bad.first?.message.contains("unknown decay_to `pretrained`") == true, "\(bad)")
        #expect(bad.first.map { "\($0)".contains("init") } == true, "the suggestion lists the values: \(bad)")
        let none = errors(step("data = moons\nmodel = mlp\nhidden = [8]\noptimizer = adamw\n[run \"a\"]\ndecay = none\ndecay_to = init"))
        #expect(none.count == 1 && none[0].line == 14 && none[0].message.contains("no effect"), "\(none)")
    }
}

/// `dist_init` (a chart, a goal or a sweep names it) makes every run keep θ₀.
@Suite struct DistanceFromInitTests {
    @Test func namingTheDistanceKeepsTheStart() throws {
        let base = "data = moons\nmodel = mlp\nhidden = [8]\noptimizer = adamw"
        let plain = try parsed(step(base)).steps[0].spec
        #expect(!plain.measuresDistanceFromInit)
        let chart = try parsed(step(base + "\ncharts = [loss, distance]")).steps[0].spec
        #expect(chart.measuresDistanceFromInit)
        #expect(RunSettings(run: chart.resolvedRuns[0], experiment: chart).storesInitialParameters)
        let goal = "```goal\nkind = threshold\nmetric = dist_init\nabove = 0.5\nmin_steps = 10\nprompt = \"Move.\"\n```\n"
        #expect(try parsed(step(base, extra: goal)).steps[0].spec.measuresDistanceFromInit)
        let sweep = "```sweep\nlambda = [0, 0.1]\nmetric = dist_init\n```\n"
        #expect(try parsed(step(base, extra: sweep)).steps[0].spec.measuresDistanceFromInit)
    }
}
