/// How weight decay enters a step, in PyTorch's conventions.
public enum DecayMode: String, Sendable, CaseIterable, Codable {
    /// No decay.
    case none
    /// Coupled L2: g ← g + λ·p before the optimizer, i.e. the loss gains
    /// (λ/2)·‖p‖². This is `weight_decay` in `torch.optim.SGD` and `Adam`.
    case l2
    /// Decoupled: p ← p·(1 − lr·λ) before the optimizer step, as `AdamW`
    /// (and SGDW). The shrink is scaled by the current learning rate, so a
    /// schedule anneals it too.
    case decoupled
    /// p ← p·(1 − η_t·λ) before the step, η_t being the schedule's
    /// multiplier (this step's lr ÷ the optimizer's base lr): the AdamW
    /// paper's form. It anneals with the schedule like decoupled decay but
    /// does not scale with the base learning rate; at a constant lr it is
    /// p ← p·(1 − λ).
    case independent
}

/// What weight decay pulls the parameters toward.
public enum DecayTarget: String, Sendable, CaseIterable, Codable {
    /// The origin: the usual weight decay.
    case zero
    /// The run's initial parameters p₀ (the pretrained ones when the run
    /// starts from pretraining): L2-SP. L2 adds λ·(p − p₀) to the gradient;
    /// decoupled decay is p ← p − lr_t·λ·(p − p₀); independent decay
    /// p ← p − η_t·λ·(p − p₀).
    case initial = "init"
}
