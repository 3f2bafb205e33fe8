import Testing
import Foundation
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

@Suite struct PacerTests {
    /// Frames every 16 ms: the planned steps take 5 s, whatever the step
    /// count; twice as fast takes 2.5 s; finishing takes one frame.
    func secondsToTrain(_ planned: Int, faster: Int = 0, frame: Double = 0.016) -> Double {
        var p = Pacer(plannedSteps: planned)
        for _ in 0..<faster { p.faster() }
        var t = 0.0, done = 0
        _ = p.allowance(now: t, running: true)
        while done < planned {
            t += frame
            let n = min(p.allowance(now: t, running: true), planned - done)
            p.spend(n)
            done += n
        }
        return t
    }

    @Test(arguments: [40, 400, 3000, 20_000])
    func plannedStepsTakeFiveSeconds(planned: Int) {
        let t = secondsToTrain(planned)
        #expect(t >= 4.9 && t <= 5.1, "\(planned) steps took \(t) s")
        #expect(t >= 3)
    }

    @Test func fasterAndSlowerHalveAndDoubleTheTime() {
        #expect(abs(secondsToTrain(400, faster: 1) - 2.5) < 0.05)
        var p = Pacer(plannedSteps: 400)
        p.slower()
        #expect(p.targetRate == 40 && p.label(unicode: true) == "÷2" && p.label(unicode: false) == "/2")
        for _ in 0..<20 { p.faster() }
        #expect(p.label(unicode: true) == "×16")          // bounded
    }

    @Test func aLateFrameDoesNotMakeTheCurvesJump() {
        var p = Pacer(plannedSteps: 400)
        _ = p.allowance(now: 0, running: true)
        #expect(p.allowance(now: 10, running: true) == 40)   // half a second's worth, not 800
        _ = p.allowance(now: 20, running: false)              // paused: nothing, and no credit kept
        #expect(p.allowance(now: 20.1, running: true) == 8)
        p.finishing = true
        #expect(p.allowance(now: 20.2, running: true) == Int.max)
    }

    /// The tutor, frame by frame on the test clock (50 ms per reading):
    /// not done after one second, done after the planned time, and `f`
    /// finishes at once. The status bar shows the pace while it trains and
    /// no rate once it has stopped.
    @Test func theTutorPacesItsLiveRuns() throws {
        let a = testApp(try demoLibrary(), width: 120, height: 40)
        a.open(lesson: 0, step: 0)
        var frames = 0
        while a.session!.canTrain && frames < 1000 { a.tick(); frames += 1 }
        // About 3 clock readings per frame: 5 s of test time is 30-40 frames.
        #expect(frames >= 20, "\(frames) frames")
        #expect(!a.session!.canTrain)
        #expect(!a.frame().lines().last!.contains("steps/s"))
        let b = testApp(try demoLibrary(), width: 120, height: 40)
        b.open(lesson: 0, step: 0)
        b.tick(); b.tick()
        #expect(b.frame().lines().last!.contains("pace ×1"))
        b.send(.key(.char("+")))
        #expect(b.frame().lines().last!.contains("pace ×2"))
        b.send(.key(.char("f")))
        for _ in 0..<10 { b.tick() }
        #expect(!b.session!.canTrain)
    }
}
