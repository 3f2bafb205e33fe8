import Foundation
import Testing
import DecayInspect
import TerminalUI
@testable import DecayCLI

/// The README's troubleshooting table and the statuses the code uses are
/// one list: a status added to one and not the other fails here.
@Suite struct ExitStatusTableTests {
    /// The first column of the table under "## Troubleshooting".
    static func readmeStatuses() throws -> [String] {
        let readme = try String(contentsOf: CommandRun.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "\n## Troubleshooting\n").dropFirst().first)
            .components(separatedBy: "\n## ").first ?? ""
        return section.split(separator: "\n")
            .filter { $0.hasPrefix("| ") && !$0.hasPrefix("| Status") }
            .compactMap { $0.split(separator: "|").first?.trimmingCharacters(in: .whitespaces) }
    }

    @Test func theReadmeListsEveryStatusTheCodeUses() throws {
        let listed = try Self.readmeStatuses()
        let numbers = Set(listed.compactMap { Int32($0) })
        #expect(numbers == Set(ExitStatus.all), "README lists \(listed)")
        #expect(listed.contains("128+N"), "deaths by signal are not listed: \(listed)")
        // The other places a status comes from are in the list too.
        for kind in [InspectError.Kind.usage, .data, .noInput] {
            #expect(ExitStatus.all.contains(kind.rawValue), "inspect's \(kind) exits \(kind.rawValue)")
        }
        #expect(ExitStatus.all.contains(TerminalStartError.noTerminalType.exitStatus))
    }

    @Test func theHelpListsTheSameStatuses() throws {
        let help = DecayTutor.configuration.discussion
        for status in ExitStatus.all where status != 0 {
            #expect(help.contains("; \(status) ") || help.contains(": \(status) "), "--help does not mention \(status)")
        }
        #expect(help.contains("128+N"))
    }
}
