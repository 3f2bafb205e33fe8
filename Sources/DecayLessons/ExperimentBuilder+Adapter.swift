import DecayEngine

/// The LoRA keys of an experiment block or a run, named as peft's
/// `LoraConfig` names its fields: `adapter = lora` (or `none`: full
/// fine-tuning), `rank` (r), `alpha` (lora_alpha), `rslora` (use_rslora),
/// `lora_dropout` and `adapter_targets` (which linear layers).
extension ExperimentBuilder {
    static let adapterKeys = ["adapter", "rank", "alpha", "rslora", "lora_dropout", "adapter_targets"]

    /// What one scope writes of the adapter, each with its entry.
    struct AdapterReading {
        /// true: `adapter = lora`; false: `adapter = none`.
        var lora: (Bool, BlockEntry)?
        var rank: (Int, BlockEntry)?
        var alpha: (Float, BlockEntry)?
        var rsLoRA: (Bool, BlockEntry)?
        var targets: ([AdapterTarget], BlockEntry)?
        var loraDropout: (Float, BlockEntry)?

        /// The entries that shape an adapter (all but `adapter` itself).
        var settings: [BlockEntry] {
            [rank?.1, alpha?.1, rsLoRA?.1, targets?.1, loraDropout?.1].compactMap { $0 }
        }
    }

    /// Reads `e` into `a` if it is an adapter key; false otherwise.
    mutating func readAdapterEntry(_ e: BlockEntry, into a: inout AdapterReading) -> Bool {
        switch e.key {
        case "adapter": a.lora = r.word(e, ["lora", "none"]).map { ($0 == "lora", e) }
        case "rank":
            a.rank = r.integer(e, SettingBounds.rank, "r must be a whole number from 1 to \(SettingBounds.rank.upperBound)").map { ($0, e) }
        case "alpha": a.alpha = r.real(e, SettingBounds.alpha.contains, SettingBounds.alphaText).map { ($0, e) }
        case "rslora": a.rsLoRA = r.bool(e).map { ($0, e) }
        case "lora_dropout":
            a.loraDropout = r.real(e, SettingBounds.dropout.contains, SettingBounds.loraDropoutText).map { ($0, e) }
        case "adapter_targets":
            if let t = r.words(e, AdapterTarget.self) {
                if t.isEmpty { r.fail(e, "`adapter_targets` names no layer", suggestion: "for example `[hidden]`") } else { a.targets = (t, e) }
            }
        default: return false
        }
        return true
    }

    /// The experiment's adapter (nil: full fine-tuning) and each run's own
    /// where it differs, written into `runSpecs`. A run inherits the
    /// experiment's adapter and may change any of its settings;
    /// `adapter = lora` in a run of a fully fine-tuned experiment starts
    /// from peft's defaults.
    mutating func readAdapters(_ block: Block, top: Scope, runs: [Scope], into runSpecs: inout [RunSpec]) -> AdapterSpec? {
        let inherited = Self.adapter(AdapterSpec(), top.adapter)
        let topAdapter = (top.adapter.lora?.0 ?? false) ? inherited : nil
        for (i, scope) in runs.enumerated() where i < runSpecs.count {
            let a = scope.adapter
            runSpecs[i].loraDropout = a.loraDropout?.0
            let shaped = a.rank != nil || a.alpha != nil || a.rsLoRA != nil || a.targets != nil
            switch a.lora?.0 {
            case false?: runSpecs[i].adapter = .full
            case true?: runSpecs[i].adapter = .lora(Self.adapter(inherited, a))
            case nil: if shaped, let topAdapter { runSpecs[i].adapter = .lora(Self.adapter(topAdapter, a)) }
            }
        }
        return topAdapter
    }

    /// `base` with a scope's settings written over it.
    static func adapter(_ base: AdapterSpec, _ a: AdapterReading) -> AdapterSpec {
        var spec = base
        if let r = a.rank?.0 { spec.rank = r }
        if let v = a.alpha?.0 { spec.alpha = v }
        if let v = a.rsLoRA?.0 { spec.rsLoRA = v }
        if let t = a.targets?.0 { spec.targets = t }
        return spec
    }

