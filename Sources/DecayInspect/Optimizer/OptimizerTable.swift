/// Every optimizer name the Trainer's `optim` (and so TRL's configs) and
/// Axolotl's `optimizer` accept, with its decay rule and the source it was
/// read from. A test holds the table to the generated schemas: a name
/// either tool accepts and this table lacks fails it. Versions: the
/// optimizer packages as published on PyPI when the table was written
/// (bitsandbytes 0.50, torchao 0.18, galore-torch 1.0, apollo-torch 1.0,
/// lomo-optim 0.1, schedulefree 1.4, torch-optimi 0.3, came-pytorch 0.1,
/// grokadamw 0.1, flashoptim 0.1, axolotl-contribs-mit 0.0.6).
public enum OptimizerTable {
    static let bnbAdam = "bitsandbytes AdamW: p ← p·(1 − lr·λ) in the 2-state ADAM update (backends/default/ops.py)"
    static let bnbAdEMAMix = "bitsandbytes AdEMAMix: p ← p·(1 − lr·λ) (backends/default/ops.py)"
    static let bnbLion = "bitsandbytes Lion: p ← p·(1 − lr·λ), decoupled unlike its other 1-state optimizers (backends/default/ops.py)"
    static let bnbRMSprop = "bitsandbytes RMSprop: g ← g + λ·p for MOMENTUM/RMSPROP/ADAGRAD (backends/default/ops.py)"
    static let torchao = "torchao.optim AdamW4bit/AdamW8bit: p ← p − lr·λ·p when IS_ADAMW (optim/adam.py)"
    static let scheduleFree = "λ·y added to the normalized gradient at the interpolated point y of the schedule-free iterates (schedulefree: \"Weight decay calculated at y\"); not a shrink of p by lr_t·λ"
    static let sgdNote = "the Trainer gives SGD momentum only through optim_args; without it p − lr·(g + λ·p) = (1 − lr·λ)·p − lr·g, the decoupled shrink exactly"

    static func entry(_ name: String, _ rule: DecayRule, _ source: String, note: String? = nil) -> (String, OptimizerInfo) {
        (name, OptimizerInfo(name: name, rule: rule, source: source, note: note))
    }

    /// transformers' `OptimizerNames`, and the names older releases had.
    static let trainer: [(String, OptimizerInfo)] = [
        entry("adamw_torch", .decoupled, "torch.optim.AdamW (transformers trainer_optimizer._get_adamw_torch)"),
        entry("adamw_torch_fused", .decoupled, "torch.optim.AdamW(fused=True)"),
        entry("adamw_torch_xla", .decoupled, "torch_xla.amp.syncfree.AdamW: adam_step(…, use_adamw=True)"),
        entry("adamw_torch_npu_fused", .decoupled, "torch_npu.optim.NpuFusedAdamW, an AdamW with decoupled weight decay (its documentation)"),
        entry("adafactor", .decoupled, "transformers.optimization.Adafactor: p ← p − λ·lr_t·p before the update; the Trainer sets relative_step=False and scale_parameter=False, so lr_t is the schedule's"),
        entry("adamw_anyprecision", .decoupled, "torchdistx AnyPrecisionAdamW: p.mul_(1 − lr·λ) (the class as published in meta-llama's anyprecision_optimizer.py)"),
        entry("adamw_torch_4bit", .decoupled, torchao),
        entry("adamw_torch_8bit", .decoupled, torchao),
        entry("ademamix", .decoupled, bnbAdEMAMix),
        entry("ademamix_8bit", .decoupled, bnbAdEMAMix),
        entry("paged_ademamix_32bit", .decoupled, bnbAdEMAMix),
        entry("paged_ademamix_8bit", .decoupled, bnbAdEMAMix),
        entry("sgd", .coupledL2, "torch.optim.SGD: g ← g + λ·p", note: sgdNote),
        entry("adagrad", .coupledL2, "torch.optim.Adagrad: g ← g + λ·p, then divided by the root of the summed squares",
              note: "Adagrad's lr_decay (in optim_args) lowers the learning rate; it is not weight decay"),
        entry("adamw_bnb_8bit", .decoupled, bnbAdam),
        entry("adamw_8bit", .decoupled, bnbAdam),
        entry("paged_adamw_32bit", .decoupled, bnbAdam),
        entry("paged_adamw_8bit", .decoupled, bnbAdam),
        entry("lion_8bit", .decoupled, bnbLion),
        entry("lion_32bit", .decoupled, bnbLion),
        entry("paged_lion_32bit", .decoupled, bnbLion),
        entry("paged_lion_8bit", .decoupled, bnbLion),
        entry("rmsprop", .coupledL2, "torch.optim.RMSprop: g ← g + λ·p, then divided by the root of the squares' average"),
        entry("rmsprop_bnb", .coupledL2, bnbRMSprop),
        entry("rmsprop_bnb_8bit", .coupledL2, bnbRMSprop),
        entry("rmsprop_bnb_32bit", .coupledL2, bnbRMSprop),
        entry("galore_adamw", .decoupled, "galore_torch AdamW: p.add_(p, alpha=−lr·λ)"),
        entry("galore_adamw_layerwise", .decoupled, "galore_torch AdamW, one per parameter: p.add_(p, alpha=−lr·λ)"),
        entry("galore_adamw_8bit", .decoupled, "galore_torch AdamW8bit: bitsandbytes' Adam with λ held back and applied as p.add_(p, alpha=−lr·λ)"),
        entry("galore_adamw_8bit_layerwise", .decoupled, "galore_torch AdamW8bit per parameter: p.add_(p, alpha=−lr·λ)"),
        entry("galore_adafactor", .decoupled, "galore_torch Adafactor: p.add_(p, alpha=−λ·lr) with Adafactor's step size lr"),
        entry("galore_adafactor_layerwise", .decoupled, "galore_torch Adafactor per parameter: p.add_(p, alpha=−λ·lr)"),
        entry("lomo", .decoupled, "lomo_optim LOMO: p.mul_(1 − lr·λ), with the Trainer passing the scheduled lr to each fused backward"),
        entry("adalomo", .decoupled, "lomo_optim AdaLomo: p.mul_(1 − lr·λ)"),
        entry("grokadamw", .decoupled, "grokadamw GrokAdamW: p.mul_(1 − lr·λ)"),
        entry("schedule_free_radam", .other(scheduleFree), "schedulefree RAdamScheduleFree"),
        entry("schedule_free_adamw", .other(scheduleFree), "schedulefree AdamWScheduleFree"),
        entry("schedule_free_sgd", .other(scheduleFree), "schedulefree SGDScheduleFree"),
        entry("apollo_adamw", .decoupled, "apollo_torch AdamW: p.add_(p, alpha=−lr·λ)"),
        entry("apollo_adamw_layerwise", .decoupled, "apollo_torch AdamW per parameter: p.add_(p, alpha=−lr·λ)"),
        entry("stable_adamw", .other("p ← p·(1 − λ·lr_t/max(1, RMS_t)), RMS_t the tensor's update size (StableAdamW): at most lr_t·λ per step, less when updates are large"),
              "torch-optimi StableAdamW with decouple_lr=False, as the Trainer builds it"),
        // transformers 4.x only
        entry("adamw_hf", .decoupled, "transformers.optimization.AdamW (4.x): p.add_(p, alpha=−lr·λ)"),
        entry("adamw_apex_fused", .decoupled, "apex.optimizers.FusedAdam, whose default adam_w_mode=True applies AdamW's decoupled decay"),
    ]

