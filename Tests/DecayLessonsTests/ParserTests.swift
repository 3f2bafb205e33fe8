import Testing
import DecayEngine
@testable import DecayLessons

@Suite struct ParserTests {
    @Test func values() {
        func value(_ text: String) -> BlockValue? {
            try? ValueParser.parse(Array(text.unicodeScalars), from: 0).get()
        }
        #expect(value("1e-4") == .number(1e-4, "1e-4"))
        #expect(value("-0.5") == .number(-0.5, "-0.5"))
        #expect(value("sgd") == .word("sgd"))
        #expect(value("on") == .bool(true) && value("off") == .bool(false))
        #expect(value("true") == .bool(true) && value("false") == .bool(false))
        #expect(value(#""a \"b\" \\ c""#) == .string(#"a "b" \ c"#))
        #expect(value("[64, 64]") == .list([.number(64, "64"), .number(64, "64")]))
        #expect(value("[]") == .list([]))
        #expect(value("normal(1)") == .call("normal", [.number(1, "1")]))
        #expect(value("[loss, norms] # trailing comment") == .list([.word("loss"), .word("norms")]))
        #expect(value("[[1], [2, [3]]]") != nil)
    }

    @Test(arguments: [
        ("1.2.3", 1, "is not a number"), ("0x10", 1, "is not a number"), ("\"abc", 1, "not closed"),
        (#""a\n""#, 3, "unknown escape"), ("[1, 2", 1, "never closed"), ("[1 2]", 4, "expected `,` or `]`"),
        ("a b", 3, "unexpected text"), ("", 1, "missing value"), ("[1,]", 4, "missing value"), ("1]", 2, "nothing to close"),
        ("[[[[[1]]]]]", 5, "nest at most 4"), ("λ", 1, "unexpected character"), ("normal(1]", 9, "closes nothing"),
    ])
    func valueErrors(text: String, column: Int, fragment: String) {
        switch ValueParser.parse(Array(text.unicodeScalars), from: 0) {
        case .success(let v): Issue.record("parsed as \(v)")
        case .failure(let f):
            #expect(f.column == column, "\(f)")
            #expect(f.message.contains(fragment), "\(f)")
        }
    }

    @Test func valueErrorColumnsCountFromTheLineStart() {
        let e = errors(step(minimalExperiment + "\nlr = 1.2.3"))
        #expect(e.first?.line == 11 && e.first?.column == 6)
    }

    @Test func structure() throws {
        let text = """
        ---
        id: demo-1
        title: "A demo"
        summary: Two steps.
        ---

        Intro **text**.

        ## First step ##

        Prose with `code`.

        ```python
        print("other fences are prose")
        ```

        ```experiment
        \(minimalExperiment)
        charts = [loss]
        [run "a"]
        [run "b \\"quoted\\""]
        lambda = 1e-4
        ```

        After the block.

        ### A sub-heading is prose

        ## Second
        ```experiment
        data = polynomial
        model = linear
        optimizer = adamw
        batch = full
        controls = [lambda, lr, groups]
        ```
        ```sweep
        lambda = [0, 0.01, 0.1]
        steps = 100
        ```
        """
        let l = try parsed(text)
        #expect(l.id == "demo-1" && l.title == "A demo" && l.summary == "Two steps.")
        #expect(l.introduction == "Intro **text**.")
        #expect(l.steps.count == 2)
        let s = l.steps[0]
        #expect(s.title == "First step" && s.line == 9)
        #expect(s.prose == "Prose with `code`.\n\n```python\nprint(\"other fences are prose\")\n```\n\n\nAfter the block.\n\n### A sub-heading is prose")
        #expect(s.spec.resolvedRuns.map(\.name) == ["a", "b \"quoted\""])
        #expect(s.spec.runs[1].weightDecay == 1e-4 && s.spec.runs[0].weightDecay == nil)
        #expect(s.charts == [.loss])
        let t = l.steps[1]
        #expect(t.spec.optimizer.kind == .adamw && t.spec.optimizer.learningRate == 0.001 && t.spec.weightDecay == 0.01)
        #expect(t.spec.batchSize == nil)
        #expect(t.controls == [.lambda, .learningRate, .groups])
        #expect(t.sweep == SweepSpec(learningRates: [0.001], lambdas: [0, 0.01, 0.1], steps: 100, metric: .validationLoss, line: 39))
    }

    @Test func runThatSwitchesOptimizerGetsItsDefaults() throws {
        let l = try parsed(step(minimalExperiment + "\n[run \"sgd\"]\n[run \"adamw\"]\noptimizer = adamw"))
        let runs = l.steps[0].spec.runs
        #expect(runs[1].learningRate == 0.001 && runs[1].weightDecay == 0.01)
        let settings = RunSettings(run: runs[1], experiment: l.steps[0].spec)
        #expect(settings.decay == .decoupled)
    }

    @Test func crlfLineEndings() throws {
        let text = step(minimalExperiment + "\nlr = 0.1").replacingOccurrences(of: "\n", with: "\r\n")
        let l = try parsed(text)
        #expect(l.steps[0].spec.optimizer.learningRate == 0.1)
        let bad = step(minimalExperiment + "\nlr = x").replacingOccurrences(of: "\n", with: "\r\n")
        #expect(errors(bad).first?.line == 11)
    }

    @Test func longerFencesNestShorterOnes() throws {
        let text = lesson("## S\n````markdown\n```experiment\nnot = parsed\n```\n````\n```experiment\n\(minimalExperiment)\n```\n")
        let l = try parsed(text)
        #expect(l.steps[0].prose.contains("not = parsed"))
    }
}
