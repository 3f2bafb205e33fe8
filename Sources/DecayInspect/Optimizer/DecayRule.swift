/// How an optimizer applies `weight_decay` (λ), read from its source. The
/// shrink a report computes depends on it; an optimizer whose rule was not
/// read is `unknown`, never assumed to be AdamW's.
public enum DecayRule: Equatable, Sendable {
    /// p ← p·(1 − lr_t·λ) before (or beside) the update: AdamW, Lion, …
    case decoupled
    /// g ← g + λ·p before the update (an L2 penalty (λ/2)·‖p‖² in the loss).
    /// Without momentum, in plain SGD, this is the same shrink (1 − lr_t·λ);
    /// through momentum or an adaptive step it is not a fixed fraction.
    case coupledL2
    /// AdamC: p ← p·(1 − λ·lr_t²/lr_max), which keeps the equilibrium of
    /// normalized weights fixed as the schedule lowers lr_t.
    case lrSquaredOverMax
    /// Another rule, spelled out; its shrink is not computed.
    case other(String)
    /// The optimizer ignores `weight_decay`.
    case none
    /// The rule was not read from the optimizer's source.
    case unknown

    /// The name in `--json`.
    public var jsonName: String {
        switch self {
        case .decoupled: return "decoupled"
        case .coupledL2: return "coupled_l2"
        case .lrSquaredOverMax: return "lr_squared_over_max"
        case .other: return "other"
        case .none: return "none"
        case .unknown: return "unknown"
        }
    }

    /// The rule as a formula, for the report.
    public var formula: String {
        switch self {
        case .decoupled: return "p ← p·(1 − lr_t·λ) (decoupled)"
        case .coupledL2: return "g ← g + λ·p (coupled L2, through the optimizer's step)"
        case .lrSquaredOverMax: return "p ← p·(1 − λ·lr_t²/lr_max) (AdamC)"
        case .other(let text): return text
        case .none: return "none: this optimizer ignores weight_decay"
        case .unknown: return "decay rule unknown"
        }
    }
}

/// One optimizer name a tool accepts, its decay rule, and where the rule was read.
public struct OptimizerInfo: Equatable, Sendable {
    public var name: String
    public var rule: DecayRule
    /// The class and source the rule comes from.
    public var source: String
    /// Something about its decay the rule alone does not say.
    public var note: String?
}
