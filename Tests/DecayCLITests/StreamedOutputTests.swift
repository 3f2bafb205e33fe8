import Foundation
import Testing

/// `run`'s CSV and JSON reach standard output in pieces of about 64 KB as
/// they are made, never as one text of every run's every step (which, for
/// a thousand runs of 10,000 steps, passed a GB before the first byte was
/// written). Were the report built whole first, there would be one write
/// of all its bytes.
@Suite struct StreamedOutputTests {
    static let piece = 1 << 16

    @Test(arguments: ["csv", "json"])
    func runWritesItsHistoryInPiecesAsItIsMade(format: String) throws {
        let r = try CommandRun(["run", "overfitting:1", "--steps", "1000", "--format", format])
        #expect(r.status == 0, "\(r.stderr)")
        let total = r.stdout.utf8.count
        #expect(total > 2 * Self.piece, "the output is long enough to need several pieces")
        // Each piece is at most one row or entry past the 64 KB mark.
        let largest = try #require(r.outputWrites.max())
        #expect(largest < Self.piece + 4096, "a write of \(largest) bytes")
        #expect(r.outputWrites.count >= total / (Self.piece + 4096), "\(r.outputWrites.count) writes of \(total) bytes")
        // The pieces still make the whole report.
        if format == "csv" {
            let lines = r.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("run,step,lr,lambda,") == true)
            #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == lines[0].split(separator: ",").count })
        } else {
            let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            let runs = try #require(object?["runs"] as? [[String: Any]])
            #expect(runs.allSatisfy { (($0["history"] as? [Any])?.count ?? 0) > 500 })
        }
    }
}
