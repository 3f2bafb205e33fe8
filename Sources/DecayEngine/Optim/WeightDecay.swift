import DecayKernels

/// Weight decay for one step: how λ enters (the mode), and everything that
/// follows from it — the term added to the gradient, the shrink factor on
/// the parameters, the penalty and the decay's share of the step the
/// training loop reports. Switching the decay mode is switching this value;
/// the optimizers' update rules never look at λ.
public struct WeightDecay: Sendable, Equatable {
    public var mode: DecayMode
    /// λ.
    public var weightDecay: Float
    /// This step's learning rate (the decoupled shrink is scaled by it).
    public var learningRate: Float
    /// The optimizer's base learning rate, the one a schedule multiplies.
    public var baseLearningRate: Float

    /// - Parameter baseLearningRate: the optimizer's lr before any schedule;
    ///   nil when the step runs at the base rate (η_t = 1).
    public init(mode: DecayMode, weightDecay: Float, learningRate: Float, baseLearningRate: Float? = nil) {
        self.mode = mode
        self.weightDecay = weightDecay
        self.learningRate = learningRate
        self.baseLearningRate = baseLearningRate ?? learningRate
    }

    /// η_t, the schedule's multiplier this step: this step's lr ÷ the base
    /// lr, in Double as `reproduce.py` forms it from the two floats. A base
    /// lr of 0 has no multiplier to recover; η is then 1 (the schedule
    /// cannot be seen, so it is taken as constant).
    public var scheduleMultiplier: Double {
        baseLearningRate == 0 ? 1 : Double(learningRate) / Double(baseLearningRate)
    }

    /// The mode a run uses: the one it names, or what the optimizer's
    /// `weight_decay` argument means in PyTorch (its `OptimizerFacts.decay`:
    /// coupled for SGD and Adam, decoupled for AdamW and Lion).
    public static func mode(named explicit: DecayMode?, optimizer: OptimizerSpec.Kind) -> DecayMode {
        explicit ?? optimizer.defaultDecay
    }

    /// The decay a run names: its own, else the experiment's — unless the
    /// run switches optimizer, when it takes that optimizer's meaning of
    /// `weight_decay` instead. Generic so a lesson reader can carry where
    /// each value was written.
    public static func named<Named>(run: Named?, runSwitchesOptimizer: Bool, experiment: Named?) -> Named? {
        run ?? (runSwitchesOptimizer ? nil : experiment)
    }

    /// Whether λ acts at all this step.
    public var isActive: Bool { mode != .none && weightDecay != 0 }

    /// The multiplier decoupled or independent decay applies to p, or nil
    /// when decay acts through the gradient (L2) or not at all: 1 − lr_t·λ
    /// decoupled, 1 − η_t·λ independent (the AdamW paper's form: it anneals
    /// with the schedule but does not scale with the base lr). Formed in
    /// Double and rounded once, as PyTorch does with its Python-float
    /// hyperparameters.
    public var shrinkFactor: Float? {
        switch mode {
        case .none, .l2: nil
        case .decoupled: Float(1 - Double(learningRate) * Double(weightDecay))
        case .independent: Float(1 - scheduleMultiplier * Double(weightDecay))
        }
    }

    /// The fraction of the way to the anchor decoupled or independent
    /// decay moves p toward p₀ (lr_t·λ or η_t·λ), formed in Double and
    /// rounded once; nil for L2 and none.
    public var pullFactor: Float? {
        switch mode {
        case .none, .l2: nil
        case .decoupled: Float(Double(learningRate) * Double(weightDecay))
        case .independent: Float(scheduleMultiplier * Double(weightDecay))
        }
    }

    /// The whole difference between L2 and decoupled decay, for a parameter
    /// whose group is decayed: coupled adds λ·p to the gradient (so Adam
    /// later divides it by √v̂); decoupled shrinks p directly, by lr·λ;
    /// independent by η_t·λ, the schedule's multiplier times λ. With an
    /// anchor p₀ (`decay_to = init`) each pulls toward p₀ instead of 0:
    /// λ·(p − p₀) on the gradient, or p ← p − c·(p − p₀).
    public func apply(to p: Parameter, anchor: [Float]? = nil) {
        switch mode {
        case .none:
            break
        case .l2:
            p.value.withUnsafeBufferPointer { pv in
                p.gradient.withUnsafeMutableBufferPointer { pg in
                    if let anchor {
                        anchor.withUnsafeBufferPointer { Kernels.axpyDifference(weightDecay, pv, anchor: $0, into: pg) }
                    } else {
                        Kernels.axpy(weightDecay, pv, into: pg)
                    }
                }
            }
        case .decoupled, .independent:
            if let anchor, let c = pullFactor {
                p.value.withUnsafeMutableBufferPointer { pv in
                    anchor.withUnsafeBufferPointer { Kernels.pullToward(pv, anchor: $0, by: c) }
                }
            } else if let factor = shrinkFactor {
                p.value.withUnsafeMutableBufferPointer { Kernels.scale($0, by: factor) }
            }
        }
    }

    // MARK: - What the training loop reports

    /// ‖decay's share of the step‖ = this × ‖p‖ (× ‖p − p₀‖ toward init): lr·λ (for L2, the λ·p term
    /// as plain SGD moves it), η_t·λ for independent decay, 0 for none.
    public var stepShareFactor: Float {
        switch mode {
        case .none: 0
        case .independent: Float(scheduleMultiplier * Double(weightDecay))
        case .l2, .decoupled: learningRate * weightDecay
        }
    }

    /// (λ/2)·Σ‖p‖² given the sum of squares over the decayed groups (or
    /// (λ/2)·Σ‖p − p₀‖² given the squared distances, for `decay_to = init`):
    /// the term coupled L2 adds to the objective, reported beside the data loss.
    public func penalty(decayedSumOfSquares s: Float) -> Float {
        isActive ? 0.5 * weightDecay * s : 0
    }
}
