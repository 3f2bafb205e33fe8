import Foundation
import Testing

/// A run that diverges is an outcome to report, not a row to lose: `run`
/// keeps it in its table and says so on stderr, and `export` warns that
/// the exported runs diverge.
@Suite struct DivergenceTests {
    /// Two runs of a small MLP evaluated at every step: "calm" trains, and
    /// "wild" (lr 10, λ = 10⁴ as an L2 term) multiplies its weights by about
    /// 10⁵ in its first update, so its validation loss after step 1 is not finite.
    static let lesson = """
        ---
        id: div
        title: Divergence
        ---

        ## Step

        Two runs, one of which diverges at once.

        ```experiment
        data = linreg
        inputs = 20
        model = mlp
        hidden = [64, 64, 64, 64]
        optimizer = sgd
        steps = 20
        eval_every = 1
        controls = []

        [run "calm"]
        lr = 0.001
        lambda = 0

        [run "wild"]
        lr = 10
        lambda = 10000
        ```
        """

    func lessonsFolder() throws -> URL {
        let dir = try CommandRun.temporaryDirectory()
        try Self.lesson.write(to: dir.appendingPathComponent("01-div.md"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func aRunThatDivergesAtStepOneKeepsItsRow() throws {
        let dir = try lessonsFolder()
        let r = try CommandRun(["run", "div:1", "--lessons", dir.path, "--format", "table"])
        #expect(r.status == 3, "a diverged run has its own status: \(r.stderr)")
        #expect(r.stderr.contains("1 of 2 runs diverged"), "\(r.stderr)")
        #expect(r.stderr.contains("run \"wild\" diverged at step 1"), "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(rows.count == 3, "\(r.stdout)")   // header, calm, wild
        let wild = try #require(rows.first { $0.first == "wild" })
        #expect(wild.dropFirst().prefix(2) == ["(diverged)", "1"], "\(r.stdout)")
        let calm = try #require(rows.first { $0.first == "calm" })
        #expect(calm.dropFirst().first == "20", "\(r.stdout)")
    }

    @Test func exportOfDivergingRunsWarns() throws {
        let dir = try lessonsFolder()
        let out = dir.appendingPathComponent("export")
        let r = try CommandRun(["export", "div:1", "--lessons", dir.path, "--out", out.path])
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stderr.contains("run \"wild\" diverged at step 1"), "\(r.stderr)")
        #expect(r.stderr.contains("warning:") && r.stderr.contains("diverge"), "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("experiment.json").path))
        // A step whose runs all train exports without a warning.
        let calm = try CommandRun(["export", "overfitting:1", "--steps", "2", "--out", dir.appendingPathComponent("calm").path])
        #expect(calm.status == 0, "\(calm.stderr)")
        #expect(!calm.stderr.contains("warning"), "\(calm.stderr)")
    }
}
