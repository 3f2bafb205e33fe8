import DecayEngine

extension ExperimentBuilder {
    /// `related = ρ` (tokens, with pretraining): the experiment's data is a
    /// task related to the one pretraining learns, its hidden token scores
    /// correlating ρ with the pretraining task's (see
    /// `DataSpec.taskCorrelation`). Without pretraining there is nothing for
    /// it to be related to, so that is an error rather than a silent no-op.
    mutating func readRelated(_ block: Block) -> Float? {
        guard let e = block.entry("related") else { return nil }
        guard let rho = r.real(e, { $0 >= 0 && $0 <= 1 }, "related must be in [0, 1] (a correlation)") else { return nil }
        if block.entry("pretrain.train") == nil && block.entry("pretrain.steps") == nil {
            r.diagnostics.error(e.line, column: e.keyColumn, "`related` needs pretraining: it says how close this task is to the pretrained one",
                                suggestion: "add `pretrain.train = ` and `pretrain.steps = `, or remove `related`")
            return nil
        }
        return rho
    }
}
