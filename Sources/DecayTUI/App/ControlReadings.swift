import DecayEngine

/// The live controls as the engine has them: each control's value for the
/// runs that follow it, and whether each parameter group is decayed. Read
/// from the experiment after every change, never kept up by hand, so the
/// status bar cannot disagree with what trains.
public struct ControlReadings: Sendable, Equatable, Hashable {
    public var values: [Control: Float]
    public var decay: [ParameterGroup: Bool]

    public init(values: [Control: Float] = [:], decay: [ParameterGroup: Bool] = [:]) {
        self.values = values
        self.decay = decay
    }

    /// What the experiment's runs that follow the controls train with.
    public static func read(_ experiment: Experiment) -> ControlReadings {
        var values: [Control: Float] = [:]
        for c in Control.allCases { values[c] = experiment.value(of: c) }
        var decay: [ParameterGroup: Bool] = [:]
        for g in experiment.groups { decay[g] = experiment.decays(g) }
        return ControlReadings(values: values, decay: decay)
    }

    /// Applies these settings to a fresh experiment (before its first step).
    func apply(to experiment: Experiment, controls: [Control], groups: Bool) {
        for c in controls {
            if let v = values[c], v != experiment.value(of: c) { experiment.set(c, to: v) }
        }
        if groups {
            for (g, on) in decay where experiment.decays(g) != on { experiment.setDecay(g, on) }
        }
    }
}
