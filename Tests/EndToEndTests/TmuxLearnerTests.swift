import Foundation
import Testing

/// The real binary as a learner meets it: the pace of the live runs, a
/// goal that a replay must confirm (on request: `LongRuns`), legends
/// without colour, and a terminal whose locale is not UTF-8.
@Suite(.serialized) struct TmuxLearnerTests {
    @Test func liveRunsArePacedAndFCanFinishThem() throws {
        try #require(Tmux.available)
        let t = try Tmux(width: 120, height: 40, arguments: ["overfitting:1"])
        defer { t.kill() }
        let started = Date()
        let first = try t.waitFor { $0.contains("pace ×1") }
        #expect(first.contains("pace ×1"), "\(first)")
        Thread.sleep(forTimeInterval: 1)
        #expect(!(try t.screen()).contains("finished"), "400 planned steps must not be over in a second")
        // Paced to about 5 s, but a debug build on a loaded machine may not
        // reach the pace: allow minutes before calling it stuck.
        let done = try t.waitFor(180) { $0.contains("finished") }
        #expect(done.contains("finished"), "\(done)")
        #expect(Date().timeIntervalSince(started) >= 3, "the planned run took under 3 s")
        #expect(!done.split(separator: "\n").last!.contains("steps/s"), "a stale rate after training stopped")
        // Restart, and finish at once.
        try t.send("r")
        _ = try t.waitFor { $0.contains("pace ×1") }
        try t.send("f")
        let finished = try t.waitFor(120) { $0.contains("finished") }
        #expect(finished.contains("finished"), "\(finished)")
        try t.send("q")
        #expect(Tmux.exitStatus(try t.waitFor { $0.contains("STTY") }) == 0)
    }

    /// The learner's session of `ShippedStepsTests.liveRunMeetingTheGoalIsNotEnough`
    /// (which runs it in-process every time) in the real binary: up to a few
    /// minutes of key presses, so only on request (`LongRuns`).
    @Test(.enabled(if: LongRuns.requested, "long: DECAY_TUTOR_LONG_TESTS=1; ShippedStepsTests replays it in-process"))
    func aGoalMetByTheLiveRunIsCheckedByAReplay() throws {
        try #require(Tmux.available)
        let t = try Tmux(width: 120, height: 40, arguments: ["overfitting:2"])
        defer { t.kill() }
        _ = try t.waitFor { $0.contains("λ = 0.01") }
        for _ in 0..<8 { try t.send("Right") }                   // λ = 1 on the 1-2-3-5 ladder
        _ = try t.waitFor { $0.contains("λ = 1 ") }
        var screen = ""
        // Each move away and back gives the live run another 400 steps at λ = 1,
        // until it meets the threshold and the replay answers.
        for _ in 0..<25 where !screen.contains("but a fresh run") {
            try t.send("Right", "Left", "f")
            screen = try t.waitFor(4) { $0.contains("but a fresh run") }
        }
        let left = screen.split(separator: "\n").map { String($0.prefix(48)).trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(left.contains("The live run met it, but a fresh run at λ = 1 reaches val_loss = 6.07 at step 400"), "\(screen)")
        #expect(!screen.contains("Goal met"))
        #expect(left.contains("Hint:"))
        try t.send("Right")                                       // λ = 2: the replay passes
        try t.send("f")
        let met = try t.waitFor(60) { $0.contains("Goal met") }
        let metLeft = met.split(separator: "\n").map { String($0.prefix(48)).trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(metLeft.contains("Goal met at λ = 2: a fresh run reaches val_loss = 2.43 at step 400"), "\(met)")
        try t.send("q")
    }

    @Test func withoutColourTheLegendStillTellsRunsApart() throws {
        try #require(Tmux.available)
        let t = try Tmux(width: 120, height: 40, arguments: ["overfitting:1"], environment: ["NO_COLOR": "1"])
        defer { t.kill() }
        let screen = try t.waitFor { $0.contains("⠤⠤■") }
        #expect(screen.contains("⠤⠤● λ = 0") && screen.contains("⠤⠤■ λ = 3"), "\(screen)")
        #expect(screen.contains("⠤⠤⠤ train") && screen.contains("⠤ ⠤ validation"), "\(screen)")
        try t.send("q")
    }

    @Test(arguments: [["LANG": "C", "LC_ALL": "C"], ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "ASCII": "1"]])
    func aPlainTerminalGetsEveryWordInAscii(environment: [String: String]) throws {
        try #require(Tmux.available)
        var env = environment
        let ascii = env.removeValue(forKey: "ASCII") != nil
        let t = try Tmux(width: 120, height: 40, arguments: ["overfitting:2"] + (ascii ? ["--ascii"] : []), environment: env)
        defer { t.kill() }
        let screen = try t.waitFor { $0.contains("lambda = 0.01") }
        #expect(screen.contains("Overfitting and the lambda knob"), "\(screen)")
        #expect(screen.contains("Find a lambda that generalizes"), "\(screen)")
        #expect(screen.contains("|weights|"), "\(screen)")
        #expect(screen.utf8.allSatisfy { $0 < 0x80 }, "\(screen)")
        try t.send("q")
    }
}
