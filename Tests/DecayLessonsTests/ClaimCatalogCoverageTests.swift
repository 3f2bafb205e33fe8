import Testing
import Foundation
import ClaimCatalog
@testable import DecayLessons

/// Every claim test names where a learner sees its claim (`ClaimCatalog`),
/// so a claim cannot be added without a place on screen, and a catalog line
/// cannot outlive its test. The screens themselves are checked by
/// `ClaimsOnScreenTests` in DecayTUITests.
@Suite struct ClaimCatalogCoverageTests {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// The files that hold claim tests.
    static func isClaimFile(_ name: String) -> Bool {
        guard name.hasSuffix(".swift") else { return false }
        return (name.hasPrefix("Lesson") && name.hasSuffix("ClaimsTests.swift"))
            || name.hasSuffix("LessonTests.swift")
            || ["FinalQuizTests.swift", "CurriculumClaimsTests.swift"].contains(name)
    }

    /// `Suite.function` for every `@Test` in a file (its suite is the
    /// `struct` that follows `@Suite`).
    static func testNames(in source: String) -> [String] {
        let lines = source.components(separatedBy: "\n")
        var suite = "?", pendingSuite = false, pendingTest = false, names: [String] = []
        for line in lines {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("@Suite") { pendingSuite = true }
            if pendingSuite, let name = Self.word(after: "struct ", in: t) { suite = name; pendingSuite = false }
            if t.hasPrefix("@Test") { pendingTest = true }
            if pendingTest, let name = Self.word(after: "func ", in: t) {
                names.append("\(suite).\(name)")
                pendingTest = false
            }
        }
        return names
    }

    static func word(after marker: String, in line: String) -> String? {
        guard let r = line.range(of: marker) else { return nil }
        let name = line[r.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? nil : String(name)
    }

    static func claimTests() throws -> [String] {
        let files = try FileManager.default.contentsOfDirectory(atPath: testsDirectory.path).filter(isClaimFile).sorted()
        return try files.flatMap { try testNames(in: String(contentsOf: testsDirectory.appendingPathComponent($0), encoding: .utf8)) }
    }

    @Test func theReaderFindsTestsAndTheirSuites() {
        let source = """
        @Suite struct SomeClaimsTests {
            @Test func plain() {}
            @Test(arguments: claimSeeds)
            func seeded(seed: UInt64) {}
            func helper() {}
        }
        """
        #expect(Self.testNames(in: source) == ["SomeClaimsTests.plain", "SomeClaimsTests.seeded"])
        #expect(Self.isClaimFile("Lesson9ClaimsTests.swift") && Self.isClaimFile("FineTuningLessonTests.swift"))
        #expect(!Self.isClaimFile("ParserTests.swift") && !Self.isClaimFile("ClaimSupport.swift"))
    }

    @Test func everyClaimTestSaysWhereItIsSeen() throws {
        let tests = try Self.claimTests()
        #expect(tests.count >= 30, "\(tests)")
        for test in tests {
            let placed = !ClaimCatalog.entries(for: test).isEmpty, excused = ClaimCatalog.offScreen[test] != nil
            #expect(placed != excused, "\(test): add it to Tests/ClaimCatalog/ClaimCatalog.swift (entries, or offScreen with a reason), not both")
        }
        let known = Set(tests)
        for name in Set(ClaimCatalog.entries.map(\.test)).union(ClaimCatalog.offScreen.keys) {
            #expect(known.contains(name), "the catalog names \(name), which is no claim test")
        }
    }

    /// Each entry's step exists, lists the charts it names, and has the runs
    /// it names (the screen test then checks the labels are drawn).
    @Test func everyEntryNamesARealStepItsChartsAndRuns() {
        let library = LessonLibrary.load(directory: lessonsDirectory)
        for claim in ClaimCatalog.entries {
            #expect(!claim.fields.isEmpty, "\(claim.test)")
            guard let lesson = library.lessons.first(where: { $0.id == claim.lesson }), lesson.steps.indices.contains(claim.step - 1) else {
                Issue.record("\(claim.test): no step \(claim.lesson):\(claim.step)"); continue
            }
            let step = lesson.steps[claim.step - 1]
            for field in claim.fields {
                switch field {
                case let .chart(name):
                    #expect(Chart(rawValue: name).map(step.charts.contains) == true, "\(claim.test): \(claim.lesson):\(claim.step) has no chart \(name)")
                case let .run(name):
                    #expect(step.spec.resolvedRuns.contains { $0.name == name }, "\(claim.test): \(claim.lesson):\(claim.step) has no run \(name)")
                case .sweep:
                    #expect(step.sweep != nil, "\(claim.test): \(claim.lesson):\(claim.step) has no sweep")
                case .column, .text:
                    break
                }
            }
        }
    }
}
