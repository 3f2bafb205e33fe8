import TerminalUI

/// What `inspect` concludes about λ for this run, in the one story the
/// course tells (Lessons/09-fine-tuning.md, the cheatsheet, the closing
/// recipes): from scratch, put τ = 1/(lr·λ) between an epoch and the run;
/// on a pretrained model, decay toward zero pulls the pretrained weights
/// away, so never raise λ to fit τ (regularize with fewer epochs, early
/// stopping, decay toward the pretrained weights, or adapters); with
/// adapters, decay pulls the update, and so the model, toward the base.
public struct Verdict: Sendable {
    /// `no_decay`, `broken`, `strong`, `weak`, `within_guideline`,
    /// `within_run`, `not_computable` (from scratch); `negligible`,
    /// `pulls_toward_zero`, `erases_pretraining` (full fine-tune);
    /// `pull_toward_base` (adapters).
    public var kind: String
    public var message: String
    /// Only for a run from scratch: λ that puts τ at one epoch / at the run.
    public var lambdaForOneEpoch: Double?
    public var lambdaForWholeRun: Double?

    /// A fine-tune losing less than this share of a weight to decay alone is told decay barely acts.
    public static let negligibleLoss = 0.01
    /// A fine-tune losing at least this share is told decay erases what pretraining put in the weights.
    public static let erasingLoss = 0.5

    /// What the course recommends for regularizing a pretrained model, said the same way everywhere.
    public static let fineTuneAdvice = "To regularize a fine-tune, use fewer epochs or early stopping (evaluate each epoch and keep the best), decay toward the pretrained weights (L2-SP, lesson 9), or train adapters; keep weight_decay at the usual 0.0–0.1."
    public static let doNotRaise = "Do not raise λ to bring τ = 1/(lr·λ) inside the run: on a pretrained model that is decay toward zero erasing what pretraining learned (lesson 9)."

    public init(summary s: ScheduleSummary, runKind: RunKind, adapter: AdapterSettings?) {
        lambdaForOneEpoch = nil
        lambdaForWholeRun = nil
        switch runKind {
        case .fromScratch:
            (kind, message) = Self.fromScratch(s)
            lambdaForOneEpoch = s.lambdaForOneEpoch
            lambdaForWholeRun = s.lambdaForWholeRun
        case .fullFineTune:
            (kind, message) = Self.fullFineTune(s)
        case .adapter:
            (kind, message) = Self.adapters(s, adapter: adapter)
        }
    }

    static func fromScratch(_ s: ScheduleSummary) -> (String, String) {
        guard let tau = s.timescaleSteps else {
            if s.peakShrink == 0 || s.weightDecay == 0 || s.config.learningRate == 0 {
                return ("no_decay", "No decay: λ is 0 (or the rate is, or the optimizer ignores λ), so weights shrink only if the gradient shrinks them.")
            }
            return ("not_computable", "The optimizer's decay is not a fixed fraction per step, so τ = 1/(lr·λ) does not describe it; see the notes.")
        }
        if s.peakShrink ?? 0 >= 1 {
            return ("broken", "Broken: lr·λ is 1 or more, so a step at the peak rate would zero or flip the sign of every decayed weight. Decoupled decay needs lr·λ far below 1; check that λ and the learning rate are what you meant.")
        }
        var text: String
        var kind: String
        if tau > Double(s.plan.steps) {
            kind = "weak"
            let lost = s.fractionLost.map { "decay removes only \(percent($0)) of a weight by the end" } ?? "decay acts little"
            text = "Weak: τ is longer than the whole run: \(lost), little regularisation. The timescale lesson's guideline puts τ between one epoch and the whole run."
        } else if let epoch = s.plan.updatesPerEpoch {
            if tau < Double(epoch) {
                kind = "strong"
                text = "Strong: τ is shorter than one epoch: a weight decays away before the data has been seen once, so what it learns early is forgotten. The timescale lesson's guideline puts τ between one epoch and the whole run."
            } else {
                kind = "within_guideline"
                text = "Within the guideline: τ lies between one epoch and the whole run."
            }
        } else {
            kind = "within_run"
            text = "τ is shorter than the run; pass --examples N to compare it with an epoch as well."
        }
        var targets: [String] = []
        if let l = s.lambdaForOneEpoch { targets.append("λ = \(sci(l)) puts τ at one epoch") }
        if let l = s.lambdaForWholeRun { targets.append("λ = \(sci(l)) at the whole run") }
        if !targets.isEmpty { text += " At this learning rate (training from scratch), " + targets.joined(separator: ", ") + "." }
        return (kind, text)
    }

