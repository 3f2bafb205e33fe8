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
/// Each place the story is told is an `Advice` source; a new source (the
/// lessons' step prose, say) is one more function in `sources`.
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
    static var sources: [Advice] { verdicts() + cheatsheet() }

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
