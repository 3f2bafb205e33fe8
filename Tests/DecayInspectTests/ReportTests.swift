import Foundation
import Testing
import TerminalUI
@testable import DecayInspect

/// The JSON object's keys and values, and the text report's content.
@Suite struct ReportTests {
    func report(model: String?, config: String?, examples: Int?) throws -> InspectReport {
        try InspectReport.make(modelPath: model.map { Fixtures.path("models/\($0)") },
                               configPath: config.map { Fixtures.path("configs/\($0)") }, examples: examples)
    }

    func object(_ r: InspectReport) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(r.json().utf8)) as! [String: Any]
    }

    @Test func keysForWhatWasNotGivenAreAbsent() throws {
        let modelOnly = try object(report(model: "gpt2", config: nil, examples: nil))
        #expect(Set(modelOnly.keys) == ["tensors", "params"])
        let configOnly = try object(report(model: nil, config: "hf-constant-maxsteps.json", examples: nil))
        #expect(Set(configOnly.keys) == ["schedule", "run_kind", "verdict", "notes"])
        let schedule = configOnly["schedule"] as! [String: Any]
        // The keys of the first release keep their meaning; the later ones describe the config.
        #expect(Set(schedule.keys) == ["steps", "warmup_steps", "lr_scheduler", "learning_rate", "weight_decay",
                                        "shrink_peak", "total_shrink", "timescale_steps",
                                        "format", "schedule", "optimizer", "batch", "accumulation"])
        #expect(schedule["examples"] == nil && schedule["val_examples"] == nil)
        let withExamples = try object(report(model: nil, config: "hf-constant-maxsteps.json", examples: 50))["schedule"] as! [String: Any]
        #expect(withExamples["epochs"] as? Double == 40.0 / 7.0)
        #expect(withExamples["timescale_epochs"] != nil)
        // λ = 0: no timescale.
        let noDecay = try object(report(model: nil, config: "axolotl-linear-maxsteps.yml", examples: 80))["schedule"] as! [String: Any]
        #expect(noDecay["timescale_steps"] == nil && noDecay["total_shrink"] as? Double == 1)
    }

    @Test func jsonValuesMatchTheFixtures() throws {
        let r = try object(report(model: "t5", config: "hf-cosine.json", examples: 157))
        let tensors = r["tensors"] as! [[String: Any]]
        let bias = try #require(tensors.first { ($0["name"] as? String)?.hasSuffix("relative_attention_bias.weight") == true })
        #expect(bias["decay_hf"] as? Bool == false && bias["decay_dim"] as? Bool == true)
        #expect(bias["shape"] as? [Int] == [4, 2] && bias["dtype"] as? String == "F32" && bias["params"] as? Int == 8)
        let params = r["params"] as! [String: Int]
        #expect(params["total"] == tensors.reduce(0) { $0 + ($1["params"] as! Int) })
        let expected = try Fixtures.json("expected/hf-cosine.json")
        let schedule = r["schedule"] as! [String: Any]
        #expect(schedule["steps"] as? Int == expected["steps"] as? Int)
        #expect(exactDouble(schedule["total_shrink"]) == exactDouble(expected["total_shrink"]))
        #expect(schedule["shrink_peak"] as? Double == 1e-3 * 0.05)
        #expect(schedule["timescale_steps"] as? Double == 1 / (1e-3 * 0.05))
    }

    @Test func textReportNamesTheDisagreementsAndDrawsTheChart() throws {
        let r = try report(model: "t5", config: "hf-cosine.json", examples: 157)
        let text = TextReport(report: r, width: 80, glyphs: .unicode).text
        #expect(text.contains("relative_attention_bias.weight [4×2]\n      the Trainer skips it (name contains “bias”)"))
        #expect(text.contains("per-step shrink lr_t·λ"))
        #expect(text.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) })     // braille dots
        #expect(text.contains("τ = 1/(lr·λ) = 20,000 steps"))
        let ascii = TextReport(report: r, width: 80, glyphs: .ascii).text
        #expect(ascii.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(ascii.contains("tau = 1/(lr*lambda) = 20,000 steps"))
        let narrow = TextReport(report: r, width: 60, glyphs: .ascii).lines().filter { !$0.hasPrefix("Model:") && !$0.hasPrefix("Config:") }
        #expect(narrow.allSatisfy { $0.count <= 90 }, "\(narrow.filter { $0.count > 90 })")
    }
}
