import TerminalUI
import DecayEngine
import Foundation

/// How a control reads in the status bar and controls panel: its symbol,
/// ` = `, and the value in `%.1e` (`λ = 1.0e-02`), or `0` when it is off,
/// so every value is comparable at a glance across decades.
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
        v == 0 ? "0" : String(format: "%.1e", Double(v))
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
