import Testing
import Foundation
@testable import DecayLessons

/// Inputs no author writes on purpose: each must give located errors, fast,
/// and never trap or recurse.
@Suite struct HostileInputTests {
    func check(_ bytes: [UInt8], line: Int? = nil, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let start = ContinuousClock.now
        let result = LessonParser.parse(bytes, path: "h.md")
        #expect(ContinuousClock.now - start < .seconds(5), sourceLocation: sourceLocation)
        guard case let .failure(e) = result else { Issue.record("accepted", sourceLocation: sourceLocation); return }
        #expect(e.errors.contains { $0.message.contains(fragment) && (line == nil || $0.line == line) },
                "\(e)", sourceLocation: sourceLocation)
    }

    @Test func emptyFile() { check([], line: 1, "empty") }

    @Test func invalidUTF8() {
        check(Array(step(minimalExperiment).utf8) + [0x0A, 0x61, 0xC3, 0x28], line: 13, "not valid UTF-8")
        let e = errors(String(decoding: [0x2D, 0x2D, 0x2D, 0x0A, 0xFF], as: UTF8.self))
        #expect(!e.isEmpty)
        guard case let .failure(f) = LessonParser.parse([0x61, 0x62, 0xFF], path: "h.md") else { return }
        #expect(f.errors.first?.column == 3)
    }

    @Test func nulAndControlBytes() {
        var bytes = Array(step(minimalExperiment).utf8)
        bytes.insert(0, at: 20)
        check(bytes, line: 4, "NUL")
        check(Array(lesson("## S\n\u{1B}[2J\n").utf8), line: 6, "U+001B")
    }

    @Test func tooLarge() {
        check(Array(repeating: 0x61, count: SourceText.maximumBytes + 1), line: 1, "limited to 1 MiB")
    }

    @Test func binaryGarbage() {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &g) }
            let start = ContinuousClock.now
            guard case let .failure(e) = LessonParser.parse(bytes, path: "g.md") else { Issue.record("accepted"); continue }
            #expect(ContinuousClock.now - start < .seconds(2))
            #expect(!e.errors.isEmpty && e.errors.count <= LessonDiagnostics.cap + 1)
            #expect(e.errors.allSatisfy { $0.line >= 1 })
        }
    }

    @Test func deepBrackets() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        check(Array(step(minimalExperiment + "\nhidden = " + deep).utf8), line: 11, "nest at most")
        let open = String(repeating: "[", count: 10_000)
        check(Array(step(minimalExperiment + "\n" + open).utf8), line: 11, "section")
        let calls = String(repeating: "a(", count: 10_000)
        check(Array(step(minimalExperiment + "\ninit = " + calls).utf8), line: 11, "nest at most")
    }

    @Test func extremelyLongLines() {
        let long = String(repeating: "x", count: 500_000)
        check(Array(step(minimalExperiment + "\nlambda = " + long).utf8), line: 11, "expects a number")
        let e = errors(step(minimalExperiment + "\n" + long + " = 1"))
        #expect(e.first?.line == 11 && (e.first?.message.count ?? .max) < 200)
        let prose = lesson("## S\n" + String(repeating: "word ", count: 150_000) + "\n```experiment\n\(minimalExperiment)\n```\n")
        #expect(errors(prose).isEmpty)
    }

    @Test func manyLines() {
        let text = step(minimalExperiment) + String(repeating: "\n", count: 200_000) + "```experiment\n"
        let start = ContinuousClock.now
        let e = errors(text)
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(e.contains { $0.line == 200_012 && $0.message.contains("never closed") })
    }
}
