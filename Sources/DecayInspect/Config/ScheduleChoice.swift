import TextSupport

/// The schedule a config asks for, before the step count is known: the
/// name, its keyword arguments, and Axolotl's own schedule settings.
public struct ScheduleChoice: Equatable, Sendable {
    /// As written (`lr_scheduler_type` / `lr_scheduler`), or the default.
    public var name = "linear"
    /// nil when the rates cannot be known before the run (reduce_lr_on_plateau).
    public var kind: LearningRateSchedule.Kind? = .linear
    public var numCycles: Double?
    public var power: Double?
    public var lrEnd: Double?
    public var timescale: Int?
    public var minLR: Double?
    public var minLRRate: Double?
    public var warmupLRRate: Double?
    public var wsd = WSDSettings()
    public var oneCycle = OneCycleSettings()
    /// Axolotl's `cosine_constant_lr_ratio`.
    public var constantLRRatio: Double = 1
    public var jagged: JaggedRestarts?
    /// How the report names what runs ("cosine, floor 10% (Axolotl's cosine_min_lr_ratio)").
    public var description = "linear"
}

/// Reading the schedule settings of either format.
enum ScheduleReader {
    static let allNames: [String] = ConfigSchemas.shared.schedulers + ConfigSchemas.shared.axolotlSchedulers

    /// `lr_scheduler_type` (or Axolotl's `lr_scheduler`) and its keyword arguments.
    static func read(_ f: ConfigFields, schedulerKey: String, kwargsKey: String, into c: inout TrainingConfig) throws {
        var s = c.scheduler
        if let name = try f.string(schedulerKey) {
            s.name = name
            s.description = name
            if LearningRateSchedule.unpredictable[name] != nil {
                s.kind = nil
            } else if let kind = LearningRateSchedule.Kind(rawValue: name),
                      ConfigSchemas.shared.schedulers.contains(name) || (c.format == .axolotl && ConfigSchemas.shared.axolotlSchedulers.contains(name)) {
                s.kind = kind
            } else {
                let hint = Suggestion.closest(to: name, among: c.format == .axolotl ? allNames : ConfigSchemas.shared.schedulers)
                    .map { "did you mean `\($0)`?" } ?? "expected one of " + ConfigSchemas.shared.schedulers.joined(separator: ", ")
                throw f.error(schedulerKey, "unknown \(schedulerKey) \(Quote.code(name))", hint: hint)
            }
        }
        c.scheduler = s
    }

    static func readKeywords(_ f: ConfigFields, kwargsKey: String, into c: inout TrainingConfig) throws {
        guard let entry = f.present(kwargsKey) else { return }
        guard case .map(let kwargs) = entry.value else {
            throw f.error(kwargsKey, "`\(kwargsKey)` is \(entry.value.kindName), not a mapping of keyword arguments")
        }
        for key in kwargs.keys { if let line = kwargs[key]?.line { c.lines["\(kwargsKey).\(key)"] = line } }
        guard !kwargs.isEmpty else { return }
        let name = c.scheduler.name
        let k = ConfigFields(entries: kwargs, path: f.path, numbersAsStrings: f.numbersAsStrings)
        if name == "rex" || (c.format == .axolotl && axolotlOwnSchedule(c)) {
            c.notes.append(InspectNote(.ignoredSetting, "`\(kwargsKey)` is ignored: Axolotl builds this schedule without keyword arguments", line: entry.line))
            return
        }
        if name == "one_cycle" {
            try k.checkKeys(known: ["pct_start", "anneal_strategy", "div_factor", "final_div_factor", "three_phase",
                                    "cycle_momentum", "base_momentum", "max_momentum"], format: "OneCycleLR")
            c.scheduler.oneCycle.pctStart = try k.double("pct_start", in: 0...1, what: "OneCycleLR needs pct_start in [0, 1]")
            if let a = try k.choice("anneal_strategy", among: ["cos", "linear"]) { c.scheduler.oneCycle.annealCosine = a == "cos" }
            if let d = try k.double("div_factor", in: 1e-12...1e12, what: "a division factor is positive") { c.scheduler.oneCycle.divFactor = d }
            if let d = try k.double("final_div_factor", in: 1e-12...1e15, what: "a division factor is positive") { c.scheduler.oneCycle.finalDivFactor = d }
            if let t = try k.bool("three_phase") { c.scheduler.oneCycle.threePhase = t }
            return
        }
        guard let allowed = ConfigSchemas.shared.schedulerKeywords[name] else { return }
        guard let allowed else {
            c.notes.append(InspectNote(.ignoredSetting, "`\(kwargsKey)` is ignored: get_scheduler builds \(name) without keyword arguments", line: entry.line))
            return
        }
        if c.scheduler.kind == nil { return }
        try k.checkKeys(known: Set(allowed), format: "the \(name) schedule's keyword arguments (get_scheduler raises a TypeError for others)")
        if k.present("last_epoch") != nil {
            throw k.error("last_epoch", "`last_epoch` resumes a schedule part-way; inspect follows a run from its start", hint: "remove it to see the whole run")
        }
        try readSchedulerNumbers(k, into: &c.scheduler)
    }

