import Testing
import Foundation
import DecayEngine
import DecayLessons
import ClaimCatalog
@testable import TerminalUI
@testable import DecayTUI

/// Every claim the curriculum's tests check is on its step's screen: the
/// fields `ClaimCatalog` names for it are drawn, at 120×40 and 80×24 (and in
/// ASCII at 80×24), once the runs have trained far enough to have numbers
/// (the step's one shared training, `ShippedTrainings`), paging through the
/// panels with `c` as a learner would.
@Suite struct ClaimsOnScreenTests {
    struct Screen: CustomStringConvertible {
        let width: Int, height: Int, unicode: Bool
        var description: String { "\(width)×\(height)\(unicode ? "" : " --ascii")" }
    }

    static let screens = [Screen(width: 120, height: 40, unicode: true), Screen(width: 80, height: 24, unicode: true),
                          Screen(width: 80, height: 24, unicode: false)]

    /// The catalogued steps, each once with all fields of all its claims.
    static var steps: [(lesson: String, step: Int, fields: [ScreenField])] {
        var out: [(String, Int, [ScreenField])] = []
        for claim in ClaimCatalog.entries {
            if let i = out.firstIndex(where: { $0.0 == claim.lesson && $0.1 == claim.step }) {
                out[i].2 += claim.fields.filter { !out[i].2.contains($0) }
            } else {
                out.append((claim.lesson, claim.step, claim.fields))
            }
        }
        return out
    }

    /// Everything the step's screen showed over a round of `c` presses, drawn
    /// from the step's shared training (trained until every run has a
    /// validation loss), and the screen.
    static func screenText(_ lesson: String, _ step: Int, on screen: Screen) throws -> (String, ShippedScreen) {
        var shown = try ShippedScreen(lesson, step, width: screen.width, height: screen.height, unicode: screen.unicode, colors: 0)
        return (shown.text(pressing: .char("c"), 6), shown)
    }

    static func label(_ field: ScreenField, _ training: TrainingSnapshot) -> String {
        switch field {
        case let .chart(name): Chart(rawValue: name).map(ClaimFieldsTests.title) ?? "no chart \(name)"
        case let .column(head): head
        case let .run(name): name
        case .sweep: "final \(training.sweep?.metric.label ?? "(no sweep)")"
        case let .text(words): words
        }
    }

    @Test(arguments: steps.indices)
    func everyCataloguedFieldIsOnItsStepsScreen(index: Int) throws {
        let (lesson, step, fields) = Self.steps[index]
        for screen in Self.screens {
            let (text, shown) = try Self.screenText(lesson, step, on: screen)
            let training = shown.training
            let theme = Theme(shown.state)
            for field in fields {
                let label = theme.text(Self.label(field, training))
                #expect(text.contains(label), "\(lesson):\(step) at \(screen): no \(field) (\(label))")
                guard case .column = field else { continue }
                let columns = NumbersPanel(state: shown.state, training: training, theme: theme).columns()
                guard let column = columns.first(where: { $0.head.contains(label) }) else {
                    Issue.record("\(lesson):\(step) at \(screen): no numbers column \(label)"); continue
                }
                let panel = NumbersPanel(state: shown.state, training: training, theme: theme)
                for run in training.runs {
                    let value = column.value(run.entries, smoothed: panel.view.smoothed)
                    #expect(value != nil, "\(lesson):\(step) at \(screen): \(run.name) has no \(label) yet")
                }
            }
        }
    }

    /// The check fails when a label is missing: a field the step does not
    /// show is reported.
    @Test func aFieldTheStepDoesNotShowIsNotFound() throws {
        let (text, shown) = try Self.screenText("overfitting", 1, on: Self.screens[1])
        #expect(!text.contains(Self.label(.chart("rows"), shown.training)))
        #expect(!text.contains(Self.label(.run("no such run"), shown.training)))
        #expect(text.contains(Self.label(.chart("norms"), shown.training)))
    }
}
