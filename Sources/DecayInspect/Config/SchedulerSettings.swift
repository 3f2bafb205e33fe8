import TextSupport

/// The schedule's name and its keyword arguments, for both formats.
enum SchedulerSettings {
    /// The keyword arguments each schedule's function takes in
    /// `transformers.get_scheduler` (anything else raises a TypeError there).
    static let keywords: [LearningRateSchedule.Kind: Set<String>] = [
        .linear: [], .constant: [], .constantWithWarmup: [],
        .cosine: ["num_cycles"], .cosineWithRestarts: ["num_cycles"],
        .polynomial: ["lr_end", "power"], .inverseSqrt: ["timescale"],
        .cosineWithMinLR: ["num_cycles", "min_lr", "min_lr_rate"],
    ]

    static func apply(_ f: ConfigFields, schedulerKey: String, kwargsKey: String, to c: inout TrainingConfig) throws {
        if let name = try f.string(schedulerKey) {
            guard let kind = LearningRateSchedule.Kind(rawValue: name) else {
                if let why = LearningRateSchedule.notModelled[name] ?? (name == "one_cycle" || name == "rex" ? "Axolotl runs it with its own scheduler, not modelled by inspect" : nil) {
                    throw f.error(schedulerKey, "the \(Quote.code(name)) schedule cannot be followed: \(why)",
                                  hint: "inspect follows " + LearningRateSchedule.Kind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                let all = LearningRateSchedule.Kind.allCases.map(\.rawValue) + LearningRateSchedule.notModelled.keys.sorted()
                let hint = Suggestion.closest(to: name, among: all).map { "did you mean `\($0)`?" }
                    ?? "expected one of " + LearningRateSchedule.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw f.error(schedulerKey, "unknown \(schedulerKey) \(Quote.code(name))", hint: hint)
            }
            c.scheduler = kind
            c.schedulerName = name
        }
        guard let entry = f.present(kwargsKey) else { return }
        guard case .map(let kwargs) = entry.value else {
            throw f.error(kwargsKey, "`\(kwargsKey)` is \(entry.value.kindName), not a mapping of keyword arguments")
        }
        let k = ConfigFields(entries: kwargs, path: f.path, numbersAsStrings: f.numbersAsStrings)
        try k.checkKeys(known: keywords[c.scheduler] ?? [], format: "the \(c.schedulerName) schedule's keyword arguments")
        c.numCycles = try k.double("num_cycles", in: 0...1e6, what: "a number of cycles is ≥ 0")
        c.power = try k.double("power", in: 0...1e3, what: "a power is ≥ 0")
        c.lrEnd = try k.double("lr_end", in: 0...1e6, what: "an end rate is ≥ 0")
        c.timescale = try k.integer("timescale", in: 1...Int(Int32.max), what: "a timescale is ≥ 1")
        c.minLR = try k.double("min_lr", in: 0...1e6, what: "a floor is ≥ 0")
        c.minLRRate = try k.double("min_lr_rate", in: 0...1, what: "a floor's rate lies in [0, 1]")
        for key in kwargs.keys { if let line = kwargs[key]?.line { c.lines["\(kwargsKey).\(key)"] = line } }
    }

    /// The schedule for a config and its step plan; checks what
    /// `get_scheduler` itself would refuse.
    static func schedule(_ c: TrainingConfig, plan: StepPlan) throws -> LearningRateSchedule {
        var s = LearningRateSchedule(kind: c.scheduler, peak: c.learningRate, warmupSteps: plan.warmupSteps, totalSteps: plan.steps)
        if let n = c.numCycles { s.numCycles = n }
        if let p = c.power { s.power = p }
        if let e = c.lrEnd { s.lrEnd = e }
        s.timescale = c.timescale
        if c.scheduler == .polynomial, !(c.learningRate > s.lrEnd) {
            throw InspectError(path: c.path, line: c.lines["learning_rate"],
                               message: "the polynomial schedule needs lr_end (\(s.lrEnd)) below the learning rate (\(c.learningRate))")
        }
        if c.scheduler == .cosineWithMinLR {
            switch (c.minLR, c.minLRRate) {
            case (let a?, _?): _ = a
                throw InspectError(path: c.path, message: "cosine_with_min_lr takes min_lr or min_lr_rate, not both")
            case (let m?, nil):
                guard c.learningRate > 0 else { throw InspectError(path: c.path, message: "min_lr needs a positive learning rate") }
                s.minLRRate = m / c.learningRate
            case (nil, let r?): s.minLRRate = r
            case (nil, nil):
                throw InspectError(path: c.path, message: "cosine_with_min_lr needs min_lr or min_lr_rate in its keyword arguments")
            }
        }
        return s
    }
}
