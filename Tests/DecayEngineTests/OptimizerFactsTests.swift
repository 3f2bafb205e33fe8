import DecayEngine
import Testing

/// What the program knows about an optimizer comes from the facts its
/// update rule's file declares: the cost estimate counts the state that rule
/// keeps, and messages list the optimizers that read a hyperparameter.
@Suite struct OptimizerFactsTests {
    /// A linear model on 10 inputs: 11 parameters in one run.
    static func spec(_ optimizer: OptimizerSpec) -> ExperimentSpec {
        ExperimentSpec(data: DataSpec(kind: .linearRegression, inputs: 10),
                       model: ModelSpec(kind: .linear), optimizer: optimizer, weightDecay: 0, steps: 10)
    }

    /// Per run the parameters, their gradients, the snapshot before each
    /// update (for ‖Δp‖) and the rule's state buffers; per seed the shared
    /// initial network (values and gradients). SGD without momentum keeps no
    /// buffer, with momentum one, Lion one (its momentum), Adam two (its
    /// moments).
    @Test(arguments: [
        (OptimizerSpec.Kind.sgd, Float(0), 0), (.sgd, 0.9, 1), (.lion, 0, 1), (.adam, 0, 2), (.adamw, 0, 2),
    ])
    func resourceEstimateCountsTheRulesOwnState(kind: OptimizerSpec.Kind, momentum: Float, buffers: Int) {
        let estimate = ResourceEstimate(spec: Self.spec(OptimizerSpec(kind: kind, learningRate: 0.01, momentum: momentum)))
        #expect(estimate.parameters == 11)
        #expect(estimate.modelBytes == 4 * 11 * ((3 + buffers) + 2), "\(kind) momentum \(momentum)")
    }

    /// A run that switches optimizer brings its own rule's state into the estimate.
    @Test func aRunsOwnOptimizerCounts() {
        var spec = Self.spec(OptimizerSpec(kind: .sgd, learningRate: 0.01))
        spec.runs = [RunSpec(name: "sgd"), RunSpec(name: "adam", optimizer: .adam)]
        #expect(ResourceEstimate(spec: spec).modelBytes == 4 * 11 * (2 * 3 + 2 + 2))   // two runs, Adam's two moments, one seed
    }

    /// Each kind's rule takes its own first step, in closed form: SGD moves
    /// by lr·g; Adam and AdamW (bias-corrected, m̂ = g, v̂ = g²) by
    /// lr·g/(|g| + ε), half of lr where |g| = ε; Lion by lr·sign(g) however
    /// small g is. The gradients include one at ε, which tells them apart.
    @Test(arguments: OptimizerSpec.Kind.allCases)
    func everyKindBuildsItsOwnRule(kind: OptimizerSpec.Kind) {
        let lr: Float = 0.01, eps: Float = 1e-8
        let gradients: [Float] = [0.5, -2, eps, -eps]
        let rule = kind.makeRule(OptimizerSpec(kind: kind, learningRate: lr, epsilon: eps))
        let p = Parameter(name: "w", group: .weights, shape: [4], value: [1, 1, 1, 1])
        p.gradient = gradients
        var state = [Float](repeating: 0, count: 4 * rule.stateBuffersPerParameter)
        state.withUnsafeMutableBufferPointer { rule.update(p, state: $0, learningRate: lr, step: 1, shrink: rule.fusesShrink ? 1 : nil) }
        let expected: [Float] = gradients.map { g in
            switch kind {
            case .sgd: 1 - lr * g
            case .adam, .adamw: 1 - lr * g / (abs(g) + eps)
            case .lion: 1 - lr * (g > 0 ? 1 : -1)
            }
        }
        for (got, want) in zip(p.value, expected) {
            #expect(abs(got - want) <= 1e-6, "\(kind): \(p.value) vs \(expected)")
        }
    }

    /// PyTorch's signatures: SGD takes no betas, the others do; Lion's β₂
    /// defaults to 0.99 (its authors'), Adam's and AdamW's to 0.999.
    @Test func betasAreTheLibrariesOwn() {
        let reads: [OptimizerSpec.Kind: Bool] = [.sgd: false, .adam: true, .adamw: true, .lion: true]
        for kind in OptimizerSpec.Kind.allCases { #expect(kind.usesBetas == reads[kind], "\(kind)") }
        #expect(OptimizerSpec(kind: .lion, learningRate: 1e-4).beta2 == 0.99)
        #expect(OptimizerSpec(kind: .adamw, learningRate: 1e-3).beta2 == 0.999)
        #expect(OptimizerSpec(kind: .adam, learningRate: 1e-3).beta2 == 0.999)
    }

    @Test func messagesNameTheOptimizersThatReadAHyperparameter() {
        #expect(OptimizerSpec.Kind.names(\.usesBetas) == "Adam, AdamW and Lion")
        #expect(OptimizerSpec.Kind.names(\.usesEpsilon, possessive: true) == "Adam's and AdamW's")
        #expect(OptimizerSpec.Kind.names(\.usesMomentum, possessive: true) == "SGD's")
        #expect(OptimizerSpec.Kind.names { _ in false } == "none")
    }
}
