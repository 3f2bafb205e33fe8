extension Metric {
    /// The quantities a run measures. Adding one is a case here, its row in
    /// `traits`, and its computation (`RunMeter.measure`, or the `derived`
    /// closure); the compiler then lists every other switch that must say
    /// what to do with it (the numbers panel's column, the charts).
    ///
    /// Declaration order is the numbers panel's column order.
    public enum Kind: CaseIterable, Hashable, Sendable {
        /// The step's minibatch data loss (training mode, before the update).
        case trainLoss
        /// The data loss on the whole training set in evaluation mode,
        /// measured at evaluation points.
        case fullTrainLoss
        case validationLoss
        /// Accuracy on the whole training set (evaluation mode), measured
        /// where validation is.
        case trainAccuracy
        case validationAccuracy
        /// Training minus validation accuracy: the generalization gap in the
        /// units a fine-tuning report uses.
        case accuracyGap
        /// Validation minus training loss: how much the model memorized.
        case gap
        /// (λ/2)·Σ‖p‖² over the decayed groups ((λ/2)·Σ‖p − p₀‖² toward θ₀).
        case penalty
        /// ‖γ‖ of the LayerNorm gains.
        case gainNorm
        /// ‖β‖ of the LayerNorm shifts.
        case shiftNorm
        /// Mean ‖row‖ of the frequent (top quartile) embedding rows.
        case frequentRowNorm
        /// Mean ‖row‖ of the rare (bottom quartile) embedding rows.
        case rareRowNorm
        /// ‖p‖ of one parameter group, after the update.
        case norm
        /// ‖Δp‖ of one group over the whole step.
        case updateNorm
        /// The part of ‖Δp‖ the decay rule asks for: lr·λ·‖p‖ (on ‖p − p₀‖
        /// toward θ₀), before an optimizer like Adam + L2 rescales it.
        case decayShare
        /// lr/‖p‖² of one group: the step a scale-invariant group (one that
        /// feeds a LayerNorm) takes per unit of gradient at unit scale.
        case effectiveStep
        /// ‖θ − θ₀‖ over every parameter: the distance from the run's
        /// initial (e.g. pretrained) parameters.
        case distanceFromInit
        /// √(mean over the validation set of ‖f(x) − f₀(x)‖²): how far the
        /// model's outputs have moved from those of the model it started as
        /// (the base model, for a fine-tune or an adapter).
        case functionDistance
        /// Π(1 − lr_t·λ) over the steps so far: the factor decay alone has
        /// multiplied the adapters' factors A and B by (1 for λ = 0 or no
        /// decayed group; not defined under Adam + L2, whose decay the
        /// optimizer rescales per coordinate).
        case totalShrink
        /// ‖A‖_F of one adapted layer's factor A (r × in).
        case adapterANorm
        /// ‖B‖_F of one adapted layer's factor B (out × r).
        case adapterBNorm
        /// ‖ΔW‖_F = ‖s·B·A‖_F of one adapted layer: the size of the update
        /// the adapter adds to the frozen weight.
        case adapterUpdateNorm
        /// The singular values σ₁ ≥ … ≥ σ_r of one adapted layer's ΔW.
        case singularValue
        /// ‖ΔW‖²_F / ‖ΔW‖²₂ = Σσᵢ²/σ₁² of one adapted layer: 1 for one
        /// direction, r for r equal ones.
        case stableRank
        /// exp(entropy of σᵢ/Σσⱼ) of one adapted layer (Roy & Vetterli, 2007).
        case effectiveRank
    }

    /// How many members a kind has.
    public enum Shape: Sendable, Equatable {
        case single, perGroup, perLayer, perComponent

        func accepts(_ index: Index) -> Bool {
            switch (self, index) {
            case (.single, .whole), (.perGroup, .group), (.perLayer, .layer), (.perComponent, .component): true
            case (.single, _), (.perGroup, _), (.perLayer, _), (.perComponent, _): false
            }
        }
    }

    /// When a measured kind is taken in a training step.
    public enum Timing: Sendable, Equatable {
        /// From the step's forward pass and the parameters before the update.
        case beforeUpdate
        /// From the parameters after the update.
        case afterUpdate
        /// At evaluation points (every `eval_every` steps), in evaluation mode.
        case evaluation
    }

    /// Where a kind's values come from: measured by the run and recorded in
    /// its history, or derived from other metrics of the same entry when
    /// read (so a median over seeds derives from the medians).
    public enum Source: Sendable {
        case measured(Timing)
        case derived(@Sendable (HistoryEntry, Index) -> Float?)
    }

    /// What the model must have for a kind to exist.
    public enum Requirement: Sendable, Equatable {
        case none
        /// Classification data (the accuracies).
        case classification
        /// An embedding table on token data (frequent and rare rows).
        case embeddingRows
        /// LayerNorm layers.
        case layerNorm
        /// A copy of θ₀, which a run keeps when asked to (`MetricScope`).
        case initialParameters
        /// LoRA adapters: per-layer kinds have a member for each adapted
        /// layer, the spectrum one per singular value.
        case adapters
    }

    /// Everything the engine knows about a kind, in one place.
    public struct Traits: Sendable {
        /// The lesson-file spelling (before any index).
        public var name: String
        /// Words for a caption (plain ASCII).
        public var label: String
        public var shape: Shape = .single
        public var requirement: Requirement = .none
        public var source: Source
        public var lowerIsBetter = true
        /// The axis that reads it best where nothing else decides (a sweep).
        public var scale = Scale.log
    }

    /// A y axis: `log` for positive values that span decades (losses,
    /// norms), `linear` for accuracy and anything that can be negative.
    public enum Scale: Sendable, Equatable {
        case linear, log
    }
}

