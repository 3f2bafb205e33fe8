import Testing
import Foundation
@testable import DecayLessons

/// Mistakes whose errors used to point somewhere else: each must be one
/// error, at the line where the mistake is, short enough to read.
@Suite struct MisleadingErrorTests {
    /// The 1-based line of the first line of `text` equal to `line`.
    func lineNumber(of line: String, in text: String) -> Int {
        (text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == line } ?? -1) + 1
    }

    static let goal = "```goal\nkind = threshold\nmetric = val_loss\nbelow = 0.5\nprompt = \"Get below 0.5\"\n```\n"

    @Test func byteOrderMarkIsSkipped() throws {
        let text = step(minimalExperiment)
        let withMark = try parsed("\u{FEFF}" + text)
        #expect(withMark == (try parsed(text)))
        // Columns on the first lines count from after the mark.
        let badID = "\u{FEFF}---\nid: Bad Id\ntitle: T\n---\n## S\n"
        let e = errors(badID).first { $0.message.contains("lesson id") }
        #expect(e?.line == 2 && e?.column == 5, "\(errors(badID))")
    }

    @Test func unclosedProseFenceIsReportedWhereItOpens() {
        let text = step(minimalExperiment, extra: "\nSome code:\n\n```python\nx = 1\n\n" + Self.goal + "\nMore prose.\n")
        let e = errors(text)
        #expect(e.count == 1, "\(e)")
        #expect(e.first?.line == lineNumber(of: "```python", in: text))
        #expect(e.first?.message.contains("never closed") == true)
        #expect(e.first?.message.contains("line \(lineNumber(of: "```goal", in: text))") == true, "\(e)")
    }

    @Test func unclosedProseFenceDoesNotSwallowTheNextStep() {
        let text = step(minimalExperiment, extra: "\n```\nsample\n\n## Second\n\n```experiment\n" + minimalExperiment + "\n```\n")
        let e = errors(text)
        #expect(e.count == 1, "\(e)")
        // Lines 8–10 are the experiment, 11 its closing fence, 13 the bare fence.
        #expect(e.first?.line == 13, "\(e)")
        #expect(e.first?.message.contains("never closed") == true)
    }

    @Test func aLongerFenceStillQuotesABlockVerbatim() throws {
        // Showing a block inside a longer fence is legitimate prose.
        let text = step(minimalExperiment, extra: "\n````markdown\n" + Self.goal + "````\n")
        let lesson = try parsed(text)
        #expect(lesson.steps[0].goal == nil)
        #expect(lesson.steps[0].prose.contains("```goal"))
    }

    @Test func oneBadValueIsOneError() {
        let mlp = "data = moons\nmodel = mlp\nhidden = [16, 16x]\noptimizer = adamw\nlr = 0.003\ncharts = [loss, accuracy]"
        let e = errors(step(mlp))
        #expect(e.count == 1, "\(e)")
        #expect(e.first?.message.contains("`16x` is not a number") == true)
        let section = minimalExperiment + "\nlambda = 0.1\n[run \"a\"]\nlambda = 1\n[runn \"b\"]\nlambda = 1"
        let s = errors(step(section))
        #expect(s.count == 1, "\(s)")
        #expect(s.first?.message.contains("unknown section") == true)
        let goal = errors(step(minimalExperiment, extra: "\n```goal\nkind = threshold\nmetric = val_loss\nbelow = 0.5x\nprompt = \"p\"\n```\n"))
        #expect(goal.count == 1, "\(goal)")
    }

    @Test func aHugeFenceGivesAShortMessage() {
        let fence = String(repeating: "`", count: 100_000)
        let text = step(minimalExperiment, extra: "\n" + fence + "python\nx = 1\n```\n")
        let e = errors(text)
        #expect(!e.isEmpty)
        for error in e {
            #expect(error.description.count < 300, "\(error.description.prefix(300))…")
        }
        #expect(e.contains { $0.message.contains("100000") && $0.line == lineNumber(of: fence + "python", in: text) })
    }

    @Test func everyMessageIsAtMostALineLong() {
        var d = LessonDiagnostics(path: "t.md")
        d.error(1, "`" + String(repeating: "x", count: 5000) + "` is odd", suggestion: String(repeating: "y", count: 5000))
        let e = d.sorted[0]
        #expect(e.message.count <= LessonDiagnostics.maximumMessageLength + 1 && e.message.hasSuffix("…"))
        #expect((e.suggestion?.count ?? 0) <= LessonDiagnostics.maximumMessageLength + 1)
    }
}
