import TerminalUI

/// Axolotl's own schedule choice (its trainers' SchedulerMixin.create_scheduler):
/// `one_cycle` and `rex` replace the cosine; with `lr_scheduler: cosine`,
/// `lr_quadratic_warmup`, then `cosine_min_lr_ratio` with or without
/// `cosine_constant_lr_ratio`, pick Axolotl's cosine variants; any
/// schedule may be wrapped in ReLoRA-style restarts by `jagged_restart_steps`.
enum AxolotlScheduleChoice {
    static func apply(_ f: ConfigFields, to c: inout TrainingConfig) throws {
        let minRatio = try f.double("cosine_min_lr_ratio", in: 0...1, what: "Axolotl asserts 0 ≤ cosine_min_lr_ratio ≤ 1")
        let constantRatio = try f.double("cosine_constant_lr_ratio", in: 0...1, what: "Axolotl asserts 0 ≤ cosine_constant_lr_ratio ≤ 1")
        let quadratic = try f.bool("lr_quadratic_warmup") ?? false
        c.axolotl.cosineMinLRRatio = minRatio
        c.axolotl.cosineConstantLRRatio = constantRatio
        c.axolotl.quadraticWarmup = quadratic
        var s = c.scheduler
        let name = s.name
        let isCosine = name == "cosine" || name == "one_cycle" || name == "rex"
        let useMinLR = isCosine && minRatio != nil
        if name == "rex" {
            s.kind = .rex
            s.minLRRate = useMinLR ? minRatio! : 0
            s.description = "rex" + (useMinLR ? ", floor \(percent(minRatio!)) of the peak (cosine_min_lr_ratio)" : "") + " (Axolotl's RexLR)"
        } else if name == "one_cycle" {
            s.kind = .oneCycle
            s.description = "one_cycle (PyTorch's OneCycleLR as Axolotl builds it)"
            if minRatio != nil { ignored(&c, "cosine_min_lr_ratio", "one_cycle does not read it") }
        } else if name == "cosine" && quadratic {
            s.kind = .axolotlQuadraticWarmup
            s.description = "cosine with a quadratic warm-up (Axolotl's lr_quadratic_warmup)"
            if minRatio != nil { ignored(&c, "cosine_min_lr_ratio", "Axolotl uses the quadratic warm-up instead (it logs \"Both cosine quadratic warmup and min lr detected\")") }
        } else if name == "cosine", let r = minRatio, r != 0, let k = constantRatio, k != 0 {
            s.kind = .axolotlCosineDecayConstant
            s.minLRRate = r
            s.description = "cosine to \(percent(r)) of the peak by \(percent(k)) of the run, then constant (Axolotl's cosine_min_lr_ratio with cosine_constant_lr_ratio)"
        } else if name == "cosine", let r = minRatio, r != 0 {
            s.kind = .axolotlCosineMinLR
            s.minLRRate = r
            s.description = "cosine to a floor of \(percent(r)) of the peak (Axolotl's cosine_min_lr_ratio, the Trainer's cosine_with_min_lr)"
            if constantRatio != nil { ignored(&c, "cosine_constant_lr_ratio", "it applies only with cosine_min_lr_ratio") }
        } else {
            if minRatio != nil && !isCosine { ignored(&c, "cosine_min_lr_ratio", "it applies only with lr_scheduler: cosine, one_cycle or rex") }
            if constantRatio != nil && (!isCosine || minRatio == nil || minRatio == 0) {
                ignored(&c, "cosine_constant_lr_ratio", "it applies only with lr_scheduler: cosine and a nonzero cosine_min_lr_ratio")
            }
            if quadratic { ignored(&c, "lr_quadratic_warmup", "it applies only with lr_scheduler: cosine") }
        }
        if let k = constantRatio { s.constantLRRatio = k }
        s.jagged = try jagged(f, minRatio: minRatio)
        if let j = s.jagged {
            s.description += ", with restarts every \(j.steps) steps (jagged_restart_steps: warm-up \(j.warmupSteps), anneal \(j.annealSteps), floor \(NumberFormat.compact(j.minScale, significantDigits: 3)))"
        }
        c.scheduler = s
    }

    static func jagged(_ f: ConfigFields, minRatio: Double?) throws -> JaggedRestarts? {
        guard let steps = try f.integer("jagged_restart_steps", in: 0...Int(Int32.max), what: "a restart period is ≥ 1"), steps > 0 else {
            return nil
        }
        var j = JaggedRestarts(steps: steps)
        if let w = try f.integer("jagged_restart_warmup_steps", in: 0...Int(Int32.max), what: "a warm-up is ≥ 0"), w != 0 { j.warmupSteps = w }
        if let a = try f.integer("jagged_restart_anneal_steps", in: 0...Int(Int32.max), what: "an anneal is ≥ 0"), a != 0 { j.annealSteps = a }
        if let r = minRatio, r != 0 { j.minScale = r }
        return j
    }

    static func ignored(_ c: inout TrainingConfig, _ key: String, _ why: String) {
        c.notes.append(InspectNote(.ignoredSetting, "`\(key)` is ignored: \(why)", line: c.lines[key]))
    }

    static func percent(_ x: Double) -> String { NumberFormat.compact(100 * x, significantDigits: 3) + "%" }
}
