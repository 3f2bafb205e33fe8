import Testing
import Foundation
import DecayEngine
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

/// A small two-lesson library written here, so these tests do not move when
/// the shipped lessons are edited.
private let lessonText = """
---
id: demo
title: Demo lesson
summary: A lesson for the interface tests.
---

## First step

Prose of the **first** step.

```experiment
data = linreg
train = 12
val = 20
inputs = 8
model = linear
optimizer = sgd
lr = 0.01
lambda = 0.01
steps = 40
controls = [lambda, lr]

[run "pinned"]
lambda = 0

[run "yours"]
```

## Second step

Which run has the smaller norm?

```experiment
data = linreg
train = 12
val = 20
inputs = 8
model = linear
optimizer = sgd
steps = 20
controls = [lambda, groups]
```

```goal
kind = question
prompt = "Pick one"

[choice "The decayed run"]
correct = true
explain = "Decay shrinks it."

[choice "The other one"]
explain = "No: that one is not decayed."
```
"""

private let secondLessonText = """
---
id: other
title: Another lesson
---

## Only step

Text.

```experiment
data = moons
train = 20
val = 20
model = mlp
hidden = [8]
optimizer = adam
steps = 10
```
"""

func demoLibrary() throws -> LessonLibrary {
    let a = try LessonParser.parse(lessonText, path: "01-demo.md").get()
    let b = try LessonParser.parse(secondLessonText, path: "02-other.md").get()
    return LessonLibrary(lessons: [a, b])
}

/// An app on no terminal, with a clock that moves 50 ms per reading, so
/// training budgets, the pace and rates are deterministic.
func testApp(_ library: LessonLibrary, width: Int = 120, height: Int = 40, unicode: Bool = true, colors: Int = 8,
             learnerSeed: UInt64 = 0) -> App {
    var t = 0.0
    return App(library: library, store: nil, size: TerminalSize(width: width, height: height),
               unicode: unicode, colors: colors, learnerSeed: learnerSeed, clock: { t += 0.05; return t })
}

extension TutorState {
    /// `update`, then what the runtime would read back from the engine
    /// after the commands: the control values they set.
    mutating func press(_ key: Key) -> [Command] {
        let commands = update(.key(key))
        var r = readings
        for c in commands {
            if case let .setControl(control, v) = c { r.values[control] = v }
            if case let .setGroupDecay(g, on) = c { r.decay[g] = on }
        }
        _ = update(.readings(r))
        return commands
    }
}

func demoState(width: Int = 120, height: Int = 40) throws -> TutorState {
    TutorState(lessons: try demoLibrary().lessons, size: TerminalSize(width: width, height: height))
}

@Suite struct ControlLadderTests {
    @Test func lambdaLadderIsOneTwoThreeFiveWithZeroAtTheBottom() {
        let v = ControlLadder.lambda.values
        #expect(v.first == 0)
        #expect(v[1] == 1e-5 && v[2] == 2e-5 && v[3] == 3e-5 && v[4] == 5e-5 && v[5] == 1e-4)
        #expect(v.last == 100)
        // 0, then 7 decades × 4 values, then 100.
        #expect(v.count == 1 + 7 * 4 + 1)
        #expect(ControlLadder.lambda.contains(3) && ControlLadder.lambda.contains(0.003))
    }

    @Test func movesToTheNeighbourInTheDirectionPressed() {
        let l = ControlLadder.lambda
        #expect(l.up(from: 0.01) == 0.02)
        #expect(l.up(from: 0.02) == 0.03)
        #expect(l.down(from: 0.01) == 0.005)
        #expect(l.up(from: 0.004) == 0.005)     // off the ladder: the next one up
        #expect(l.down(from: 0.004) == 0.003)
        #expect(l.down(from: 1e-5) == 0)        // "no decay" is one press below the smallest
        #expect(l.down(from: 0) == 0)
        #expect(l.up(from: 10) == 20)           // λ goes past 10, where too much decay shows
        #expect(l.up(from: 100) == 100)
        #expect(ControlLadder.learningRate.up(from: 10) == 10)
        #expect(ControlLadder.learningRate.down(from: 1e-5) == 1e-5)
    }