    static func fullFineTune(_ s: ScheduleSummary) -> (String, String) {
        if s.weightDecay == 0 || s.peakShrink == 0 {
            return ("no_decay", "No decay toward zero: the pretrained weights are pulled only by the data. " + fineTuneAdvice)
        }
        if s.peakShrink ?? 0 >= 1 {
            return ("broken", "Broken: lr·λ is 1 or more, so one step at the peak rate would zero or flip every decayed pretrained weight. " + fineTuneAdvice)
        }
        guard let lost = s.fractionLost ?? s.remainingAtLeast.map({ 1 - $0 }) else {
            return ("not_computable", "Decay toward zero pulls the pretrained weights away from what pretraining learned; how far cannot be computed for this optimizer or schedule (see the notes). \(doNotRaise) \(fineTuneAdvice)")
        }
        let left = 1 - lost
        let bound = s.fractionLost == nil ? "at most " : ""
        if lost < negligibleLoss {
            return ("negligible", "Decay toward zero pulls the pretrained weights toward 0, but little here: a weight the data does not hold loses \(bound)\(percent(lost)) of its pretrained value over the run (keeps \(fixed(left))). It neither regularizes nor harms much. \(doNotRaise) \(fineTuneAdvice)")
        }
        if lost < erasingLoss {
            return ("pulls_toward_zero", "Decay toward zero pulls the pretrained weights toward 0: a weight the data does not hold loses \(bound)\(percent(lost)) of its pretrained value over the run (keeps \(fixed(left))), knowledge from pretraining the fine-tune gives up. \(doNotRaise) \(fineTuneAdvice)")
        }
        return ("erases_pretraining", "Decay erases pretraining: a weight the data does not hold keeps \(bound == "" ? "" : "at least ")\(fixed(left)) of its pretrained value by the end (\(percent(lost)) lost), as lesson 9's λ = 1 toward zero did. Lower λ (the usual 0.0–0.1). \(fineTuneAdvice)")
    }

    static func adapters(_ s: ScheduleSummary, adapter: AdapterSettings?) -> (String, String) {
        var text = "With adapters the base model is frozen and ΔW = (α/r)·B·A starts at 0 (B = 0), so decay toward zero pulls the update ΔW, and the model, toward the base model: toward the pretrained weights, not away from them."
        if s.weightDecay == 0 || s.peakShrink == 0 {
            return ("no_decay", text + " λ is 0 here: nothing pulls ΔW back but the data. Rank, lora_dropout and the number of epochs usually matter more than λ.")
        }
        if let left = s.remainingFraction {
            let update = left * left
            let strength = 1 - update < negligibleLoss ? "a weak pull" : (1 - update < erasingLoss ? "a moderate pull" : "a strong pull: the adapter's update is held close to the base model")
            text += " Absent gradients, A and B each keep Π(1 − lr_t·λ) = \(fixed(left)) of their size over the run, so ΔW keeps \(fixed(update)) (\(percent(1 - update)) of the update lost): \(strength)."
        } else {
            text += " How strong the pull is cannot be computed for this optimizer or schedule (see the notes)."
        }
        if let saved = adapter?.modulesToSave, !saved.isEmpty {
            text += " The modules saved in full (\(saved.joined(separator: ", "))) are trainable copies of pretrained weights: decay pulls those toward zero as in a full fine-tune."
        }
        return ("pull_toward_base", text + " Rank, lora_dropout and the number of epochs usually matter more than λ.")
    }

    static func sci(_ x: Double) -> String { NumberFormat.compact(x, significantDigits: 3) }
    static func fixed(_ x: Double) -> String { NumberFormat.fixed(x, decimals: 6) }
    static func percent(_ fraction: Double) -> String {
        let p = 100 * fraction
        if p != 0 && abs(p) < 0.01 { return NumberFormat.compact(p, significantDigits: 2) + "%" }
        return NumberFormat.fixed(p, decimals: 2) + "%"
    }
}
