import Foundation
import Testing

/// The command line as scripts and people use it (run in-process).
@Suite struct HeadlessCommandTests {
    @Test func listJSONIsAnArrayOfIdTitleSteps() throws {
        let state = try CommandRun.temporaryDirectory()
        let r = try CommandRun(["list", "--json"], environment: ["XDG_STATE_HOME": state.path])
        #expect(r.status == 0)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(!items.isEmpty)
        for item in items {
            #expect(item["id"] is String)
            #expect(item["title"] is String)
            #expect((item["steps"] as? Int ?? 0) >= 1)
        }
        #expect(items.first?["id"] as? String == "overfitting")
    }

    @Test func runPrintsTheHistoryAsJSON() throws {
        let r = try CommandRun(["run", "overfitting:1", "--steps", "7", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let runs = try #require(root["runs"] as? [[String: Any]])
        #expect(runs.count >= 1)
        for run in runs {
            #expect(run["name"] is String)
            let history = try #require(run["history"] as? [[String: Any]])
            #expect(history.map { $0["step"] as? Int } == (1...7).map { Optional($0) })
            for h in history {
                #expect(h["train_loss"] is Double)
                #expect(h["val_loss"] is Double)
                let norms = try #require(h["norms"] as? [String: Double])
                #expect(norms["weights"] != nil)
            }
        }
    }

    @Test func runWithLambdaChangesOnlyTheRunsThatFollowIt() throws {
        let r = try CommandRun(["run", "overfitting:2", "--steps", "3", "--lambda", "0.5", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = rows[0]
        let lambdaColumn = try #require(header.firstIndex(of: "lambda"))
        let lambdas = Set(rows.dropFirst().map { $0[lambdaColumn] })
        #expect(lambdas.contains("0.5"))
        #expect(lambdas.contains("0.0"))   // the pinned λ = 0 run
    }

    /// `run --goal` checks the step's goal as the tutor does and says so: on
    /// overfitting:2, λ = 30 underfits and misses the band, λ = 3 meets it.
    /// The JSON carries the verdict; a step whose goal is a question has none.
    @Test func runGoalGivesTheTutorsVerdict() throws {
        let miss = try CommandRun(["run", "overfitting:2", "--lambda", "30", "--goal", "--format", "json"])
        #expect(miss.status == 0, "\(miss.stderr)")
        #expect(miss.stderr.contains("goal not met: a fresh run of \"yours\" with λ = 30 reaches val_loss = 3.84"), "\(miss.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(miss.stdout.utf8)) as? [String: Any])
        let goal = try #require(root["goal"] as? [String: Any])
        #expect(goal["met"] as? Bool == false && goal["step"] as? Int == 400 && goal["below"] as? Double == 2.9)
        #expect(abs((goal["value"] as? Double ?? 0) - 3.84) < 0.01)
        let meet = try CommandRun(["run", "overfitting:2", "--lambda", "3", "--goal", "--format", "table"])
        #expect(meet.status == 0 && meet.stderr.contains("goal met:") && meet.stderr.contains("at step 400 (goal < 2.9)"), "\(meet.stderr)")
        let question = try CommandRun(["run", "overfitting:1", "--steps", "2", "--goal"])
        #expect(question.status == 64 && question.stderr.contains("no goal"), "\(question.stderr)")
    }

    /// The CSV carries what the tutor's numbers panel shows: the full-set
    /// training loss and, for a classifier, both accuracies, under the goal
    /// metrics' names; `--groups` sets the groups a step's switches decay.
    @Test func csvCarriesTheFullSetLossAndAccuracies() throws {
        let r = try CommandRun(["run", "l2-vs-decoupled-sgd:1", "--steps", "5", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = rows[0]
        for column in ["train_loss", "full_train_loss", "val_loss", "train_accuracy", "val_accuracy"] {
            #expect(header.contains(column), "\(header)")
        }
        let evaluated = try #require(rows.dropFirst().first { $0[header.firstIndex(of: "step")!] == "5" })
        let accuracy = try #require(Double(evaluated[header.firstIndex(of: "train_accuracy")!]))
        #expect(accuracy >= 0 && accuracy <= 1)
        #expect(Double(evaluated[header.firstIndex(of: "full_train_loss")!]) != nil)
        let groups = try CommandRun(["run", "what-to-decay:4", "--groups", "weights,embeddings", "--steps", "2", "--format", "json"])
        #expect(groups.status == 0, "\(groups.stderr)")
        let none = try CommandRun(["run", "overfitting:2", "--groups", "weights", "--steps", "2"])
        #expect(none.status == 64 && none.stderr.contains("--groups would change nothing"), "\(none.stderr)")
    }

    @Test func unknownLessonIsAUsageErrorWithTheChoices() throws {
        let r = try CommandRun(["run", "overfiting:1"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("overfiting"))
        #expect(r.stderr.contains("did you mean `overfitting`"))
        #expect(r.stdout.isEmpty)
    }

    @Test func checkReportsALocatedErrorAndExits65() throws {
        let dir = try CommandRun.temporaryDirectory()
        let bad = """
        ---
        id: bad
        title: Bad
        ---

        ## Step

        ```experiment
        data = linreg
        model = linear
        optimizer = sgd
        lamda = 0.1
        ```
        """
        try bad.write(to: dir.appendingPathComponent("01-bad.md"), atomically: true, encoding: .utf8)
        let r = try CommandRun(["check", dir.path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("01-bad.md:12:"))
        #expect(r.stderr.contains("lambda"))
        let ok = try CommandRun(["check", CommandRun.lessons])
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test func exportWritesBothFilesAndRefusesToOverwrite() throws {
        let dir = try CommandRun.temporaryDirectory().appendingPathComponent("out")
        let first = try CommandRun(["export", "overfitting:1", "--steps", "5", "--out", dir.path])
        #expect(first.status == 0, "\(first.stderr)")
        let json = dir.appendingPathComponent("experiment.json")
        let script = dir.appendingPathComponent("reproduce.py")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        #expect(object["format"] as? String == "decay-tutor.experiment/1")
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.allSatisfy { ($0["history"] as? [Any])?.count == 5 })
        #expect(try String(contentsOf: script, encoding: .utf8).contains("import torch"))

        let before = try Data(contentsOf: json)
        let second = try CommandRun(["export", "overfitting:2", "--steps", "5", "--out", dir.path])
        #expect(second.status == 73)
        #expect(second.stderr.contains("--force"))
        #expect(try Data(contentsOf: json) == before)   // nothing was touched
        let forced = try CommandRun(["export", "overfitting:2", "--steps", "5", "--out", dir.path, "--force"])
        #expect(forced.status == 0)
        #expect(try Data(contentsOf: json) != before)
    }

    @Test func exportNeverWritesThroughASymbolicLink() throws {
        let dir = try CommandRun.temporaryDirectory()
        let outside = dir.appendingPathComponent("outside.txt")
        try "keep me".write(to: outside, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("experiment.json"), withDestinationURL: outside)
        let r = try CommandRun(["export", "overfitting:1", "--steps", "2", "--out", out.path, "--force"])
        #expect(r.status == 73)
        #expect(r.stderr.contains("symbolic link"))
        #expect(try String(contentsOf: outside, encoding: .utf8) == "keep me")
    }

    @Test func theTutorRefusesWithoutATerminalAndPointsAtRun() throws {
        let r = try CommandRun([])
        #expect(r.status == 2)
        #expect(r.stderr.contains("decay-tutor run"))
    }

    @Test func badArgumentsAreUsageErrors() throws {
        let r = try CommandRun(["run", "overfitting:1", "--steps", "0"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--steps"))
    }
    @Test func runawayNumbersAreReportedAsDivergedNotACrash() throws {
        let dir = try CommandRun.temporaryDirectory()
        let lesson = """
        ---
        id: huge
        title: Huge
        ---

        ## Step

        Text.

        ```experiment
        data = linreg
        noise = 10
        model = linear
        optimizer = sgd
        lr = 10
        lambda = 10
        steps = 50
        ```
        """
        try lesson.write(to: dir.appendingPathComponent("01-huge.md"), atomically: true, encoding: .utf8)
        let r = try CommandRun(["run", "huge:1", "--lessons", dir.path, "--format", "json"])
        #expect(r.status == 3, "a diverged run has its own status, the output complete: \(r.stderr)")
        #expect(r.stderr.contains("diverged at step"))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let diverged = try #require(run["diverged"] as? [String: Any])
        #expect((diverged["step"] as? Int ?? 0) >= 1)
        #expect((run["history"] as? [Any])?.count ?? 99 < 50)
    }
}