    /// Settings that would do nothing, and adapters that fit no layer.
    mutating func checkAdapters(_ block: Block, spec: ExperimentSpec, top: Scope, runs: [Scope],
                                controls: [StepControl]) {
        let adapted = spec.resolvedRuns.map { spec.adapter(of: $0) != nil }
        let anyAdapted = adapted.contains(true)
        let note = "add `adapter = lora` (in the experiment, or in the runs that train one)"
        // A setting in the experiment serves any run with an adapter; in a
        // run, that run must have one.
        for e in top.adapter.settings where !anyAdapted {
            r.diagnostics.error(e.line, column: e.keyColumn, "`\(e.key)` applies to a LoRA adapter, and no run trains one",
                                suggestion: note)
        }
        for (i, scope) in runs.enumerated() where i < adapted.count && !adapted[i] {
            for e in scope.adapter.settings {
                r.diagnostics.error(e.line, column: e.keyColumn,
                                    "`\(e.key)` applies to a LoRA adapter, and this run trains the whole model", suggestion: note)
            }
        }
        checkTargets(block, spec: spec, top: top, runs: runs)
        checkAdapterGroups(spec: spec, top: top, runs: runs, adapted: adapted)
        if controls.contains(.loraDropout) && !anyAdapted, let e = block.entry("controls") {
            r.diagnostics.error(e.line, column: e.valueColumn, "the `lora_dropout` control needs a run with a LoRA adapter",
                                suggestion: note)
        }
    }

    /// Every adapter must find the layers it targets.
    private mutating func checkTargets(_ block: Block, spec: ExperimentSpec, top: Scope, runs: [Scope]) {
        let layers = spec.model.layers(inputWidth: 1, outputWidth: 1, vocabulary: max(spec.data.vocabulary, 1), dropout: 0)
        let scopes = [(top, spec.adapter)] + zip(runs, spec.runs).map { ($0, spec.adapter(of: $1)) }
        var reported = Set<Int>()
        for (scope, adapter) in scopes {
            guard let adapter, adapter.targetedLayers(layers).isEmpty,
                  let e = scope.adapter.targets?.1 ?? scope.adapter.lora?.1 ?? top.adapter.targets?.1 ?? top.adapter.lora?.1,
                  reported.insert(e.line).inserted else { continue }
            r.diagnostics.error(e.line, column: e.valueColumn,
                                "adapter_targets = [\(adapter.targets.map(\.rawValue).joined(separator: ", "))] matches no layer of this model",
                                suggestion: spec.model.hidden.isEmpty || spec.model.kind == .linear
                                    ? "this model has only its output layer: use `adapter_targets = [head]`"
                                    : "name `hidden` (every linear layer but the output) or `head` (the output layer)")
        }
    }

    /// `groups.adapters` needs an adapter; a base group switches nothing
    /// when every run freezes the base.
    private mutating func checkAdapterGroups(spec: ExperimentSpec, top: Scope, runs: [Scope], adapted: [Bool]) {
        for (index, scope) in ([top] + runs).enumerated() {
            let runIndex = index - 1
            let hasAdapter = runIndex < 0 ? adapted.contains(true) : (runIndex < adapted.count && adapted[runIndex])
            let fullyAdapted = runIndex < 0 ? !adapted.contains(false) : hasAdapter
            for (g, (_, e)) in scope.groups {
                if g == .adapters && !hasAdapter {
                    r.diagnostics.error(e.line, column: e.keyColumn, "`groups.adapters` switches decay of LoRA factors, and no run here has an adapter",
                                        suggestion: "add `adapter = lora`")
                } else if g != .adapters && fullyAdapted {
                    r.diagnostics.error(e.line, column: e.keyColumn,
                                        "with a LoRA adapter the model's \(g.rawValue) are frozen: `groups.\(g.rawValue)` switches nothing",
                                        suggestion: "only `groups.adapters` applies (the factors A and B)")
                }
            }
        }
    }
}