    static func readSchedulerNumbers(_ k: ConfigFields, into s: inout ScheduleChoice) throws {
        s.numCycles = try k.double("num_cycles", in: 0...1e6, what: "a number of cycles is ≥ 0")
        s.power = try k.double("power", in: 0...1e3, what: "a power is ≥ 0")
        s.lrEnd = try k.double("lr_end", in: 0...1e6, what: "an end rate is ≥ 0")
        s.timescale = try k.integer("timescale", in: 1...Int(Int32.max), what: "a timescale is ≥ 1")
        s.minLR = try k.double("min_lr", in: 0...1e6, what: "a floor is ≥ 0")
        s.minLRRate = try k.double("min_lr_rate", in: 0...1, what: "a floor's rate lies in [0, 1]")
        s.warmupLRRate = try k.double("warmup_lr_rate", in: 0...1, what: "a starting rate lies in [0, 1]")
        if let d = try k.integer("num_decay_steps", in: 0...Int(Int32.max), what: "a number of steps is ≥ 0") { s.wsd.numDecaySteps = d }
        s.wsd.numStableSteps = try k.integer("num_stable_steps", in: 0...Int(Int32.max), what: "a number of steps is ≥ 0")
        if let t = try k.choice("warmup_type", among: ["linear", "cosine", "1-sqrt"]) { s.wsd.warmupType = t }
        if let t = try k.choice("decay_type", among: ["linear", "cosine", "1-sqrt"]) { s.wsd.decayType = t }
        if let r = try k.double("min_lr_ratio", in: 0...1, what: "a floor's ratio lies in [0, 1]") { s.wsd.minLRRatio = r }
        if s.kind == .warmupStableDecay, k.present("num_decay_steps") == nil {
            throw InspectError(path: k.path, message: "warmup_stable_decay needs num_decay_steps in its keyword arguments (get_wsd_schedule has no default)")
        }
    }

    /// TrainingArguments refuses reduce_lr_on_plateau without an eval strategy
    /// ("lr_scheduler_type reduce_lr_on_plateau requires an eval strategy").
    static func requireEvaluation(_ c: TrainingConfig, evaluates: Bool, schedulerKey: String) throws {
        guard c.scheduler.name == "reduce_lr_on_plateau", !evaluates else { return }
        throw InspectError(path: c.path, line: c.lines[schedulerKey],
                           message: "reduce_lr_on_plateau lowers the rate when the evaluation loss stalls, so TrainingArguments refuses it without an eval strategy",
                           hint: c.format == .axolotl ? "hold out data (val_set_size or test_datasets) and set eval_steps or evals_per_epoch" : "set eval_strategy to \"steps\" or \"epoch\"")
    }

    /// Whether Axolotl's SchedulerMixin replaces the Trainer's schedule.
    static func axolotlOwnSchedule(_ c: TrainingConfig) -> Bool {
        guard let kind = c.scheduler.kind else { return false }
        return [.axolotlCosineMinLR, .axolotlCosineDecayConstant, .axolotlQuadraticWarmup, .rex].contains(kind)
    }
}
