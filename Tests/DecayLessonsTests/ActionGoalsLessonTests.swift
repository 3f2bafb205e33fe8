import Testing
import BuildMode
import DecayEngine
@testable import DecayLessons

/// Every lesson from 1 to 9 has a step whose goal the learner meets by
/// setting something (λ, the groups to decay, dropout), and that goal fails
/// at the obvious wrong settings on both sides. Checked with the replay that
/// confirms a goal in the tutor and in `decay-tutor run --goal`
/// (`GoalCheck`), on the shipped step at its own seed: the settings its
/// prose and hint name as meeting it do, the ones they name as missing miss.
@Suite struct ActionGoalsLessonTests {
    static let optimizedOnly = "fresh replays of shipped steps (up to 2000 steps each): optimized builds, once"

    struct Replay {
        var file: String
        var step: Int
        var meets: [StepSettings]
        var misses: [StepSettings]
    }

    static func lambda(_ v: Float) -> StepSettings { StepSettings(lambda: v) }

    static let replays: [String: Replay] = [
        "overfitting": Replay(file: "01-overfitting.md", step: 1, meets: [2, 3, 5].map(lambda),
                              misses: [0.3, 1, 10, 30].map(lambda)),
        "l2": Replay(file: "02-l2-vs-decoupled-sgd.md", step: 2, meets: [lambda(0.1)], misses: [0.01, 0.05, 0.2].map(lambda)),
        "adam": Replay(file: "03-adam-l2-vs-adamw.md", step: 1, meets: [2, 3].map(lambda), misses: [0.01, 1, 5].map(lambda)),
        "dropout": Replay(file: "04-dropout-vs-decay.md", step: 1, meets: [StepSettings(lambda: 0.3, dropout: 0.2)],
                          misses: [(1, 0), (0, 0.5), (0.1, 0.3), (1, 0.2), (0.3, 0.5), (0.3, 0.1), (0.2, 0.2), (0.5, 0.2)]
                              .map { StepSettings(lambda: $0.0, dropout: $0.1) }),
        "groups": Replay(file: "05-what-to-decay.md", step: 3,
                         meets: [[.weights, .biases, .embeddings], [.weights, .embeddings]].map { StepSettings(decayedGroups: Set($0)) },
                         misses: [[.weights, .biases], [.biases, .embeddings], [.embeddings], []].map { StepSettings(decayedGroups: Set($0)) }),
        "tuning": Replay(file: "06-tuning-lambda.md", step: 0, meets: [0.5, 1].map(lambda), misses: [0.3, 2].map(lambda)),
        "schedules": Replay(file: "07-decay-and-schedules.md", step: 4, meets: [lambda(0.5)], misses: [0.01, 0.3, 1].map(lambda)),
        "timescale": Replay(file: "08-timescale.md", step: 1, meets: [lambda(0.5)], misses: [0.05, 0.3, 1].map(lambda)),
        "fine-tuning": Replay(file: "09-fine-tuning.md", step: 3, meets: [1, 2, 3, 5].map(lambda), misses: [0.01, 0.5, 10].map(lambda)),
    ]

    /// Lessons 1–9 each have one; the steps above are they.
    @Test func everyLessonHasAGoalThatSetsSomething() throws {
        let shipped = LessonLibrary.load(directory: lessonsDirectory).lessons
        for lesson in shipped.prefix(9) {
            let acting = lesson.steps.filter { step in
                if case .threshold? = step.goal { return !step.controls.isEmpty } else { return false }
            }
            #expect(!acting.isEmpty, "lesson \(lesson.id) has no goal that needs a setting")
        }
        for (name, r) in Self.replays {
            let step = try load(r.file).steps[r.step]
            guard case .threshold? = step.goal else { Issue.record("\(name): not a threshold goal"); continue }
            #expect(!r.meets.isEmpty && r.misses.count >= 2, "\(name)")
        }
    }

    func check(_ name: String) throws {
        let r = try #require(Self.replays[name])
        let step = try load(r.file).steps[r.step]
        for s in r.meets {
            let outcome = try #require(GoalCheck.replay(step: step, settings: s))
            #expect(outcome.isMet, "\(name): \(s) should meet the goal: \(outcome)")
        }
        for s in r.misses {
            let outcome = try #require(GoalCheck.replay(step: step, settings: s))
            #expect(!outcome.isMet, "\(name): \(s) should miss the goal: \(outcome)")
        }
    }

    @Test(.optimizedOnly(Comment(rawValue: optimizedOnly))) func overfittingBand() throws { try check("overfitting") }
    @Test(.optimizedOnly(Comment(rawValue: optimizedOnly))) func decoupledUnderMomentum() throws { try check("l2") }
    @Test(.optimizedOnly(Comment(rawValue: optimizedOnly))) func adamwNeedsItsOwnLambda() throws { try check("adam") }
    @Test(.optimizedOnly(Comment(rawValue: optimizedOnly))) func bothAgainstTunedDecay() throws { try check("dropout") }
    @Test(.optimizedOnly(Comment(rawValue: optimizedOnly))) func groupsToDecay() throws { try check("groups") }
    @Test(.optimizedOnly(Comment(rawValue: optimizedOnly))) func bottomOfTheU() throws { try check("tuning") }
    @Test(.optimizedOnly(Comment(rawValue: optimizedOnly))) func paperLambdaAtAnotherLR() throws { try check("schedules") }
    @Test(.optimizedOnly(Comment(rawValue: optimizedOnly))) func timescaleAQuarterOfTheRun() throws { try check("timescale") }
    @Test(.optimizedOnly(Comment(rawValue: optimizedOnly))) func pullTowardThePretrainedWeights() throws { try check("fine-tuning") }
}