extension Metric.Kind {
    public var name: String { traits.name }
    public var label: String { traits.label }
    public var shape: Metric.Shape { traits.shape }
    public var requirement: Metric.Requirement { traits.requirement }

    /// Whether the run records the kind (as opposed to deriving it on read).
    public var isMeasured: Bool { if case .measured = traits.source { true } else { false } }

    public var traits: Metric.Traits {
        switch self {
        case .trainLoss:
            .init(name: "train_loss", label: "train loss", source: .measured(.beforeUpdate))
        case .fullTrainLoss:
            .init(name: "full_train_loss", label: "train loss (full set, eval mode)", source: .measured(.evaluation))
        case .validationLoss:
            .init(name: "val_loss", label: "val loss", source: .measured(.evaluation))
        case .trainAccuracy:
            .init(name: "train_accuracy", label: "train accuracy (full set, eval mode)", requirement: .classification,
                  source: .measured(.evaluation), lowerIsBetter: false, scale: .linear)
        case .validationAccuracy:
            .init(name: "val_accuracy", label: "val accuracy", requirement: .classification,
                  source: .measured(.evaluation), lowerIsBetter: false, scale: .linear)
        case .accuracyGap:
            .init(name: "acc_gap", label: "accuracy gap (train - val)", requirement: .classification,
                  source: .derived { e, _ in e[.trainAccuracy].flatMap { t in e[.validationAccuracy].map { t - $0 } } },
                  scale: .linear)
        case .gap:
            .init(name: "gap", label: "gap (val - train loss)",
                  source: .derived { e, _ in e[.validationLoss].flatMap { v in e[.trainLoss].map { v - $0 } } },
                  scale: .linear)
        case .penalty:
            .init(name: "penalty", label: "penalty", source: .measured(.beforeUpdate))
        case .gainNorm:
            .init(name: "norm.gains", label: "norm of LayerNorm gains", requirement: .layerNorm, source: .measured(.afterUpdate))
        case .shiftNorm:
            .init(name: "norm.shifts", label: "norm of LayerNorm shifts", requirement: .layerNorm, source: .measured(.afterUpdate))
        case .frequentRowNorm:
            .init(name: "norm.frequent_rows", label: "mean row norm, frequent tokens", requirement: .embeddingRows,
                  source: .measured(.afterUpdate))
        case .rareRowNorm:
            .init(name: "norm.rare_rows", label: "mean row norm, rare tokens", requirement: .embeddingRows,
                  source: .measured(.afterUpdate))
        case .norm:
            .init(name: "norm", label: "norm", shape: .perGroup, source: .measured(.afterUpdate))
        case .updateNorm:
            .init(name: "update_norm", label: "norm of the step's update", shape: .perGroup, source: .measured(.afterUpdate))
        case .decayShare:
            .init(name: "decay_share", label: "decay's share of the update", shape: .perGroup, source: .measured(.beforeUpdate))
        case .effectiveStep:
            .init(name: "effective_step", label: "effective step lr/norm^2", shape: .perGroup,
                  source: .derived { e, index in
                      guard case let .group(g) = index, let n = e[.norm(g)], n > 0 else { return nil }
                      return e.learningRate / (n * n)
                  })
        case .distanceFromInit:
            .init(name: "dist_init", label: "distance from initial weights", requirement: .initialParameters,
                  source: .measured(.afterUpdate))
        case .functionDistance:
            .init(name: "func_dist", label: "distance of val outputs from the start's (RMS)", requirement: .initialParameters,
                  source: .measured(.evaluation), scale: .linear)
        case .totalShrink:
            .init(name: "shrink", label: "total shrink of A and B by decay, prod(1 - lr*lambda)", requirement: .adapters,
                  source: .measured(.afterUpdate), lowerIsBetter: false, scale: .linear)
        case .adapterANorm:
            .init(name: "norm_a", label: "norm of lora_A", shape: .perLayer, requirement: .adapters, source: .measured(.afterUpdate))
        case .adapterBNorm:
            .init(name: "norm_b", label: "norm of lora_B", shape: .perLayer, requirement: .adapters, source: .measured(.afterUpdate))
        case .adapterUpdateNorm:
            .init(name: "delta_w", label: "norm of the update dW = s*B*A", shape: .perLayer, requirement: .adapters,
                  source: .measured(.evaluation))
        case .singularValue:
            .init(name: "sv", label: "singular value of dW", shape: .perComponent, requirement: .adapters,
                  source: .measured(.evaluation))
        case .stableRank:
            .init(name: "stable_rank", label: "stable rank of dW", shape: .perLayer, requirement: .adapters,
                  source: .measured(.evaluation), lowerIsBetter: false, scale: .linear)
        case .effectiveRank:
            .init(name: "effective_rank", label: "effective rank of dW", shape: .perLayer, requirement: .adapters,
                  source: .measured(.evaluation), lowerIsBetter: false, scale: .linear)
        }
    }
}
