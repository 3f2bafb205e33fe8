import Foundation
import Testing

/// A long session at the keyboard: a key every 100 ms, cycling through the
/// controls, scrolling, pausing, stepping back and forth and restarting.
/// The tutor must keep answering, and its memory must stay flat after the
/// warm-up. 10 s by default; half an hour with DECAY_TUTOR_LONG_TESTS=1
/// (`LongRuns`).
@Suite(.serialized) struct SoakTests {
    static let keys = ["Right", "Left", "Right", "Down", "Up", "j", "k", "Space", "Space", "n", "p",
                       "g", "Left", "r", "c", "Tab", "BTab"]

    static func residentKilobytes(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
        }
        return nil
    }

    @Test func memoryStaysFlatAndKeysAreAlwaysAnswered() throws {
        try #require(Tmux.available)
        let seconds = LongRuns.soakSeconds
        let warmUp = min(15, seconds / 4)
        let t = try Tmux(width: 120, height: 40, arguments: ["overfitting:1"])
        defer { t.kill() }
        try t.waitFor { $0.contains("steps/s") }
        let pid = try #require(try t.tutorPID())

        let start = Date()
        var baseline: Int?
        var peak = 0
        var samples: [Int] = []
        var i = 0
        while Date().timeIntervalSince(start) < seconds {
            try t.send(Self.keys[i % Self.keys.count])
            i += 1
            Thread.sleep(forTimeInterval: 0.1)
            if i % 20 == 0 {
                let rss = try #require(Self.residentKilobytes(pid), "the tutor is gone")
                samples.append(rss)
                if Date().timeIntervalSince(start) >= warmUp {
                    if baseline == nil { baseline = rss }
                    peak = max(peak, rss)
                }
                // Answering: the help overlay opens and closes on demand.
                try t.send("?")
                let help = try t.waitFor(2) { $0.contains("Keys") && $0.contains("pause / resume") }
                #expect(help.contains("Keys"), "no answer to ?:\n\(help)")
                try t.send("Escape")
                let closed = try t.waitFor(2) { !$0.contains("pause / resume") }
                #expect(!closed.contains("pause / resume"), "help did not close:\n\(closed)")
                #expect(closed.contains("q quit") || closed.contains("? help"), "no status bar:\n\(closed)")
            }
        }
        let base = try #require(baseline)
        let growth = peak - base
        print("soak: \(i) keys in \(Int(seconds)) s; RSS after warm-up \(base) kB, peak \(peak) kB, growth \(growth) kB; samples \(samples)")
        #expect(growth <= 5 * 1024, "memory grew by \(growth) kB after warm-up")
        try t.send("q")
        let after = try t.waitFor { $0.contains("STTY") }
        #expect(Tmux.exitStatus(after) == 0, "\(after)")
    }
}
