import Foundation
import XCTest

/// The measurement seam relies on the compiler to list every place a new
/// metric kind or chart must be handled: a `default:` in one of its
/// switches would let a new case compile and silently do nothing (as the
/// chart dispatch's `default: nil` once drew nothing for a new chart).
final class MetricSeamRuleTests: XCTestCase {
    static let seamFiles = [
        "DecayEngine/Measurement",
        "DecayLessons/Chart.swift",
        "DecayLessons/SeedStatistics.swift",
        "DecayTUI/App/NumbersColumn.swift",
        "DecayTUI/App/NumbersPanel.swift",
        "DecayTUI/App/StepView+Charts.swift",
        "DecayTUI/App/StepView+MetricChart.swift",
    ]

    func testTheMeasurementSeamHasNoDefaultCase() throws {
        let root = SourceSizeTests.sourcesFolder
        var files: [URL] = []
        for entry in Self.seamFiles {
            let url = root.appendingPathComponent(entry)
            if entry.hasSuffix(".swift") {
                files.append(url)
            } else {
                files += try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
                    .filter { $0.pathExtension == "swift" }
            }
        }
        XCTAssertGreaterThanOrEqual(files.count, 12, "the seam's files were not found")
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.trimmingCharacters(in: .whitespaces).hasPrefix("default:") {
                found.append("\(file.lastPathComponent):\(n + 1)")
            }
        }
        XCTAssertEqual(found, [], "name every case instead, so the compiler lists this switch for a new one")
    }
}
