import Testing
import DecayEngine
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

/// A terminal whose learner types what `script` says (nil: nothing within
/// the wait), then quits: it counts what the loop draws in between.
private final class IdleBackend: Backend {
    let screen: MemoryBackend
    var script: [Key?]
    /// Runs as the learner presses q (the app still as the last pass left it).
    var beforeQuit: () -> Void = {}
    private(set) var gridsDrawn = 0

    init(width: Int, height: Int, script: [Key?]) {
        screen = MemoryBackend(width: width, height: height)
        self.script = script
    }

    var size: TerminalSize { screen.size }
    var capabilities: TerminalCapabilities { screen.capabilities }
    func draw(_ grid: CellGrid) {
        gridsDrawn += 1
        screen.draw(grid)
    }
    func readKey(timeoutMs: Int) -> Key? {
        if script.isEmpty {
            beforeQuit()
            return .char("q")
        }
        return script.removeFirst()
    }
}

@Suite struct IdleFrameTests {
    /// A step whose training has finished and whose rate has fallen to 0:
    /// nothing on screen can change until a key, so the idle loop renders
    /// and draws nothing (it only waits for keys).
    @Test func aFrameThatChangesNothingIsNotDrawn() throws {
        let a = testApp(try demoLibrary())
        a.open(lesson: 0, step: 0)
        for _ in 0..<200 where a.session?.canTrain == true { a.tick() }
        #expect(a.session?.canTrain == false, "the demo step never finished training")
        for _ in 0..<40 { a.tick() }                         // the rate window empties (2 s of the test clock)
        let backend = IdleBackend(width: 120, height: 40, script: Array(repeating: nil, count: 50))
        try a.loop(on: backend)
        #expect(backend.gridsDrawn == 1, "\(backend.gridsDrawn) frames drawn by an idle loop")
        #expect(backend.screen.screen.lines().joined().contains("Demo lesson"))
    }

    /// While training runs the loop keeps drawing, and the skip never
    /// leaves a stale screen: what the terminal shows at the end is the
    /// frame of the state the loop ended in.
    @Test func aTrainingStepKeepsTheScreenCurrent() throws {
        let a = testApp(try demoLibrary())
        a.open(lesson: 0, step: 0)
        let backend = IdleBackend(width: 120, height: 40, script: Array(repeating: nil, count: 30))
        let before = a.session?.experiment.step ?? 0
        var trained = 0
        var expected: [String] = []
        backend.beforeQuit = {
            trained = (a.session?.experiment.step ?? 0) - before
            expected = a.frame().lines()
        }
        try a.loop(on: backend)
        #expect(trained > 0)
        #expect(backend.gridsDrawn > 2, "only \(backend.gridsDrawn) frames while training")
        #expect(backend.screen.screen.lines() == expected)
    }

    /// A key always redraws, even one that changes nothing the key tracks
    /// (the pace is not in it).
    @Test func aKeyRedrawsAnIdleStep() throws {
        let a = testApp(try demoLibrary())
        a.open(lesson: 0, step: 0)
        for _ in 0..<200 where a.session?.canTrain == true { a.tick() }
        for _ in 0..<40 { a.tick() }
        let backend = IdleBackend(width: 120, height: 40, script: [nil, nil, .char("+"), nil, nil])
        try a.loop(on: backend)
        #expect(backend.gridsDrawn == 2, "\(backend.gridsDrawn) frames: the first and the key's")
    }
}