    @Test func aDecadeJumpLandsOnTheLadder() {
        let l = ControlLadder.lambda
        #expect(l.decade(from: 0.01, up: true) == 0.1)
        #expect(l.decade(from: 0.03, up: true) == 0.3)
        #expect(l.decade(from: 0.1, up: false) == 0.01)
        #expect(l.decade(from: 0, up: true) == 1e-5)
        #expect(l.decade(from: 5e-5, up: false) == 0)
        #expect(l.decade(from: 10, up: true) == 100)
        #expect(l.decade(from: 100, up: true) == 100)
        // From 0 to 0.1: one press and four decades, not 13 presses.
        var v: Float = 0
        v = l.up(from: v)
        for _ in 0..<4 { v = l.decade(from: v, up: true) }
        #expect(v == 0.1)
    }

    @Test func aStepsOwnValuesJoinItsLadder() throws {
        var spec = try demoLibrary().lessons[0].steps[0].spec
        spec.weightDecay = 0.004
        let l = ControlLadder.of(.lambda, in: spec)
        #expect(l.contains(0.004))
        #expect(l.up(from: 0.003) == 0.004 && l.down(from: 0.005) == 0.004)
    }
}

@Suite struct UpdateTests {
    @Test func enterOpensTheSelectedLessonWithItsControlValues() throws {
        var m = try demoState()
        let commands = m.update(.key(.enter))
        #expect(commands == [.saveProgress, .openStep(lesson: 0, step: 0)])
        #expect(m.screen == .step)
        #expect(m.value(.lambda) == 0.01)
        #expect(m.focusedControlText == "λ = 0.01")
        #expect(m.progress.last == LearnerProgress.Position(lesson: "demo", step: 1))
    }

    @Test func arrowsWalkTheLadderAndEmitControlChanges() throws {
        var m = try demoState()
        _ = m.update(.key(.enter))
        #expect(m.press(.right) == [.setControl(.lambda, 0.02)])
        #expect(m.press(.char("l")) == [.setControl(.lambda, 0.03)])
        #expect(m.focusedControlText == "λ = 0.03")
        _ = m.press(.left); _ = m.press(.left); _ = m.press(.left)
        #expect(m.value(.lambda) == 0.005)
        #expect(m.press(.char("]")) == [.setControl(.lambda, 0.05)])
        #expect(m.press(.char("[")) == [.setControl(.lambda, 0.005)])
        for _ in 0..<30 { _ = m.press(.char("h")) }
        #expect(m.value(.lambda) == 0)
        #expect(m.focusedControlText == "λ = 0")
        #expect(m.update(.key(.left)) == [])
        #expect(m.notice?.contains("bottom") == true)
    }

    @Test func focusMovesBetweenControls() throws {
        var m = try demoState()
        _ = m.update(.key(.enter))
        _ = m.update(.key(.down))
        #expect(m.focusedControl == .learningRate)
        #expect(m.focusedControlText == "lr = 0.01")
        #expect(m.press(.right) == [.setControl(.learningRate, 0.02)])
        _ = m.update(.key(.tab))
        #expect(m.focusedControl == .lambda)   // wraps around
        _ = m.update(.key(.up))
        #expect(m.focusedControl == .learningRate)
    }

