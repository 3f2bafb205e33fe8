import Testing
import Foundation
import DecayEngine
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

/// The repository's lessons, as the tutor shows them.
let shippedLibrary: LessonLibrary = {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Lessons").path
    return LessonLibrary.load(directory: dir)
}()

/// Every step of every shipped lesson, as (lesson, step) indices.
let shippedSteps: [(Int, Int)] = shippedLibrary.lessons.indices.flatMap { l in
    shippedLibrary.lessons[l].steps.indices.map { (l, $0) }
}

@Suite struct ShippedStepsTests {
    /// `--ascii` and non-UTF-8 locales: every step renders in plain ASCII,
    /// and every word of its prose is still there once spelled out
    /// (scrolling through the prose pane).
    @Test func everyStepRendersInAsciiWithoutLosingAWord() throws {
        #expect(shippedSteps.count >= 20)
        for (l, s) in shippedSteps {
            var screen = ShippedScreen(lesson: l, step: s, width: 120, height: 40, unicode: false, colors: 0)
            // Scroll the prose to its end: a long step takes more than a screen.
            var seen = ""
            for _ in 0..<200 {
                let text = screen.frame().lines().joined(separator: "\n")
                seen += text + "\n"
                if !text.contains("v more: j/k") { break }
                screen.press(.char("j"))
            }
            #expect(seen.utf8.allSatisfy { $0 < 0x80 }, "lesson \(l + 1) step \(s + 1) has a non-ASCII byte")
            let step = shippedLibrary.lessons[l].steps[s]
            let prose = Lesson.split(step.prose).prose
            let words = Set(AsciiSpelling.spell(prose).split { !$0.isLetter }.map(String.init).filter { $0.count >= 3 })
            let shown = Set(seen.split { !$0.isLetter }.map(String.init))
            let lost = words.subtracting(shown)
            #expect(lost.isEmpty, "lesson \(l + 1) step \(s + 1) lost: \(lost.sorted().prefix(10))")
        }
    }

    @Test func asciiSpellingsCoverTheSymbolsTheLessonsUse() {
        #expect(AsciiSpelling.spell("the λ knob") == "the lambda knob")
        #expect(AsciiSpelling.spell("‖w‖ ≈ √200 · 3 × 2 – 1 …") == "|w| ~ sqrt200 * 3 x 2 - 1 ...")
        #expect(AsciiSpelling.spell("λ·w") == "lambda*w")
        #expect(AsciiSpelling.spell("v̂") == "v")
        for lesson in shippedLibrary.lessons {
            for step in lesson.steps {
                #expect(!AsciiSpelling.spell(step.prose).contains("?") || step.prose.contains("?"),
                        "an unspelled symbol in \(lesson.id)")
            }
        }
    }

    /// Without colour (NO_COLOR) and in ASCII, the runs of a chart still
    /// differ: no two legend swatches on one chart are the same.
    @Test(arguments: [true, false])
    func legendSwatchesDifferWithoutColour(unicode: Bool) throws {
        for (l, s) in shippedSteps {
            let screen = ShippedScreen(lesson: l, step: s, width: 120, height: 40, unicode: unicode, colors: 0)
            let view = StepView(state: screen.state, training: screen.training, theme: Theme(screen.state))
            for chart in screen.state.step!.charts {
                guard case let .metrics(definition) = chart.plot else { continue }
                let lineChart = view.lineChart(definition, width: 70)
                let swatches = lineChart.series.filter { !$0.label.isEmpty }.map {
                    LegendEntry.sample(for: $0.role.pattern, glyphs: unicode ? .unicode : .ascii, marker: $0.marker)
                }
                #expect(Set(swatches).count == swatches.count, "\(chart) of lesson \(l + 1) step \(s + 1): \(swatches)")
            }
        }
    }

    /// overfitting:3 says the λ = 0 fit "strays from the true curve by more
    /// than 3": the fit chart's range must hold that curve, not clip it at
    /// the truth's ±2.
    @Test func theFitChartShowsHowFarTheCurveStrays() throws {
        let l = try #require(shippedLibrary.lessons.firstIndex { $0.id == "overfitting" })
        let a = testApp(shippedLibrary, width: 120, height: 40)
        a.open(lesson: l, step: 2)
        a.send(.key(.char("f")))
        for _ in 0..<4000 where a.session!.canTrain { a.tick() }
        let snapshot = a.session!.snapshot()
        let fit = try #require(snapshot.fit)
        let plot = StepView(state: a.state, training: snapshot, theme: Theme(a.state)).fitPlot()
        let range = try #require(plot.yRange)
        let free = fit.curves[0].map(\.y)
        #expect(range.contains(Double(free.min()!)) && range.contains(Double(free.max()!)), "\(range) vs \(free.min()!)…\(free.max()!)")
        #expect(range.upperBound - range.lowerBound > 6, "\(range)")
        #expect(plot.title?.contains("cut") != true)
    }

    /// overfitting:2's band: λ = 1 over the lesson's 400 steps ends at
    /// validation loss 6.07, so it must not meet "below 2.9"; λ = 3, the
    /// best of the band the prose names, must.
    @Test func overfittingGoalNeedsAWorkingLambda() throws {
        let l = try #require(shippedLibrary.lessons.firstIndex { $0.id == "overfitting" })
        let step = shippedLibrary.lessons[l].steps[1]
        guard case let .threshold(t)? = step.goal else { Issue.record("no threshold goal"); return }
        func replay(_ lambda: Float) -> GoalReplay.Outcome {
            GoalReplay.replay(spec: step.spec, controls: [.lambda], groups: false,
                              readings: ControlReadings(values: [.lambda: lambda]), goal: t)
        }
        guard case let .notMet(v1, steps1) = replay(1) else { Issue.record("λ = 1 met the goal"); return }
        #expect(steps1 == 400)
        #expect(abs((v1 ?? 0) - 6.07) < 0.01)
        guard case let .met(v3, _) = replay(3) else { Issue.record("λ = 3 did not meet the goal"); return }
        #expect(abs(v3 - 2.33) < 0.01)
    }

    /// The live runs meet the goal after a long session at λ = 1; the
    /// replay says no, in one line with its number, and the hint comes up.
    /// Then λ = 2 meets it (the ✓, with where), and moving on to λ = 10
    /// takes the ✓ away while the history keeps where it was met.
    @Test func liveRunMeetingTheGoalIsNotEnough() throws {
        let l = try #require(shippedLibrary.lessons.firstIndex { $0.id == "overfitting" })
        let a = testApp(shippedLibrary, width: 120, height: 40)
        a.open(lesson: l, step: 1)
        for _ in 0..<8 { a.send(.key(.right)) }              // 0.01 → 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1 on the 1-2-3-5 ladder
        #expect(a.state.value(.lambda) == 1)
        func settle() {
            a.send(.key(.char("f")))
            for _ in 0..<3000 where !(a.session!.replayState.map { !$0.running && $0.readings == a.session!.readings } ?? false) {
                if !a.session!.canTrain { a.send(.key(.right)); a.send(.key(.left)); a.send(.key(.char("f"))) }
                a.tick()
                if a.session!.replayState?.running == true { usleep(2000) }
            }
            a.tick()
        }
        settle()
        let verdict = try #require(a.session!.replayState)
        #expect(!verdict.met)
        #expect(!a.state.stepDone)
        // The left pane (prose, goal, controls), its wrapped lines joined again.
        func left() -> String { a.frame().lines().map { String($0.prefix(48)).trimmingCharacters(in: .whitespaces) }.joined(separator: " ") }
        var text = left()
        #expect(text.contains("The live run met it, but a fresh run at λ = 1 reaches val_loss = 6.07 at step 400 (goal < 2.9)."), "\(text)")
        #expect(text.contains("Hint: λ = 2, 3 or 5 meets it"))
        a.send(.key(.right))                                 // λ = 2
        settle()
        #expect(a.state.stepDone && a.session!.replayState?.met == true)
        text = left()
        #expect(text.contains("Goal met at λ = 2: a fresh run reaches val_loss = 2.43 at step 400."), "\(text)")
        for _ in 0..<4 { a.send(.key(.right)) }              // 3, 5, 10 … 20: off the band
        a.tick()
        text = left()
        #expect(!text.contains("Goal met at") && !a.frame().lines()[0].contains("✓"), "\(text)")
        #expect(text.contains("Met before at λ = 2 (2.43); not at the settings now."), "\(text)")
    }
}

