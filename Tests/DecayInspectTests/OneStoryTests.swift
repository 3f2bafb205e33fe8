import DecayLessons
import Foundation
import Testing
@testable import DecayInspect

/// One story for pretrained models, held where the course tells it: the
/// verdicts `inspect` gives, the cheatsheet (each lesson's key points and
/// snippet captions, which `decay-tutor cheatsheet` prints), and the
/// lessons' snippets. None may advise raising λ toward zero on a pretrained
/// model; an Axolotl snippet that fine-tunes keeps λ in the usual range.
///
/// Each place the story is told is an `Advice` source: the verdicts, the
/// cheatsheet, and the lessons' step prose, goals and answers.
@Suite struct OneStoryTests {
    struct Advice {
        var place: String
        var text: String
    }

    static let lessons: [Lesson] = {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lessons").path
        return LessonLibrary.load(directory: directory).lessons
    }()

    /// Every place the story is told, as text.
    static var sources: [Advice] { verdicts() + cheatsheet() + prose(lessons) }

    /// The lessons themselves: every step's prose, each goal's prompt and
    /// hint, and each question's right answers and every explanation (a wrong
    /// answer's text is wrong advice on purpose; its explanation is not).
    static func prose(_ lessons: [Lesson]) -> [Advice] {
        lessons.flatMap { lesson in
            lesson.steps.enumerated().flatMap { i, step -> [Advice] in
                let place = "\(lesson.file) step \(i + 1)"
                var out = [Advice(place: "\(place) prose", text: Lesson.split(step.prose).prose)]
                if let goal = step.goal {
                    out.append(Advice(place: "\(place) goal", text: goal.prompt + "\n\n" + (goal.hint ?? "")))
                    if case let .question(q) = goal {
                        out += q.choices.map { c in
                            Advice(place: "\(place) choice", text: (c.correct ? c.text + "\n\n" : "") + c.explain)
                        }
                    }
                }
                return out
            }
        }
    }

    /// `inspect`'s verdicts on fine-tunes: full and adapters, weak to
    /// erasing, the seeds' LoRA run and the closing recipe's λ among them.
    static func verdicts() -> [Advice] {
        var out: [Advice] = []
        for kind in [RunKind.fullFineTune, .adapter] {
            for (lr, lambda, epochs) in [(2e-4, 0.01, 3.0), (5e-5, 0.0, 3), (3e-4, 0.67, 20), (3e-3, 1, 40), (1e-3, 0.1, 1)] {
                guard let summary = try? VerdictTests.summary(lr: lr, lambda: lambda, epochs: epochs, examples: 800, batch: 16) else { continue }
                let verdict = Verdict(summary: summary, runKind: kind, adapter: kind == .adapter ? AdapterSettings(kind: "lora", rank: 16, alpha: 32) : nil)
                out.append(Advice(place: "verdict \(kind.rawValue) lr \(lr) λ \(lambda) \(epochs) epochs", text: verdict.message))
            }
        }
        return out
    }

    /// The cheatsheet's text: each lesson's key points and snippet captions.
    static func cheatsheet() -> [Advice] {
        lessons.flatMap { lesson in
            lesson.keyPoints.map { Advice(place: "\(lesson.file) key point", text: $0) }
                + lesson.snippets.map { Advice(place: "\(lesson.file):\($0.line) caption", text: $0.caption + "\n" + $0.code) }
        }
    }

    @Test func theLessonsAreRead() {
        #expect(Self.lessons.count >= 9)
        #expect(Self.cheatsheet().count > 30)
        #expect(Self.prose(Self.lessons).count > 100)
    }

    /// A recommendation slipped into a lesson's prose, a goal's hint or a
    /// right answer is caught; the same words as a wrong answer are not
    /// advice and pass.
    @Test func theProseIsHeldToTheStory() throws {
        let bad = "For a pretrained model that overfits, raise λ until τ fits the run."
        var lesson = try #require(Self.lessons.first { $0.id == "fine-tuning" })
        lesson.steps[1].prose += "\n\n" + bad
        #expect(Self.prose([lesson]).contains { !FineTuneAdvice.contradictions(in: $0.text).isEmpty })
        var hinted = try #require(Self.lessons.first { $0.id == "fine-tuning" })
        if case var .threshold(t)? = hinted.steps[3].goal {
            t.hint = bad
            hinted.steps[3].goal = .threshold(t)
        }
        #expect(Self.prose([hinted]).contains { !FineTuneAdvice.contradictions(in: $0.text).isEmpty })
        var quiz = try #require(Self.lessons.first { $0.id == "final-quiz" })
        let last = quiz.steps.count - 1
        if case var .question(q)? = quiz.steps[last].goal {
            q.choices[1].text = bad            // a wrong answer may say it
            q.choices[1].explain = "Toward zero the pull erases the pretrained weights too."
            quiz.steps[last].goal = .question(q)
        }
        #expect(Self.prose([quiz]).allSatisfy { FineTuneAdvice.contradictions(in: $0.text).isEmpty })
    }

    @Test func nothingAdvisesRaisingLambdaOnAPretrainedModel() {
        for advice in Self.sources {
            let bad = FineTuneAdvice.contradictions(in: advice.text)
            #expect(bad.isEmpty, "\(advice.place): \(bad)")
        }
    }

    /// The rule finds the advice it is there to find, and lets the warning against it pass.
    @Test func theRuleCatchesTheAdviceItForbids() {
        #expect(!FineTuneAdvice.contradictions(in: "For your LoRA fine-tune, raise λ until τ fits the run.").isEmpty)
        #expect(!FineTuneAdvice.contradictions(in: "Fine-tuning the pretrained model: λ = 200 puts τ at one epoch.").isEmpty)
        #expect(FineTuneAdvice.contradictions(in: "Do not raise λ on a pretrained model; stop early instead.").isEmpty)
        #expect(FineTuneAdvice.contradictions(in: "Training from scratch, λ = 0.67 puts τ at five epochs.").isEmpty)
    }

    /// Axolotl snippets, read by inspect's own reader: one that fine-tunes a
    /// pretrained model keeps weight_decay in the usual range; one that sets
    /// λ from τ trains from scratch (reinit_weights).
    @Test func axolotlSnippetsFollowTheStory() throws {
        let scratch = try ScratchFolder()
        var read = 0
        for lesson in Self.lessons {
            for snippet in lesson.snippets where snippet.library == .axolotl {
                let place = "\(lesson.file):\(snippet.line)"
                let config = try TrainingConfig.load(path: scratch.write("\(lesson.id)-\(snippet.line).yml", snippet.code))
                read += 1
                guard let kind = config.runKindHint?.kind, kind != .fromScratch else { continue }
                #expect(config.weightDecay <= FineTuneAdvice.usualMaximum,
                        "\(place): a \(kind.title) with weight_decay \(config.weightDecay), above the usual \(FineTuneAdvice.usualMaximum)")
            }
        }
        #expect(read >= 9)
    }

    /// The usual range the verdict states is the one the cheatsheet states.
    @Test func theVerdictAndTheCheatsheetStateTheSameRange() {
        #expect(Verdict.fineTuneAdvice.contains("0.0–0.1"))
        #expect(FineTuneAdvice.usualMaximum == 0.1)
        let fineTuning = Self.lessons.first { $0.id == "fine-tuning" }
        #expect(fineTuning?.keyPoints.contains { $0.contains("0.0–0.1") } == true, "lesson 9's key points state the usual range")
    }
}
