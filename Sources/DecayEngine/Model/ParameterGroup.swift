/// The named family a parameter tensor belongs to. Decay is switched on or
/// off per group, so "exclude biases and LayerNorm from decay" is one switch
/// each. A frozen tensor (the base weights under a LoRA adapter) is in no
/// group that counts: it is not in `Network.parameters`, so no optimizer,
/// decay switch, norm or penalty ever sees it.
public enum ParameterGroup: String, CaseIterable, Codable, Sendable, Comparable {
    case weights
    case biases
    /// LayerNorm gains and shifts (`groups.norms` in a lesson file).
    case layerNorms = "norms"
    case embeddings
    /// The trainable factors A and B of LoRA adapters (`LoRALinear`).
    case adapters

    public static func < (a: ParameterGroup, b: ParameterGroup) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
