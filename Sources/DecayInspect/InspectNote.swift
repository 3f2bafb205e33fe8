/// Something the reader of a report should know that does not stop it: a
/// key the real tool ignores, a value it would change, a number that
/// cannot be predicted exactly. Every note appears in the text report and,
/// with its code, in `--json`.
public struct InspectNote: Equatable, Sendable {
    public enum Code: String, Sendable, CaseIterable {
        /// A key no schema of the format has; the tool ignores (Axolotl) or refuses (HfArgumentParser) it.
        case unknownKey = "unknown_key"
        /// A plugin's key whose plugin is not listed in `plugins:`.
        case pluginNotListed = "plugin_not_listed"
        /// `plugins:` names a plugin that is not bundled with Axolotl; its keys cannot be checked.
        case unknownPlugin = "unknown_plugin"
        /// A key only an older transformers release had.
        case legacyKey = "legacy_key"
        /// A TRL config read from a partial file: which class, and whose defaults.
        case configClass = "config_class"
        /// A setting the tool ignores in this combination.
        case ignoredSetting = "ignored_setting"
        /// Warm-up as long as the run or longer.
        case warmupCoversRun = "warmup_covers_run"
        /// Axolotl's step estimate uses a batch size other than the real one.
        case batchMismatch = "batch_mismatch"
        /// Examples held out by `val_set_size` before the steps are counted.
        case validationSplit = "validation_split"
        /// A number the tool computes from data inspect does not see.
        case notPredictable = "not_predictable"
        /// A schedule or rule inspect follows only within stated limits.
        case approximation
        /// The optimizer's decay is not p ← p·(1 − lr_t·λ).
        case decayRule = "decay_rule"
        /// How the run kind (from scratch, full fine-tune, adapters) was decided.
        case runKind = "run_kind"
        /// What a value the tool would refuse or crash on.
        case toolError = "tool_error"
        /// Adapter settings: what is trained and what is not known without the base model.
        case adapter
    }

    public var code: Code
    public var message: String
    /// The config line the note is about, when there is one.
    public var line: Int?

    public init(_ code: Code, _ message: String, line: Int? = nil) {
        self.code = code
        self.message = message
        self.line = line
    }
}
