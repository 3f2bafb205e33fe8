import DecayEngine

/// One `## ` section of a lesson: prose to read, an experiment to watch, and
/// optionally something to do.
public struct Step: Sendable, Equatable {
    public var title: String
    /// The step's Markdown with the `experiment`, `goal` and `sweep` blocks
    /// taken out, for the prose pane.
    public var prose: String
    public var spec: ExperimentSpec
    /// The live controls in the order the learner cycles through them.
    public var controls: [StepControl]
    public var charts: [Chart]
    public var goal: Goal?
    public var sweep: SweepSpec?
    /// The line of the `## ` heading.
    public var line: Int

    public init(title: String, prose: String, spec: ExperimentSpec, controls: [StepControl] = [.lambda],
                charts: [Chart] = [.loss, .norms], goal: Goal? = nil, sweep: SweepSpec? = nil, line: Int = 0) {
        self.title = title
        self.prose = prose
        self.spec = spec
        self.controls = controls
        self.charts = charts
        self.goal = goal
        self.sweep = sweep
        self.line = line
    }
}
