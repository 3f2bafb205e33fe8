/// The adapter a run trains, from the config, a PEFT folder or both, with
/// the parameter counts each source allows: a PEFT folder's tensors are
/// exactly what was trained; a config with a base checkpoint gives the
/// counts peft's print_trainable_parameters() prints.
public struct AdapterReport: Sendable {
    /// nil when only `--adapter` says the run trains adapters.
    public var settings: AdapterSettings?
    public var count: LoRACount?
    public var peft: PeftAdapter?
    public var notes: [InspectNote] = []

    public var trainableParameters: Int? { peft?.trainableParameters ?? count?.trainableParameters }
    public var decayedParameters: Int? { peft?.decayedParameters ?? count?.decayedParameters }
    /// Base + trained parameters, when the base checkpoint was given.
    public var allParameters: Int? {
        if let count { return count.allParameters }
        return nil
    }

    init(settings: AdapterSettings?) {
        self.settings = settings
    }

    /// nil when nothing describes an adapter.
    init?(config: AdapterSettings?, peft: PeftAdapter?, checkpoint: Checkpoint?, model: ModelSummary?) {
        guard let chosen = peft?.settings ?? config else { return nil }
        settings = chosen
        self.peft = peft
        if let peft, let config, config.isLoRA,
           (config.rank, config.alpha, config.useDoRA, config.useRSLoRA) != (peft.settings.rank, peft.settings.alpha, peft.settings.useDoRA, peft.settings.useRSLoRA) {
            notes.append(InspectNote(.adapter, "the config's adapter (r \(config.rank), α \(Self.number(config.alpha))) differs from the adapter folder's (r \(peft.settings.rank), α \(Self.number(peft.settings.alpha))); the folder's is reported"))
        }
        if let checkpoint, let model, chosen.isLoRA {
            let count = LoRACount(adapter: chosen, checkpoint: checkpoint, summary: model)
            self.count = count
            notes += count.notes
            if let peft, count.trainableParameters != peft.trainableParameters {
                notes.append(InspectNote(.adapter, "the adapter folder holds \(peft.trainableParameters) trained parameters, but its settings on this base checkpoint give \(count.trainableParameters): is this the adapter's base model?"))
            }
        } else if chosen.isLoRA && peft == nil {
            notes.append(InspectNote(.adapter, "the adapter's parameter count needs the base model: pass its checkpoint with --model"))
        }
        if chosen.kind == "qlora" {
            notes.append(InspectNote(.approximation, "qlora loads the base in 4 bits: the counts are of elements, as peft prints them for the LoRA factors; the base's own count under bitsandbytes was not checked here"))
        }
    }

    static func number(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)" }
}
