import Foundation
import Testing

/// `decay-tutor bench --json --quick --only …`, run and read: its top-level
/// figures and their details, once it has exited 0 and each of `figures`
/// is a finite positive number (an issue of the calling test if not).
struct BenchJSON {
    var root: [String: Any]
    var details: [String: [String: Any]]

    init(only: [String], figures: [String]) throws {
        let r = try CommandRun(["bench", "--json", "--quick"] + only.flatMap { ["--only", $0] })
        #expect(r.status == 0, "\(r.stderr)")
        root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in figures {
            let value = root[key] as? Double
            #expect(value.map { $0.isFinite && $0 > 0 } == true, "\(key): \(String(describing: root[key]))")
        }
        details = try #require(root["details"] as? [String: [String: Any]])
    }
}
