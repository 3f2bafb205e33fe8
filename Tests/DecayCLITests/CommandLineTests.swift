import Foundation
import Testing

/// The command line says what is wrong and what is allowed, and never
/// ignores an option silently.
@Suite struct CommandLineTests {
    @Test func anOptionNoRunFollowsIsAnErrorNamingWhereItApplies() throws {
        let r = try CommandRun(["run", "overfitting:1", "--lambda", "3", "--steps", "2"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--lambda"))
        #expect(r.stderr.contains("overfitting:2"))
        #expect(r.stdout.isEmpty)
        let dropout = try CommandRun(["export", "overfitting:2", "--dropout", "0.5", "--steps", "2", "--out", "/nonexistent/x"])
        #expect(dropout.status == 64)
        #expect(dropout.stderr.contains("dropout-vs-decay:"))
    }

    @Test func learningRateDropoutAndSeedReachTheRuns() throws {
        let a = try CommandRun(["run", "dropout-vs-decay:1", "--steps", "2", "--lr", "0.02", "--dropout", "0.25", "--seed", "7", "--format", "csv"])
        #expect(a.status == 0, "\(a.stderr)")
        let rows = a.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let lr = try #require(rows.first?.firstIndex(of: "lr"))
        #expect(rows.dropFirst().contains { $0[lr] == "0.02" })
        let b = try CommandRun(["run", "dropout-vs-decay:1", "--steps", "2", "--lr", "0.02", "--dropout", "0.25", "--seed", "8", "--format", "csv"])
        #expect(b.status == 0)
        #expect(a.stdout != b.stdout)   // another seed, other data and weights
    }

    @Test(arguments: [
        (["--steps", "-1"], "1 to 100000"), (["--lambda", "-1"], "0 to 1e4"), (["--lambda", "1e39"], "0 to 1e4; got 1e39"),
        (["--lr", "0"], "above 0"), (["--dropout", "1"], "up to (not including) 1"), (["--seed", "-3"], "0 to 9007199254740992"),
        (["--lambda", "nan"], "got nan, not a number"), (["--lambda", "10000.0001"], "0 to 1e4; got 10000.0001"),
        (["--lambda", "0x10"], "got 0x10, not a decimal number"), (["--lr", "1e-300"], "got 1e-300, which is 0.0"),
        (["--steps", "100001"], "from 1 to 100000; got 100001"), (["--steps", "2.5"], "got 2.5, not a whole number"),
        (["--steps", "0x10"], "got 0x10, not a decimal number"),
    ])
    func outOfRangeNumbersSayTheRange(arguments: [String], range: String) throws {
        let r = try CommandRun(["run", "overfitting:2"] + arguments)
        #expect(r.status == 64)
        #expect(r.stderr.contains(range), "\(arguments): \(r.stderr)")
        #expect(!r.stderr.contains("Missing value"))
    }

    /// Numbers are read as decimal Doubles, as a lesson file's are: 1e3
    /// steps is 1000, and λ = 1e4 exactly is the top of its range.
    @Test func decimalNumbersInRangeAreTaken() throws {
        let r = try CommandRun(["run", "overfitting:2", "--steps", "1e0", "--lambda", "1e4", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").count >= 2)
    }

    @Test func anUnknownFormatListsTheFormatsForThatCommand() throws {
        let r = try CommandRun(["run", "overfitting:2", "--format", "xml"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("'csv', 'json' or 'table'"))
        #expect(r.stderr.contains("decay-tutor run"))
    }

    @Test func aMistypedCommandIsSaidAsOneWithTheNearestCommand() throws {
        let r = try CommandRun(["lsit"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("did you mean `decay-tutor list`"))
        #expect(!r.stderr.contains("needs a terminal"))
    }

    @Test func versionIsPrinted() throws {
        let r = try CommandRun(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("decay-tutor "))
        #expect(r.stdout.split(separator: " ").last?.split(separator: ".").count == 3)
    }

    @Test func benchWithAFilterThatMatchesNothingFails() throws {
        let r = try CommandRun(["bench", "--quick", "--only", "nosuch"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("nosuch"))
    }

    @Test func checkTakesOneFileOrLessons() throws {
        let file = try CommandRun(["check", CommandRun.lessons + "/01-overfitting.md"])
        #expect(file.status == 0, "\(file.stderr)")
        #expect(file.stdout.hasPrefix("1 lesson, "), "\(file.stdout)")
        let option = try CommandRun(["check", "--lessons", CommandRun.lessons])
        #expect(option.status == 0, "\(option.stderr)")
    }

    @Test func controlCharactersFromTheCommandLineAreEscaped() throws {
        let r = try CommandRun(["run", "over\u{1B}[2Jfit\u{07}"])
        #expect(r.status == 64)
        #expect(!r.stderr.contains("\u{1B}"))
        #expect(!r.stderr.contains("\u{07}"))
        #expect(r.stderr.contains("\\e[2J"))
        let option = try CommandRun(["run", "overfitting:2", "--\u{1B}]0;title\u{07}"])
        #expect(option.status == 64)
        #expect(!option.stderr.contains("\u{1B}"))
    }

    /// Refused while the command line is checked, before anything trains or
    /// is written (an empty name would otherwise mean this folder).
    @Test func exportRefusesAnEmptyFolderName() throws {
        let r = try CommandRun(["export", "overfitting:2", "--steps", "2", "--out", ""])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--out needs a folder name"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func exportUnderAFileSaysSoPlainly() throws {
        let dir = try CommandRun.temporaryDirectory()
        FileManager.default.createFile(atPath: dir.appendingPathComponent("file").path, contents: Data())
        let r = try CommandRun(["export", "overfitting:2", "--steps", "2", "--out", dir.path + "/file/out"])
        #expect(r.status == 73)
        #expect(r.stderr.contains("not a folder"))
        #expect(!r.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test func exportPrintsTheWrittenPathsWithControlCharactersEscaped() throws {
        // A folder name with an escape sequence must not clear the learner's
        // screen when the written paths are listed.
        let dir = try CommandRun.temporaryDirectory().appendingPathComponent("out\u{1B}[2J")
        let r = try CommandRun(["export", "overfitting:2", "--steps", "2", "--out", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("\u{1B}"))
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.contains("out\\e[2J/") })
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("experiment.json").path))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func reproduceWithoutTorchSaysHowToInstallIt() throws {
        let dir = try CommandRun.temporaryDirectory().appendingPathComponent("out")
        let export = try CommandRun(["export", "overfitting:2", "--steps", "2", "--out", dir.path])
        #expect(export.status == 0, "\(export.stderr)")
        // -S: no site-packages, so neither numpy nor torch can be found.
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = ["-S", dir.path + "/reproduce.py", dir.path + "/experiment.json"]
        let err = Pipe()
        python.standardError = err
        python.standardOutput = FileHandle.nullDevice
        python.standardInput = FileHandle.nullDevice
        try python.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        #expect(python.terminationStatus == 1)
        #expect(stderr.contains("pip install torch"))
        #expect(!stderr.contains("Traceback"))
    }
}
