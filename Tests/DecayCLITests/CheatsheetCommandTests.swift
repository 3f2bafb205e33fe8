import Foundation
import Testing

/// `decay-tutor cheatsheet` as a learner runs it into a pipe (stdout not a terminal).
@Suite struct CheatsheetCommandTests {
    /// The shipped lesson files, in order, with their text.
    static func lessonFiles() throws -> [(name: String, text: String)] {
        try FileManager.default.contentsOfDirectory(atPath: CommandRun.lessons)
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
            .map { ($0, try String(contentsOfFile: CommandRun.lessons + "/" + $0, encoding: .utf8)) }
    }

    static func title(_ text: String) -> String {
        text.split(separator: "\n").first { $0.hasPrefix("title:") }!.dropFirst(6).trimmingCharacters(in: .whitespaces)
    }

    static func json(_ arguments: [String] = []) throws -> [[String: Any]] {
        let r = try CommandRun(["cheatsheet", "--json"] + arguments)
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    }

    @Test func everyLessonInOrderWithItsKeyPointsAndSnippets() throws {
        let r = try CommandRun(["cheatsheet"], environment: ["COLUMNS": "80"])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        #expect(!r.stdout.contains("\u{1B}"), "no escape sequences into a pipe")
        let files = try Self.lessonFiles()
        var cursor = r.stdout.startIndex
        for (i, file) in files.enumerated() {
            let heading = try #require(r.stdout.range(of: "\(i + 1). \(Self.title(file.text))", range: cursor..<r.stdout.endIndex),
                                       "\(file.name) missing or out of order")
            cursor = heading.upperBound
        }
        for lesson in try Self.json() {
            let snippets = try #require(lesson["snippets"] as? [[String: String]])
            #expect(snippets.map { $0["library"] } == ["pytorch", "transformers", "axolotl"], "\(lesson["id"]!)")
            for snippet in snippets {
                // Code lines come through verbatim, indented by four spaces.
                let indented = snippet["code"]!.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
                #expect(r.stdout.contains(indented), "\(lesson["id"]!) \(snippet["library"]!)")
            }
            for point in try #require(lesson["key_points"] as? [String]) {
                let words = r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                #expect(words.contains(point.replacingOccurrences(of: "**", with: "")), "\(point)")
            }
        }
    }

    @Test(arguments: [80, 52])
    func proseWrapsToTheWidthAndCodeKeepsItsLines(columns: Int) throws {
        let r = try CommandRun(["cheatsheet"], environment: ["COLUMNS": "\(columns)"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let prose = lines.filter { !$0.hasPrefix("    ") }
        #expect(prose.allSatisfy { $0.count <= columns }, "\(prose.filter { $0.count > columns })")
        #expect(prose.contains { $0.count > columns - 12 }, "lines are filled, not cut short")
        #expect(lines.allSatisfy { $0.count <= max(columns, 80) }, "code lines fit 80 columns")
    }

    @Test func theJSONHoldsTheLessonFilesSnippets() throws {
        let files = try Self.lessonFiles()
        let lessons = try Self.json()
        #expect(lessons.count == files.count)
        for (lesson, file) in zip(lessons, files) {
            #expect(lesson["title"] as? String == Self.title(file.text))
            for snippet in try #require(lesson["snippets"] as? [[String: String]]) {
                let fence = "```\(snippet["language"]!) \(snippet["library"]!)\n\(snippet["code"]!)\n```"
                #expect(file.text.contains(fence), "\(file.name): \(snippet["library"]!)")
            }
        }
    }

    @Test func lessonFiltersKeepLessonOrder() throws {
        let r = try CommandRun(["cheatsheet", "--lesson", "what-to-decay", "--lesson", "1", "--lesson", "5"])
        #expect(r.status == 0, "\(r.stderr)")
        let headings = r.stdout.split(separator: "\n").filter { $0.first?.isNumber == true && $0.contains(". ") }
        #expect(headings.count == 2 && headings[0].hasPrefix("1. ") && headings[1].hasPrefix("5. "), "\(headings)")
        #expect(try Self.json(["--lesson", "timescale"]).map { $0["id"] as? String } == ["timescale"])
    }

    @Test func anUnknownLessonIsAUsageError() throws {
        let r = try CommandRun(["cheatsheet", "--lesson", "timescal"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("did you mean `timescale`?"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func asciiSpellsEverySymbol() throws {
        let r = try CommandRun(["cheatsheet", "--ascii"])
        #expect(r.status == 0)
        #expect(r.stdout.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(r.stdout.contains("weight_decay = 2lambda") || r.stdout.contains("weight_decay = 2 lambda"))
        let c = try CommandRun(["cheatsheet"], environment: ["LC_ALL": "C", "LANG": "C"])
        #expect(c.stdout == r.stdout, "a non-UTF-8 locale gets the ASCII spelling")
    }

    @Test func aBrokenLessonFolderStillPrintsTheOthers() throws {
        let dir = try CommandRun.temporaryDirectory()
        for name in ["01-overfitting.md", "05-what-to-decay.md"] {
            try FileManager.default.copyItem(atPath: CommandRun.lessons + "/" + name, toPath: dir.path + "/" + name)
        }
        try "---\nid: broken\ntitle: B\n---\n## S\n\n```experiment\ndata = linreg\nmodel = linear\noptimizer = sgd\n```\n\n### Snippets\n\n```python pytroch\nx = 1\n```\n"
            .write(toFile: dir.path + "/02-broken.md", atomically: true, encoding: .utf8)
        let r = try CommandRun(["cheatsheet", "--lessons", dir.path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("02-broken.md:15:11: error: unknown snippet library `pytroch`"), "\(r.stderr)")
        #expect(r.stdout.contains("1. Overfitting") && r.stdout.contains("2. Which parameters to decay"))
    }
}
