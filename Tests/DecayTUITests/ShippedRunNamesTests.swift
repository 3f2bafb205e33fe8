import Foundation
import Testing
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

/// Every shipped step as a learner sees it, at 120×40 and 80×24, in Unicode
/// and ASCII: the run names the numbers panel, the legends and the end
/// labels show are never two the same and never cut a number.
@Suite struct ShippedRunNamesTests {
    /// The numbers written in `text`: digits with a decimal point or an
    /// exponent inside ("0.05", "3e-3", "2000").
    static func numbers(_ text: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "[0-9]+(\\.[0-9]+)?(e-?[0-9]+)?")
        let ns = text as NSString
        return pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
    }

    /// What is wrong with `shown` as a rendition of `full`: a number that is
    /// not one of `full`'s whole numbers (a cut one — "20" of "2000" — or a
    /// value that ran into the name), or nil.
    static func problem(shown: String, full: String) -> String? {
        let whole = Set(numbers(full))
        for n in numbers(shown) where !whole.contains(n) {
            return whole.contains { $0.hasPrefix(n) } ? "\"\(shown)\" cuts a number of \"\(full)\"" : "\"\(shown)\" shows \(n), not in \"\(full)\""
        }
        return nil
    }

    /// The numbers panel's rows read off a screen: where run 0's marker is
    /// followed by a space, with each later run's marker below it in the same
    /// column (a spread row may sit between), the text after each marker up
    /// to two spaces is that run's name as shown, and the text of a spread
    /// row in that column is its label. Empty when the screen has no panel.
    static func panelRows(_ lines: [[Character]], markers: [Character], banded: [Bool]) -> [(run: Int, spread: Bool, text: String)] {
        func text(_ line: [Character], from x: Int) -> String {
            var out = "", i = x
            while i < line.count, !(line[i] == " " && i + 1 < line.count && line[i + 1] == " ") { out.append(line[i]); i += 1 }
            return out.trimmingCharacters(in: .whitespaces)
        }
        for (y, line) in lines.enumerated() {
            for x in line.indices where line[x] == markers[0] && x + 1 < line.count && line[x + 1] == " " && (x == 0 || line[x - 1] == " ") {
                var rows: [(run: Int, spread: Bool, text: String)] = []
                var row = y
                for run in markers.indices {
                    guard row < lines.count, x + 1 < lines[row].count, lines[row][x] == markers[run], lines[row][x + 1] == " " else { break }
                    rows.append((run, false, text(lines[row], from: x + 2)))
                    row += 1
                    if banded[run], row < lines.count, x + 2 < lines[row].count {
                        rows.append((run, true, text(lines[row], from: x + 2)))
                        row += 1
                    }
                }
                if rows.filter({ !$0.spread }).count == markers.count { return rows }
            }
        }
        return []
    }

    @Test(arguments: [(120, 40, true), (80, 24, true), (120, 40, false), (80, 24, false)])
    func theNumbersPanelNeverCutsANumberNorShowsTwoRowsTheSame(width: Int, height: Int, unicode: Bool) throws {
        var seen = 0
        for (l, s) in shippedSteps {
            var screen = ShippedScreen(lesson: l, step: s, width: width, height: height, unicode: unicode, colors: 0)
            let training = screen.training
            guard !training.runs.isEmpty else { continue }
            let theme = Theme(screen.state)
            let place = "lesson \(l + 1) step \(s + 1) at \(width)×\(height)\(unicode ? "" : ", ASCII")"
            // The panel is under the charts when wide, and one of the panels `c` steps through when not.
            let presses = training.panels(charts: screen.state.step!.charts).count + 1
            var rows: [(run: Int, spread: Bool, text: String)] = []
            for _ in 0..<presses where rows.isEmpty {
                let lines = screen.frame().lines().map(Array.init)
                rows = Self.panelRows(lines, markers: training.runs.indices.map(theme.runMarker), banded: training.runs.map(\.isBanded))
                screen.press(.char("c"))
            }
            try #require(!rows.isEmpty, "\(place): no numbers panel found")
            seen += 1
            let dash = unicode ? "–" : "-"
            for row in rows {
                let run = training.runs[row.run]
                let full = row.spread ? "min\(dash)max, \(run.seedCount) seeds"
                    : theme.text(run.isBanded ? "\(run.name), median" : run.name)
                let problem = Self.problem(shown: row.text, full: full)
                #expect(problem == nil, "\(place): \(problem ?? "")")
            }
            let names = rows.filter { !$0.spread }
            for a in names.indices {
                for b in names.indices where b > a && training.runs[names[a].run].name != training.runs[names[b].run].name {
                    #expect(names[a].text != names[b].text, "\(place): two rows read \"\(names[a].text)\"")
                }
            }
        }
        #expect(seen >= 30)
    }

    /// The chart legends and the names written where each run's line ends:
    /// at the widths a chart has at 80×24 (half the screen) and 120×40, no
    /// legend label is wider than a legend row, and no label cuts a number
    /// or reads as another run's.
    @Test(arguments: [true, false])
    func legendsAndEndLabelsNeverCutANumberNorShowTwoRunsTheSame(unicode: Bool) throws {
        for (l, s) in shippedSteps {
            let screen = ShippedScreen(lesson: l, step: s, width: 120, height: 40, unicode: unicode, colors: 0)
            let view = StepView(state: screen.state, training: screen.training, theme: Theme(screen.state))
            let place = "lesson \(l + 1) step \(s + 1)\(unicode ? "" : ", ASCII")"
            let names = screen.training.runs.map { view.theme.text($0.name) }
            let ends = screen.training.runs.map { view.endLabel($0.name) }
            Self.expectApart(ends, from: names, width: 10, place + ", end labels")
            for chart in screen.state.step!.charts {
                guard case let .metrics(definition) = chart.plot else { continue }
                // Unfitted, the labels are the names in full.
                let full = view.lineChart(definition, width: 100_000).series.map(\.label)
                for width in [39, 70] {
                    let shown = view.lineChart(definition, width: width).series.map(\.label)
                    let labelled = full.indices.filter { !full[$0].isEmpty }
                    Self.expectApart(labelled.map { shown[$0] }, from: labelled.map { full[$0] }, width: width - 4,
                                     "\(place), \(definition.title) legend at width \(width)")
                }
            }
        }
    }

    /// `shown` (each a rendition of `full`) fit `width`, cut no number and
    /// keep different names apart.
    static func expectApart(_ shown: [String], from full: [String], width: Int, _ place: String) {
        for (s, f) in zip(shown, full) {
            #expect(CharacterWidth.of(s) <= width, "\(place): \"\(s)\" is wider than \(width)")
            let problem = Self.problem(shown: s, full: f)
            #expect(problem == nil, "\(place): \(problem ?? "")")
        }
        for a in shown.indices {
            for b in shown.indices where b > a && full[a] != full[b] {
                #expect(shown[a] != shown[b], "\(place): \"\(full[a])\" and \"\(full[b])\" both read \"\(shown[a])\"")
            }
        }
    }
}