@Suite struct LadderRuleTests {
    @Test func theShippedLessonsNameOnlyReachableValues() {
        for lesson in shippedLibrary.lessons { #expect(LadderRule.problems(in: lesson).isEmpty, "\(LadderRule.problems(in: lesson))") }
        #expect(shippedLibrary.errors.isEmpty, "\(shippedLibrary.errors)")
    }

    @Test func aValueOffTheLadderIsALocatedError() throws {
        let text = """
        ---
        id: t
        title: T
        ---

        ## S

        Try λ = 4, or lr 0.003.

        ```experiment
        data = linreg
        model = linear
        optimizer = sgd
        controls = [lambda, lr]
        ```
        """
        let lesson = try LessonParser.parse(text, path: "t.md").get()
        let problems = LadderRule.problems(in: lesson)
        #expect(problems.count == 1)
        #expect(problems.first?.line == 6)
        #expect(problems.first?.description.contains("lambda = 4.0") == true)
    }
}

/// Where a learner sees what a lesson claims: each chart a step lists and
/// the numbers table (its validation loss column, or its validation accuracy
/// column on a step that charts accuracy and not the losses) are on the step's screen at 120×40, paging with `c` where they do not
/// all fit.
@Suite struct ClaimFieldsTests {
    static func title(_ chart: Chart) -> String {
        switch chart {
        case .loss: "loss (log scale)"
        case .norms: "(g: group)"
        case .fit: "the fit"
        case .updates: "per step (log scale)"
        case .penalty: "penalty (λ/2)·‖w‖²"
        case .accuracy: "accuracy"
        case .rows: "mean ‖row‖ of embedding rows"
        case .gains: "‖γ‖ LayerNorm gains"
        case .shifts: "‖β‖ LayerNorm shifts"
        case .prenorm: "embedding table before a LayerNorm"
        case .distance: "weights' distance ‖θ − θ₀‖"
        case .spectrum: "singular values σᵢ of ΔW"
        case .rank: "rank of ΔW (1 to r)"
        case .outputs: "outputs' distance ‖f − f₀‖ (RMS)"
        }
    }

    @Test func everyChartAndNumbersFieldIsOnItsStepsScreen() {
        for (l, s) in shippedSteps {
            var screen = ShippedScreen(lesson: l, step: s, width: 120, height: 40)
            let text = screen.text(pressing: .char("c"), 4)
            for chart in screen.state.step!.charts {
                #expect(text.contains(Self.title(chart)), "lesson \(l + 1) step \(s + 1): no \(chart) chart")
            }
            // A step that argues in accuracy (charts it, not the losses) may give
            // its val loss column up for val acc where the table is too narrow.
            let charts = screen.state.step!.charts
            let fields = charts.contains(.accuracy) && !charts.contains(.loss) ? ["val loss", "val acc"] : ["val loss"]
            #expect(fields.contains { text.contains($0) }, "lesson \(l + 1) step \(s + 1): no numbers field \(fields)")
        }
    }
}
