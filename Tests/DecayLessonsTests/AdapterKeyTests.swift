import Testing
import DecayEngine
@testable import DecayLessons

/// The LoRA keys (`adapter`, `rank`, `alpha`, `rslora`, `lora_dropout`,
/// `adapter_targets`, `groups.adapters`, the `lora_dropout` control): parsed
/// into the spec with peft's defaults, and every mistake located.
@Suite struct AdapterKeyTests {
    /// Experiment lines start at line 8 of the generated lesson.
    let base = "data = moons\nmodel = mlp\nhidden = [16, 8]\noptimizer = adamw\nlr = 0.001"
    func line(_ n: Int) -> Int { 7 + n }

    @Test func keysDefaultsAndRuns() throws {
        let plain = try parsed(step(base + "\nadapter = lora")).steps[0].spec
        #expect(plain.adapter == AdapterSpec(rank: 8, alpha: 8, rsLoRA: false, targets: [.hidden]))
        #expect(plain.loraDropout == 0 && plain.parameterGroups == [.adapters])
        let text = base + """

            adapter = lora
            rank = 16
            alpha = 32
            lora_dropout = 0.05
            adapter_targets = [hidden, head]
            groups.adapters = off
            controls = [lambda, lora_dropout]

            [run "full"]
            adapter = none

            [run "r 4"]
            rank = 4
            rslora = true
            lora_dropout = 0.1

            [run "yours"]
            """
        let lesson = try parsed(step(text))
        let spec = lesson.steps[0].spec
        #expect(spec.adapter == AdapterSpec(rank: 16, alpha: 32, targets: [.hidden, .head]) && spec.loraDropout == 0.05)
        #expect(spec.runs[0].adapter == .full && spec.adapter(of: spec.runs[0]) == nil)
        #expect(spec.runs[1].adapter == .lora(AdapterSpec(rank: 4, alpha: 32, rsLoRA: true, targets: [.hidden, .head])))
        #expect(spec.runs[1].loraDropout == 0.1 && spec.runs[2].adapter == nil && spec.runs[2].loraDropout == nil)
        #expect(spec.parameterGroups == [.weights, .biases, .adapters] && spec.groups[.adapters] == false)
        #expect(lesson.steps[0].controls == [.lambda, .loraDropout])
        #expect(lesson.steps[0].isFollowed(.loraDropout))
        // A run that says `adapter = lora` in a fully fine-tuned experiment starts from peft's defaults.
        let one = try parsed(step(base + "\n[run \"a\"]\nadapter = lora\nrank = 2\nsteps = 50")).steps[0].spec
        #expect(one.adapter == nil && one.runs[0].adapter == .lora(AdapterSpec(rank: 2, alpha: 8)))
        #expect(one.runs[0].steps == 50 && RunSettings(run: one.runs[0], experiment: one).steps == 50)
    }

    @Test func theBuiltExperimentTrainsOnlyTheFactors() throws {
        let spec = try parsed(step(base + "\nadapter = lora\nrank = 2\n[run \"full\"]\nadapter = none\n[run \"lora\"]")).steps[0].spec
        let e = Experiment(spec: spec)
        #expect(e.runs[0].network.parameters.map(\.group).allSatisfy { $0 != .adapters })
        #expect(e.runs[1].network.parameters.count == 4 && e.runs[1].network.adapterLayers.map(\.layer.rank) == [2, 2])
        #expect(e.groups == [.weights, .biases, .adapters])
    }

    @Test func mistakesAreLocated() {
        func only(_ extra: String, at n: Int, _ words: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let found = errors(step(base + "\n" + extra))
            #expect(found.count == 1 && found.first?.line == line(n) && found.first?.message.contains(words) == true,
                    "\(found)", sourceLocation: sourceLocation)
        }
        only("adapter = lorra", at: 6, "unknown adapter")
        only("adapter = lora\nrank = 0", at: 7, "r must be a whole number from 1 to 256")
        only("adapter = lora\nrank = 2.5", at: 7, "whole number")
        only("adapter = lora\nalpha = 0", at: 7, "lora_alpha must be > 0")
        only("adapter = lora\nlora_dropout = 1", at: 7, "lora_dropout must be in [0, 1)")
        only("adapter = lora\nrslora = yes", at: 7, "true/false")
        only("adapter = lora\nadapter_targets = [hidden, mlp]", at: 7, "unknown adapter_targets entry")
        only("adapter = lora\nadapter_targets = []", at: 7, "names no layer")
        only("rank = 4", at: 6, "no run trains one")
        only("[run \"a\"]\nlora_dropout = 0.1", at: 7, "this run trains the whole model")
        only("adapter = lora\n[run \"a\"]\nadapter = none\nrank = 4", at: 9, "this run trains the whole model")
        only("adapter = lora\ngroups.weights = off", at: 7, "frozen")
        only("groups.adapters = off", at: 6, "no run here has an adapter")
        only("controls = [lora_dropout]", at: 6, "needs a run with a LoRA adapter")
        only("steps = 100\n[run \"a\"]\nsteps = 101", at: 8, "a run trains 1 to the experiment's 100 steps")
        // A model whose only linear layer is its head has no hidden layer to adapt.
        let linear = errors(step("data = linreg\nmodel = linear\noptimizer = sgd\nadapter = lora"))
        #expect(linear.count == 1 && linear.first?.line == line(4) && linear.first?.suggestion?.contains("[head]") == true, "\(linear)")
        #expect(errors(step("data = linreg\nmodel = linear\noptimizer = sgd\nadapter = lora\nadapter_targets = [head]")).isEmpty)
    }
}
