import TerminalUI
import DecayEngine
import Foundation
import TextSupport

/// How a control reads in the status bar and controls panel: its symbol,
/// ` = `, and the value as the lessons write it (`λ = 0.01`, `λ = 3`,
/// `p = 0.3`), with a short exponent only below 0.001 (`λ = 1e-5`).
public enum ControlFormat {
    public static func symbol(_ control: Control, unicode: Bool) -> String {
        switch control {
        case .lambda: unicode ? "λ" : "lambda"
        case .learningRate: "lr"
        case .dropout: "p"
        case .loraDropout: "lora_dropout"
        }
    }

    public static func value(_ v: Float) -> String {
        if v == 0 { return "0" }
        let d = Double(v)
        // Six significant digits undo Float's rounding (0.3 prints 0.3).
        if abs(d) >= 1e-3 && abs(d) < 1e6 { return PrintfNumber.format("%g", d) }
        // 1e-05 → 1e-5, 2.5e-05 → 2.5e-5.
        let text = PrintfNumber.format("%g", d)
        guard let e = text.firstIndex(of: "e") else { return text }
        let mantissa = text[..<e], exponent = text[text.index(after: e)...]
        let sign = exponent.hasPrefix("-") ? "-" : ""
        let digits = exponent.drop { $0 == "-" || $0 == "+" || $0 == "0" }
        return "\(mantissa)e\(sign)\(digits.isEmpty ? "0" : digits)"
    }

    public static func describe(_ control: Control, _ v: Float, unicode: Bool) -> String {
        "\(symbol(control, unicode: unicode)) = \(value(v))"
    }

    /// The control's name in words, for the controls panel.
    public static func name(_ control: Control) -> String {
        switch control {
        case .lambda: "weight decay"
        case .learningRate: "learning rate"
        case .dropout: "dropout"
        case .loraDropout: "adapter dropout"
        }
    }
}