    /// Axolotl's own optimizers (`CustomSupportedOptimizers`), built by its trainer builder.
    static let axolotl: [(String, OptimizerInfo)] = [
        entry("optimi_adamw", .decoupled, "torch-optimi AdamW (decouple_lr=False): p ← p·(1 − lr·λ)"),
        entry("ao_adamw_4bit", .other("never built: Axolotl 0.19's trainer builder has no branch for it and raises ValueError(\"Unhandled optimizer\")"),
              "axolotl core/builders/base.py _configure_custom_optimizer", note: "use adamw_torch_4bit, the Trainer's name for torchao's AdamW4bit"),
        entry("ao_adamw_8bit", .other("never built: Axolotl 0.19's trainer builder has no branch for it and raises ValueError(\"Unhandled optimizer\")"),
              "axolotl core/builders/base.py _configure_custom_optimizer", note: "use adamw_torch_8bit, the Trainer's name for torchao's AdamW8bit"),
        entry("ao_adamw_fp8", .decoupled, "torchao.optim AdamWFp8: p ← p − lr·λ·p when IS_ADAMW"),
        entry("adopt_adamw", .decoupled, "axolotl ADOPT with decouple=True: param.add_(param, alpha=−lr·λ)"),
        entry("adamc", .lrSquaredOverMax, "axolotl utils/optimizers/adamc.py: decay = λ·lr·lr/max_lr, param.mul_(1 − decay); max_lr is the group's lr when built (the peak)"),
        entry("came_pytorch", .decoupled, "came_pytorch CAME: p.add_(p, alpha=−λ·lr)"),
        entry("muon", .decoupled, "axolotl-contribs-mit Muon: p.mul_(1 − lr·λ) for its matrices and its AdamW part",
              note: "Axolotl's Muon factory decays every ≥2-D trainable tensor (embed_tokens and lm_head through its AdamW part), ignoring the Trainer's no-decay list, and leaves 1-D tensors out of the optimizer"),
        entry("dion", .decoupled, "axolotl-contribs-mit Dion: X ← (1 − lr·λ)·X − …",
              note: "Dion's matrices use dion_lr as their lr; embed_tokens, lm_head and the Trainer's no-decay tensors get no decay"),
        entry("sinkgd", .decoupled, "axolotl utils/optimizers/sinkgd.py: p ← p·(1 − lr·λ)"),
        entry("polora", .none, "axolotl utils/optimizers/polora.py: the factory drops weight_decay (\"polora has no decay term\")"),
        entry("flash_adamw", .decoupled, "flashoptim FlashAdamW: weight_decay ×= lr, then p.mul_(1 − weight_decay)"),
        entry("flash_adam", .coupledL2, "flashoptim FlashAdam (not decoupled): grad.add_(p, alpha=λ)"),
        entry("flash_sgd", .coupledL2, "flashoptim FlashSGD (not decoupled): grad.add_(p, alpha=λ)"),
        entry("flash_sgdw", .decoupled, "flashoptim FlashSGDW: weight_decay ×= lr, then p.mul_(1 − weight_decay)"),
        entry("flash_lion", .decoupled, "flashoptim FlashLion: weight_decay ×= lr, then p.mul_(1 − weight_decay)"),
        entry("q_galore_adamw8bit", .decoupled, "q_galore_torch QGaLoreAdamW8bit: λ held back and applied as p.add_(p, alpha=−lr·λ)"),
    ]

    static let byName: [String: OptimizerInfo] = Dictionary(trainer + axolotl, uniquingKeysWith: { first, _ in first })

    /// The rule for `name`; a name the table lacks is `unknown`, never AdamW.
    public static func info(_ name: String) -> OptimizerInfo {
        byName[name] ?? OptimizerInfo(name: name, rule: .unknown, source: "not in inspect's optimizer table")
    }

    /// Every name in the table.
    public static var names: Set<String> { Set(byName.keys) }
}