    @Test func stepNavigationPauseRestartHelpAndQuit() throws {
        var m = try demoState()
        _ = m.update(.key(.enter))
        #expect(m.update(.key(.char("n"))) == [.saveProgress, .openStep(lesson: 0, step: 1)])
        // The last step of a lesson leads to its summary, then the next lesson.
        #expect(m.update(.key(.pageDown)) == [.closeStep, .saveProgress])
        #expect(m.screen == .summary)
        #expect(m.update(.key(.char("n"))) == [.saveProgress, .openStep(lesson: 1, step: 0)])
        // The last lesson's summary leads to the end of the course, then the menu.
        _ = m.update(.key(.char("n")))
        #expect(m.screen == .summary && m.lessonIndex == 1)
        _ = m.update(.key(.char("n")))
        #expect(m.screen == .courseEnd)
        _ = m.update(.key(.char("p")))
        #expect(m.screen == .summary)
        _ = m.update(.key(.char("p")))
        #expect(m.screen == .step && m.lessonIndex == 1)
        #expect(m.update(.key(.pageUp)) == [.saveProgress, .openStep(lesson: 0, step: 1)])
        _ = m.update(.key(.char(" ")))
        #expect(m.paused)
        #expect(m.update(.key(.char("r"))) == [.restart])
        #expect(!m.paused)
        #expect(m.update(.key(.char("."))) == [.singleStep])
        #expect(m.paused)
        _ = m.update(.key(.char("?")))
        #expect(m.showHelp)
        #expect(m.update(.key(.char("n"))) == [])   // closes help, does not act
        #expect(!m.showHelp && m.stepIndex == 1)
        #expect(m.update(.key(.escape)) == [.closeStep, .saveProgress])
        #expect(m.screen == .menu)
        #expect(m.update(.key(.char("q"))) == [.saveProgress, .quit])
        #expect(m.quitting)
    }

    @Test func ctrlCQuitsFromAnywhereEvenWithHelpOpen() throws {
        var m = try demoState()
        _ = m.update(.key(.char("?")))
        #expect(m.update(.key(.ctrlC)) == [.saveProgress, .quit])
    }

    @Test func questionsAreAnsweredWithDigits() throws {
        var m = try demoState()
        _ = m.open(lesson: 0, step: 1)
        // A wrong first answer is a mistake the lesson's score keeps: saved.
        #expect(m.update(.key(.char("2"))) == [.saveProgress])
        #expect(m.answer?.correct == false)
        #expect(m.answer?.explanation == "No: that one is not decayed.")
        #expect(!m.progress.isFinished(lesson: "demo", step: 2))
        #expect(m.progress.lessons["demo"]?.missedGoals == [2])
        #expect(m.update(.key(.char("1"))) == [.saveProgress])
        #expect(m.progress.isFinished(lesson: "demo", step: 2))
        #expect(m.stepDone)
    }

    @Test func groupSwitchesToggleOnlyWhereOffered() throws {
        var m = try demoState()
        _ = m.open(lesson: 0, step: 0)
        #expect(m.update(.key(.char("B"))) == [])
        #expect(m.notice?.contains("does not offer") == true)
        _ = m.open(lesson: 0, step: 1)
        #expect(m.press(.char("B")) == [.setGroupDecay(.biases, false)])
        #expect(m.update(.key(.char("N"))) == [])      // a linear state has no norms
        _ = m.update(.key(.down))                       // focus the group switches
        #expect(m.focusedControl == .groups)
        _ = m.update(.key(.right))                      // picks biases
        #expect(m.update(.key(.enter)) == [.setGroupDecay(.biases, true)])
    }

    @Test func menuSelectionStaysInRange() throws {
        var m = try demoState()
        _ = m.update(.key(.up))
        #expect(m.menuSelection == 0)
        _ = m.update(.key(.down)); _ = m.update(.key(.down)); _ = m.update(.key(.down))
        #expect(m.menuSelection == 1)
        #expect(m.update(.key(.enter)) == [.saveProgress, .openStep(lesson: 1, step: 0)])
    }
}

@Suite struct ViewTests {
    func app(_ w: Int, _ h: Int) throws -> App {
        testApp(try demoLibrary(), width: w, height: h)
    }

