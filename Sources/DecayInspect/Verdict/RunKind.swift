/// Where a run starts, which decides what weight decay does to it: from
/// random weights (decay toward zero limits what the run builds), from a
/// pretrained model with every weight trained (decay pulls the pretrained
/// weights toward zero), or with adapters on a frozen base (decay pulls
/// the update ΔW, and so the model, toward the base).
public enum RunKind: String, CaseIterable, Sendable {
    case fromScratch = "from_scratch"
    case fullFineTune = "full_fine_tune"
    case adapter

    /// How the report names it.
    public var title: String {
        switch self {
        case .fromScratch: return "training from scratch"
        case .fullFineTune: return "full fine-tune of a pretrained model"
        case .adapter: return "adapters on a frozen pretrained model"
        }
    }
}
