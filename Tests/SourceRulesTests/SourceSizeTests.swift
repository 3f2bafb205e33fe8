import Foundation
import XCTest

/// The project's size rule for Sources/: no file over 400 lines and no
/// function over 80, so a reader can hold one in view. A function or file
/// that grows past it is split along its real parts, not given an exception.
final class SourceSizeTests: XCTestCase {
    static let maximumFileLines = 400
    static let maximumFunctionLines = 80

    static var sourcesFolder: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
    }

    static func swiftFiles() throws -> [URL] {
        let root = sourcesFolder
        guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        return walk.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
            .sorted { $0.path < $1.path }
    }

    private func relative(_ url: URL) -> String {
        String(url.path.dropFirst(Self.sourcesFolder.deletingLastPathComponent().path.count + 1))
    }

    func testNoSourceFileIsOver400Lines() throws {
        let files = try Self.swiftFiles()
        XCTAssertGreaterThan(files.count, 50, "Sources/ was not found where the test expects it")
        var over: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
                - (text.hasSuffix("\n") ? 1 : 0)
            if lines > Self.maximumFileLines { over.append("\(relative(file)): \(lines) lines") }
        }
        XCTAssertEqual(over, [], "files over \(Self.maximumFileLines) lines; split them along their real parts")
    }

    func testNoFunctionIsOver80Lines() throws {
        var over: [String] = []
        var total = 0
        for file in try Self.swiftFiles() {
            let text = try String(contentsOf: file, encoding: .utf8)
            for f in SwiftSourceScanner.functions(in: text) {
                total += 1
                if f.lineCount > Self.maximumFunctionLines {
                    over.append("\(relative(file)):\(f.line): \(f.name) is \(f.lineCount) lines")
                }
            }
        }
        XCTAssertGreaterThan(total, 500, "the scanner found too few functions to be reading the sources")
        XCTAssertEqual(over, [], "functions over \(Self.maximumFunctionLines) lines; split them along their real parts")
    }
}

/// The scanner on the cases that would fool a naive brace counter.
final class SwiftSourceScannerTests: XCTestCase {
    private func lengths(_ source: String) -> [String: Int] {
        Dictionary(SwiftSourceScanner.functions(in: source).map { ($0.name, $0.lineCount) },
                   uniquingKeysWith: { a, _ in a })
    }

    func testCountsFromTheKeywordLineToTheClosingBrace() {
        let source = """
            /// Doc comment lines do not count.
            @discardableResult
            func three() -> Int {
                1
            }
            """
        XCTAssertEqual(SwiftSourceScanner.functions(in: source),
                       [.init(name: "three", line: 3, lineCount: 3)])
    }

    func testBracesInStringsAndCommentsAreNotCode() {
        let source = #"""
            func a() {
                let s = "}"  // }
                /* } /* nested } */ } */
                let t = #"}"\(x)"#
                let u = """
                    }
                    """
            }
            func b() { }
            """#
        XCTAssertEqual(lengths(source), ["a": 8, "b": 1])
    }

    func testStringsInsideInterpolationsDoNotEndTheOuterString() {
        let source = #"""
            func a() {
                let s = "x \(flag ? ")" : "(") y { z"
            }
            func b() {
                c()
            }
            """#
        XCTAssertEqual(lengths(source), ["a": 3, "b": 3])
    }

    func testDeclarationsWithoutBodiesAreSkipped() {
        let source = """
            protocol P {
                func f()
                var g: Int { get }
                init(x: Int)
            }
            struct S {
                var total: Int
                var stored = 3
                var computed: Int {
                    total + 1
                }
                init() {
                    total = 0
                    let v = Self.init
                    h(init: 1)
                }
            }
            """
        let found = SwiftSourceScanner.functions(in: source)
        XCTAssertEqual(found.map(\.name), ["g", "computed", "init"])
        XCTAssertEqual(found.last?.lineCount, 5)
    }

    func testNestedFunctionsCountInsideAndOnTheirOwn() {
        let source = """
            func outer() {
                func inner() {
                    work()
                }
                inner()
            }
            """
        XCTAssertEqual(lengths(source), ["outer": 6, "inner": 3])
    }

    func testMultilineSignaturesAndWhereClauses() {
        let source = """
            func long<T>(
                a: Int,
                b: () -> Void = { }
            ) -> T where T: Numeric {
                fatalError()
            }
            """
        XCTAssertEqual(lengths(source), ["long": 6])
    }
}