    func assertFits(_ lines: [String], width: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        for line in lines {
            #expect(CharacterWidth.of(line) <= width, "line wider than \(width): \(line)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func menuShowsTitlesCountsAndKeys(size: (Int, Int)) throws {
        let a = try app(size.0, size.1)
        let lines = a.frame().lines()
        #expect(lines.count == size.1)
        #expect(lines[0].contains("decay-tutor"))
        #expect(lines.contains { $0.contains("▸") && $0.contains("1. Demo lesson") && $0.hasSuffix("2 steps") })
        #expect(lines.contains { $0.contains("2. Another lesson") && $0.hasSuffix("1 step") })
        #expect(lines.contains { $0.contains("A lesson for the interface tests.") })
        #expect(lines.last!.contains("q quit"))
        assertFits(lines, width: size.0)
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func stepScreenShowsProseChartsControlsAndStatus(size: (Int, Int)) throws {
        let a = try app(size.0, size.1)
        a.open(lesson: 0, step: 0)
        for _ in 0..<5 { a.tick() }
        let lines = a.frame().lines()
        #expect(lines[0].contains("1. Demo lesson") && lines[0].contains("step 1/2: First step"))
        #expect(lines.contains { $0.contains("Prose of the first step.") })
        #expect(lines.contains { $0.contains("loss (log scale)") })
        #expect(lines.contains { ($0.contains("train (full set)") || $0.contains("train (smoothed)")) && $0.contains("validation") })
        #expect(lines.contains { $0.contains("‖weights‖") })
        #expect(lines.contains { $0.contains("pinned") && $0.contains("yours") })   // legend
        #expect(lines.contains { $0.contains("▸") && $0.contains("weight decay") && $0.contains("λ = 0.01") })
        #expect(lines.contains { $0.contains("learning rate") && $0.contains("lr = 0.01") })
        let status = lines.last!
        #expect(status.hasPrefix(" λ = 0.01"))
        #expect(status.contains("step \(a.session!.experiment.step)"))
        #expect(status.contains("steps/s"))
        // Braille dots are on screen: the charts drew curves.
        #expect(lines.joined().unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
        assertFits(lines, width: size.0)
        if size.0 >= 120 {
            // Side by side: prose and a chart share a row.
            #expect(lines.contains { $0.contains("Prose of the first step.") && $0.contains("loss") })
        }
    }

    @Test func arrowKeyChangesTheStatusBarAndTheRuns() throws {
        let a = try app(120, 40)
        a.open(lesson: 0, step: 0)
        a.tick()
        a.send(.key(.right))
        #expect(a.frame().lines().last!.hasPrefix(" λ = 0.02"))
        let runs = a.session!.experiment.runs
        #expect(runs[0].settings.weightDecay == 0)      // pinned
        #expect(runs[1].settings.weightDecay == 0.02)   // follows the control
    }

    @Test func chartsMoveAsTrainingGoesOn() throws {
        let a = try app(120, 40)
        a.open(lesson: 0, step: 0)
        a.tick()
        let before = a.frame().lines()
        a.tick(); a.tick()
        #expect(a.frame().lines() != before)
    }

    @Test func helpOverlayListsTheKeys() throws {
        let a = try app(80, 24)
        a.send(.key(.char("?")))
        let text = a.frame().lines().joined(separator: "\n")
        #expect(text.contains("Keys"))
        #expect(text.contains("pause or resume"))
        #expect(text.contains("twice / half as fast"))
        #expect(text.contains("finish the planned steps now"))
        #expect(text.contains("a decade down / up"))
        #expect(text.contains("hint"))
        #expect(text.contains("export the step"))
        #expect(text.contains("quit (progress is saved)"))
        #expect(!text.contains("more: enlarge"))      // every key fits at 80×24
    }

    @Test func tooSmallTerminalSaysHowBigItMustBe() throws {
        let a = try app(40, 10)
        let lines = a.frame().lines()
        #expect(lines[0].contains("at least 60×18"))
        #expect(lines[1].contains("40×10"))
    }

    @Test func tooSmallMessageWrapsRatherThanCuttingTheSize() throws {
        // 31 columns is one short of the first sentence: cut, it read "at least 60×1".
        let a = try app(31, 11)
        let text = a.frame().lines().map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(text.contains("at least 60×18;"), "\(text)")
        #expect(text.contains("this terminal is 31×11."), "\(text)")
        #expect(text.contains("press q to quit."), "\(text)")
    }

    @Test func asciiModeDrawsNoBrailleOrBoxDrawing() throws {
        let a = testApp(try demoLibrary(), width: 100, height: 30, unicode: false, colors: 0)
        a.open(lesson: 0, step: 0)
        for _ in 0..<5 { a.tick() }
        let text = a.frame().lines().joined()
        #expect(!text.unicodeScalars.contains { $0.value >= 0x2500 })
        #expect(text.contains("lambda = 0.01"))
    }

    @Test func loopRunsKeysFromTheBackendUntilQuit() throws {
        let backend = MemoryBackend(width: 120, height: 40, keys: [.enter, .right, .right, .char("q")])
        let a = try app(120, 40)
        try a.loop(on: backend)
        #expect(a.state.quitting)
        #expect(a.state.value(.lambda) == 0.03)
        #expect(backend.frameCount >= 1)
        #expect(backend.pendingKeys.isEmpty)
    }
}

@Suite struct DivergenceTests {
    @Test func runawayLearningRateIsShownAndRRecovers() throws {
        let a = testApp(try demoLibrary())
        a.open(lesson: 0, step: 0)
        a.send(.key(.down))                                   // focus lr
        for _ in 0..<30 { a.send(.key(.right)) }              // to the top of the ladder
        #expect(a.state.value(.learningRate) == 10)
        for _ in 0..<20 where !a.state.diverged { a.tick() }
        #expect(a.state.diverged)
        let status = a.frame().lines().last!
        #expect(status.contains("diverged"))
        #expect(status.contains("lr too high"))
        // The UI goes on: keys are still answered.
        a.send(.key(.up))
        #expect(a.state.focusedControl == .lambda)
        a.send(.key(.char("r")))
        #expect(a.state.value(.learningRate) == 0.01)
        #expect(a.state.notice?.contains("step's own settings") == true)
        for _ in 0..<3 { a.tick() }
        #expect(a.session!.experiment.runs.allSatisfy { !$0.status.isDiverged })
        #expect(!a.state.diverged)
    }

    @Test func heldKeysLeaveOneMarkAndMarksStayBounded() throws {
        let a = testApp(try demoLibrary())
        a.open(lesson: 0, step: 0)
        a.tick()
        for _ in 0..<5 { a.send(.key(.right)) }              // same step: one mark
        #expect(a.session!.markers.count == 1)
        for _ in 0..<300 {
            a.send(.key(a.session!.markers.count % 2 == 0 ? .right : .left))
            a.session!.singleStep(now: 0)
        }
        #expect(a.session!.markers.count <= 64)
    }
}

private let sweepLessonText = """
---
id: grid
title: Grid lesson
---

## Grid

A small grid.

```experiment
data = linreg
train = 12
val = 20
inputs = 8
model = linear
optimizer = sgd
lr = 0.01
steps = 30
controls = [lambda]
```

```sweep
lr = [0.01, 0.02]
lambda = [0, 0.1, 1]
steps = 20
```
"""

@Suite struct SweepViewTests {
    func app(_ w: Int, _ h: Int) throws -> App {
        let lesson = try LessonParser.parse(sweepLessonText, path: "03-grid.md").get()
        return testApp(LessonLibrary(lessons: [lesson]), width: w, height: h)
    }

    func waitForSweep(_ a: App) {
        for _ in 0..<2000 where !(a.session?.sweepComplete ?? true) {
            a.tick()
            usleep(2000)
        }
    }

    @Test func wideScreensShowTheHeatmapBesideTheLiveCharts() throws {
        let a = try app(120, 40)
        a.open(lesson: 0, step: 0)
        waitForSweep(a)
        for _ in 0..<5 { a.tick() }
        let text = a.frame().lines().joined(separator: "\n")
        #expect(text.contains("run: final val loss after 20 steps"))
        #expect(text.contains("lr \\ λ"))
        #expect(text.contains("loss (log scale)"))
        #expect(text.contains("▸ weight decay  λ = 0")) // the live runs have controls too
        #expect(a.session!.experiment.step > 0)         // and they train
        #expect(a.session!.sweep!.finished.count == 6)
    }

    @Test func narrowScreensShowOnePanelAtATimeAndCMovesOn() throws {
        let a = try app(80, 24)
        a.open(lesson: 0, step: 0)
        waitForSweep(a)
        var lines = a.frame().lines()
        #expect(lines.joined().contains("final val loss"))
        #expect(!lines.joined().contains("loss (log scale)"))
        #expect(lines.last!.contains("c more"))
        a.send(.key(.char("c")))
        lines = a.frame().lines()
        #expect(!lines.joined().contains("final val loss"))
        #expect(lines.joined().contains("loss (log scale)"))
    }
}
