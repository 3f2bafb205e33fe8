import Foundation
import Testing
import DecayEngine
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

/// One training per shipped step, shared by every test that looks at a
/// shipped step's screen: the step opened as the tutor opens it and trained
/// with paced frames (on the test clock) until every run has measured its
/// validation loss, then its background sweep stopped. Tests draw the step
/// at their own size, glyphs and colours from this one training, so no step
/// is trained twice however many screens look at it.
final class ShippedTrainings: @unchecked Sendable {
    struct Trained {
        /// The tutor's state with the step open, as the training left it.
        let state: TutorState
        let training: TrainingSnapshot
    }

    static let shared = ShippedTrainings()

    private final class Entry: @unchecked Sendable {
        let lock = NSLock()
        var trained: Trained?
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]

    /// The step's training, done by the first test that asks (the others
    /// asking for the same step meanwhile wait for it).
    func trained(lesson l: Int, step s: Int) -> Trained {
        let entry = lock.withLock {
            if let e = entries["\(l):\(s)"] { return e }
            let e = Entry()
            entries["\(l):\(s)"] = e
            return e
        }
        return entry.lock.withLock {
            if let t = entry.trained { return t }
            let t = Self.train(lesson: l, step: s)
            entry.trained = t
            return t
        }
    }

    private static func train(lesson l: Int, step s: Int) -> Trained {
        let a = testApp(shippedLibrary, width: 120, height: 40)
        a.open(lesson: l, step: s)
        let session = a.session!
        for _ in 0..<400 {
            a.tick()
            if session.experiment.runs.allSatisfy({ $0.history.contains { $0[.validationLoss] != nil } }) { break }
        }
        session.sweep?.cancel()
        return Trained(state: a.state, training: session.snapshot())
    }
}

/// A shipped step's screen at one size, in Unicode or ASCII, in colour or
/// not, drawn from the step's shared training. Keys go through `update` as
/// the tutor's would; only keys that change the view (`c`, `j`, …) belong
/// here, since the training does not move.
struct ShippedScreen {
    private(set) var state: TutorState
    let training: TrainingSnapshot
    private let prose = ProseCache()

    init(lesson l: Int, step s: Int, width: Int, height: Int, unicode: Bool = true, colors: Int = 8) {
        let trained = ShippedTrainings.shared.trained(lesson: l, step: s)
        state = trained.state
        training = trained.training
        _ = state.update(.resized(TerminalSize(width: width, height: height)))
        state.unicode = unicode
        state.colors = colors
    }

    /// The screen of the catalogued step `lesson:step` (1-based step).
    init(_ lesson: String, _ step: Int, width: Int, height: Int, unicode: Bool = true, colors: Int = 8) throws {
        guard let l = shippedLibrary.lessons.firstIndex(where: { $0.id == lesson }) else {
            throw ShippedStepMissing(lesson: lesson)
        }
        self.init(lesson: l, step: step - 1, width: width, height: height, unicode: unicode, colors: colors)
    }

    struct ShippedStepMissing: Error { var lesson: String }

    mutating func press(_ key: Key) {
        let commands = state.update(.key(key))
        #expect(commands.isEmpty, "\(key) would change the training: \(commands)")
    }

    func frame() -> CellGrid { View.render(state, training: training, prose: prose) }

    /// Answers the step's question with the choice shown at `shown` (from 0),
    /// as the digit key would; the progress it saves is the test's own.
    mutating func answer(_ shown: Int) {
        _ = state.update(.key(.char(Character("\(shown + 1)"))))
    }

    /// Every frame over `presses` presses of `key`, joined.
    mutating func text(pressing key: Key, _ presses: Int) -> String {
        var text = ""
        for _ in 0..<presses {
            text += frame().lines().joined(separator: "\n") + "\n"
            press(key)
        }
        return text
    }
}
