/// The named family a parameter tensor belongs to. Decay is switched on or
/// off per group, so "exclude biases and LayerNorm from decay" is one switch
/// each.
public enum ParameterGroup: String, CaseIterable, Codable, Sendable, Comparable {
    case weights
    case biases
    /// LayerNorm gains and shifts (`groups.norms` in a lesson file).
    case layerNorms = "norms"
    case embeddings

    public static func < (a: ParameterGroup, b: ParameterGroup) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
