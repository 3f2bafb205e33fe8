import DecayEngine

extension ExperimentBuilder {
    mutating func readModel(_ block: Block) -> ModelReading {
        var m = ModelReading()
        if let e = block.entry("model") {
            m.kind = r.word(e, ModelSpec.Kind.self)
        } else {
            r.diagnostics.error(block.line, "missing required key `model`",
                                suggestion: "add `model = ` one of \(ModelSpec.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let e = block.entry("hidden"), let items = r.numbers(e, { $0 >= 1 && $0 <= 1024 && $0 == $0.rounded() },
                                                               "hidden widths are whole numbers 1…1024") {
            if items.count > 8 {
                r.fail(e, "`hidden` lists \(items.count) layers; at most 8")
            } else {
                m.hidden = items.map { Int($0) }
            }
        }
        m.activation = block.entry("activation").flatMap { r.word($0, Activation.Kind.self) } ?? .relu
        m.layerNorm = block.entry("layernorm").flatMap { r.bool($0) } ?? false
        m.embeddingDimension = block.entry("embedding_dim").flatMap { r.integer($0, 1...1024) }
        if let e = block.entry("init") { m.initialization = readInitialization(e) }
        return m
    }

    private mutating func readInitialization(_ e: BlockEntry) -> ModelSpec.Initialization {
        switch e.value {
        case .word("default"): break
        case let .call("normal", args):
            if args.count == 1, case let .number(std, _) = args[0], std > 0, std <= 100 {
                return .normal(std: Float(std))
            }
            r.fail(e, "`normal(STD)` takes one standard deviation in (0, 100]", suggestion: "for example `normal(0.01)`")
        case let .word(w), let .call(w, _):
            r.fail(e, "unknown init `\(excerpt(w))`", suggestion: "expected `default` or `normal(STD)`")
        default:
            r.fail(e, "`init` expects `default` or `normal(STD)`, got \(e.value.described)")
        }
        return .pytorchDefault
    }

    /// Checks the model against the data and the settings; returns what
    /// its runs can measure (before any adapter: `build` adds those, then
    /// checks the charts).
    mutating func checkModel(_ block: Block, _ m: ModelReading, dataKind: DataSpec.Kind, top: Scope, runs: [Scope],
                             plan: Plan) -> MetricScope {
        let classification = dataKind.isClassification
        guard let modelKind = m.kind else {
            return MetricScope(groups: [], classification: classification, embeddingRows: false, layerNorm: false,
                               initialParameters: true)
        }
        func entry(_ key: String) -> BlockEntry? { block.entry(key) }
        if modelKind == .linear {
            for key in ["hidden", "layernorm", "activation"] {
                if let e = entry(key) {
                    r.diagnostics.error(e.line, column: e.keyColumn, "`\(key)` does not apply to model = linear",
                                        suggestion: "a linear model has no hidden layers; use model = mlp")
                }
            }
        }
        if modelKind == .mlp && m.hidden.isEmpty && entry("hidden") == nil, let e = entry("model") {
            r.diagnostics.error(e.line, column: e.valueColumn,
                                "model = mlp needs hidden widths", suggestion: "add e.g. `hidden = [64, 64]`")
        }
        let dropoutEntries = ([top.dropout?.1] + runs.map { $0.dropout?.1 }).compactMap { $0 }
        if Self.wantsDropoutLayers(top: top, runs: runs, controls: plan.controls) && (modelKind == .linear || m.hidden.isEmpty),
           let e = dropoutEntries.first ?? entry("controls") {
            r.diagnostics.error(e.line, column: e.keyColumn, "dropout acts after hidden activations, and this model has none",
                                suggestion: "add `hidden = [...]` with model = mlp or embedding")
        }
        if (modelKind == .embedding) != (dataKind == .tokens), let e = entry(modelKind == .embedding ? "model" : "data") {
            r.diagnostics.error(e.line, column: e.valueColumn,
                                modelKind == .embedding ? "model = embedding needs data = tokens"
                                    : "data = tokens needs model = embedding (token ids are not features)",
                                suggestion: modelKind == .embedding ? "set `data = tokens`" : "set `model = embedding`")
        }
        if let e = entry("embedding_dim"), modelKind != .embedding {
            r.diagnostics.error(e.line, column: e.keyColumn, "`embedding_dim` applies only to model = embedding")
        }
        let groups = Set(ModelSpec(kind: modelKind, layerNorm: m.layerNorm).parameterGroups)
        for scope in [top] + runs {
            // `groups.adapters` is the adapter's to check (checkAdapters).
            for (g, (_, e)) in scope.groups where !groups.contains(g) && g != .adapters {
                r.diagnostics.error(e.line, column: e.keyColumn, "this model has no \(g.rawValue) parameters",
                                    suggestion: g == .layerNorms ? "`groups.norms` needs `layernorm = true`" : "`groups.embeddings` needs model = embedding")
            }
        }
        let scope = MetricScope(groups: Array(groups), classification: classification,
                                embeddingRows: groups.contains(.embeddings), layerNorm: groups.contains(.layerNorms),
                                initialParameters: true)
        return scope
    }

    /// Every chart must draw something: its metrics exist in this model,
    /// and the two charts that need more than a metric get it.
    mutating func checkCharts(_ block: Block, _ charts: [Chart], scope: MetricScope, dataKind: DataSpec.Kind, model m: ModelReading) {
        guard let e = block.entry("charts") else { return }
        for chart in charts {
            if let unmet = chart.kinds.map(\.requirement).first(where: { !scope.meets($0) }) {
                r.fail(e, "the `\(chart.rawValue)` chart needs \(unmet.lessonNeed)")
            }
        }
        if charts.contains(.fit) && dataKind != .polynomial {
            r.fail(e, "the `fit` chart needs data = polynomial (it plots a curve over one input)")
        }
        if charts.contains(.prenorm) && !(m.kind == .embedding && m.layerNorm) {
            r.fail(e, "the `prenorm` chart needs model = embedding with layernorm = true (a table that feeds a LayerNorm)")
        }
    }
}
