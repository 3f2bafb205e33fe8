import TextSupport

/// Everything `inspect` found: the model's tensors under both rules, the
/// adapter and what it trains, the schedule's effect, the kind of run, the
/// verdict, and every note on the way.
public struct InspectReport: Sendable {
    /// What the command was given.
    public struct Request: Sendable {
        /// Up to two: a base checkpoint and/or a PEFT adapter folder.
        public var modelPaths: [String] = []
        public var configPath: String?
        public var examples: Int?
        public var tokens: Int?
        /// `--from-scratch`, `--full` or `--adapter`.
        public var runKind: RunKind?

        public init(modelPaths: [String] = [], configPath: String? = nil, examples: Int? = nil, tokens: Int? = nil, runKind: RunKind? = nil) {
            self.modelPaths = modelPaths
            self.configPath = configPath
            self.examples = examples
            self.tokens = tokens
            self.runKind = runKind
        }
    }

    public var model: ModelSummary?
    public var checkpoint: Checkpoint?
    public var peft: PeftAdapter?
    public var schedule: ScheduleSummary?
    public var adapter: AdapterReport?
    public var runKind: RunKind?
    public var runKindReason: String?
    public var verdict: Verdict?
    public var notes: [InspectNote] = []

    public init(model: ModelSummary?, schedule: ScheduleSummary?) {
        self.model = model
        self.schedule = schedule
    }

    /// Reads what was given. - Parameters: as the command's options.
    public static func make(modelPath: String?, configPath: String?, examples: Int?) throws -> InspectReport {
        try make(Request(modelPaths: modelPath.map { [$0] } ?? [], configPath: configPath, examples: examples))
    }

    public static func make(_ request: Request) throws -> InspectReport {
        var report = InspectReport(model: nil, schedule: nil)
        try report.readModels(request.modelPaths)
        let config = try request.configPath.map { try TrainingConfig.load(path: $0) }
        if let config {
            report.notes += config.notes
            let summary = try ScheduleSummary(config: config, examples: request.examples, tokens: request.tokens)
            report.notes += summary.notes
            report.schedule = summary
        }
        report.adapter = AdapterReport(config: config?.adapter, peft: report.peft, checkpoint: report.checkpoint, model: report.model)
        if let adapter = report.adapter { report.notes += adapter.notes }
        report.decideRunKind(config: config, override: request.runKind)
        if let summary = report.schedule, let kind = report.runKind {
            report.verdict = Verdict(summary: summary, runKind: kind, adapter: report.adapter?.settings)
        }
        return report
    }

    /// A base checkpoint and a PEFT adapter folder, in either order.
    mutating func readModels(_ paths: [String]) throws {
        guard paths.count <= 2 else {
            throw InspectError(path: paths[2], message: "--model was given \(paths.count) times", hint: "give a base checkpoint, a PEFT adapter folder, or one of each", kind: .usage)
        }
        for path in paths {
            if PeftAdapter.isAdapterFolder(path) {
                guard peft == nil else { throw InspectError(path: path, message: "two adapter folders were given", hint: "give one adapter and its base checkpoint", kind: .usage) }
                peft = try PeftAdapter.load(folder: path)
                notes += peft!.notes
            } else {
                guard checkpoint == nil else { throw InspectError(path: path, message: "two base checkpoints were given", hint: "give one checkpoint and, if you like, one adapter folder", kind: .usage) }
                let loaded = try Checkpoint.load(path: path)
                checkpoint = loaded
                model = ModelSummary(checkpoint: loaded)
            }
        }
    }

    /// A flag decides; else an adapter folder, else what the config says,
    /// else (a TrainingArguments or TRL file says nothing) a fine-tune,
    /// which is what the Trainer and TRL are mostly used for.
    mutating func decideRunKind(config: TrainingConfig?, override: RunKind?) {
        if let override {
            runKind = override
            runKindReason = "given on the command line"
        } else if peft != nil {
            runKind = .adapter
            runKindReason = "--model is a PEFT adapter folder"
        } else if let hint = config?.runKindHint {
            runKind = hint.kind
            runKindReason = hint.reason
        } else if let config {
            runKind = .fullFineTune
            if case .trl(let name) = config.format {
                runKindReason = "TRL's trainers (\(name)) train a pretrained model, which the file does not name; pass --adapter if it trains one with peft, --from-scratch if it starts from random weights"
            } else {
                runKindReason = "assumed: the file does not say where training starts, and the Trainer mostly fine-tunes pretrained models; pass --from-scratch if this run starts from random weights"
            }
        }
        if let runKind, runKind == .adapter, adapter == nil {
            adapter = AdapterReport(settings: nil)
        }
        if let kind = runKind, let reason = runKindReason {
            notes.append(InspectNote(.runKind, "run kind: \(kind.title) (\(reason))"))
        }
    }
}
