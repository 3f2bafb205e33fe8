/// Where on screen a learner sees each claim the curriculum's tests check.
///
/// Every `@Test` in a claim file of `Tests/DecayLessonsTests`
/// (`Lesson*ClaimsTests.swift`, `*LessonTests.swift`, `FinalQuizTests.swift`,
/// `CurriculumClaimsTests.swift`) has either an entry in `entries` — the step
/// it is about and the fields that show it — or a line in `offScreen` saying
/// why nothing on a step's screen shows it (arithmetic, the lesson file's
/// shape). `ClaimCatalogCoverageTests` (DecayLessonsTests) reads those files
/// and fails for a test with neither, or for a catalog line naming a test
/// that no longer exists; `ClaimsOnScreenTests` (DecayTUITests) opens every
/// catalogued step as the tutor does, at 120×40 and 80×24, in Unicode and in
/// ASCII, trains until every run has numbers, pages through the panels (`c`)
/// and fails if a field's label is not on the screen.
///
/// To add a claim test:
/// 1. write the test in its lesson's claim file (`@Test func myClaim()`);
/// 2. add a line here, under its lesson, keyed `"Suite.function"`:
///        Claim("Lesson5ClaimsTests.myClaim", "what-to-decay", 2, [.chart("rows"), .column("rare rows")]),
///    with the step as `lesson-id` and 1-based step number (as in
///    `decay-tutor what-to-decay:2`) and the fields whose labels show it:
///    - `.chart("loss")`: a chart the step lists (`charts = [...]`), by its key;
///    - `.column("val loss")`: a numbers-panel column head (`train`, `val loss`,
///      `val acc`, `penalty`, `‖weights‖`, `‖γ‖ gains`, `rare rows`, …); every
///      run must have a value in it once trained;
///    - `.run("yours")`: a run's name (legend and numbers panel);
///    - `.sweep`: the step's sweep (heatmaps, or the curve of a one-lr sweep);
///    - `.text("…")`: other words on the screen (goal line, question);
///    or, only if no screen shows it, a line in `offScreen` with the reason;
/// 3. run `swift test --filter ClaimCatalogCoverageTests` and
///    `swift test --filter ClaimsOnScreenTests`.
public struct Claim: Sendable, Hashable {
    public let test: String
    public let lesson: String
    public let step: Int
    public let fields: [ScreenField]

    public init(_ test: String, _ lesson: String, _ step: Int, _ fields: [ScreenField]) {
        self.test = test
        self.lesson = lesson
        self.step = step
        self.fields = fields
    }
}

/// A label on a step's screen, as the Unicode screen writes it (the ASCII
/// screen's spelling follows from it).
public enum ScreenField: Sendable, Hashable {
    case chart(String)
    case column(String)
    case run(String)
    case sweep
    case text(String)
}

public enum ClaimCatalog {
    public static let entries: [Claim] = overfitting + lesson2 + lesson3 + lesson4 + lesson5 + lesson6 + lesson7
        + timescale + fineTuning + adapters + finalQuiz + added

    /// Claim tests whose subject no step's screen shows, and why.
    public static let offScreen: [String: String] = [
        "OverfittingLessonTests.shape": "the lesson file's setup (data sizes, optimizer, chart list), stated in the prose",
        "OverfittingLessonTests.step1Arithmetic": "arithmetic the prose spells out (√200, 1 − lr·λ, epochs)",
        "TimescaleLessonTests.fineTuningArithmetic": "arithmetic on Hugging Face's defaults, worked in the prose",
        "TimescaleLessonTests.keyPoints": "the key points, shown on the lesson's summary screen, not on a step",
        "FinalQuizTests.everyStepIsAQuestionWithOneRightAnswer": "the quiz's shape",
        "FineTuningLessonTests.storyArithmetic": "arithmetic on the story's settings (Π(1 − lr_t·λ), Σ lr_t·λ, 1/(lr·λ)), worked in the prose",
        "FinalQuizTests.arithmetic": "arithmetic the questions' explanations spell out",
        "FinalQuizTests.adapterQuestionsStandOnTheAdaptersLesson": "the adapter questions' steps are the adapters lesson's, whose claims are on those screens; the rest is arithmetic the answer spells out",
        "AdaptersLessonTests.usualSettingsArithmetic": "arithmetic on the first step's settings (Σ lr_t, Π(1 − lr_t·λ) and its square), worked in the prose",
        "AdaptersLessonTests.howMuchLambdaItTakesArithmetic": "arithmetic on the fifth step's settings (Π ≈ e^(−0.0301·λ), the λ at each of the goal's bounds, the ladder's values inside and out), worked in the prose and the hint",
        "CurriculumClaimsTests.everyCurriculumLessonValidates": "the curriculum's shape",
        "OverfittingLessonTests.step2Data": "the step's data set-up, the mean-prediction baseline computed from it, and step 1's data at λ = 100 (no control reaches it there), stated in the prose",
        "TimescaleLessonTests.normalizedDecayArithmetic": "arithmetic on the AdamW paper's normalized decay, worked in the prose",
        "FineTuningLessonTests.snippetArithmetic": "the Hugging Face snippet's comment, on the lesson's summary screen",
        "FinalQuizTests.everyQuestionNamesWhereItIsTaught": "the quiz's shape; the score on its summary screen names these steps",
        "ActionGoalsLessonTests.everyLessonHasAGoalThatSetsSomething": "the course's shape",
    ]

    /// The entries of one test (a test may check claims on several steps).
    public static func entries(for test: String) -> [Claim] { entries.filter { $0.test == test } }

    static let overfitting: [Claim] = [
        Claim("OverfittingLessonTests.step1Claims", "overfitting", 1,
              [.chart("loss"), .chart("norms"), .column("train"), .column("val loss"), .column("‖weights‖"), .run("λ = 0"), .run("λ = 3")]),
        Claim("OverfittingLessonTests.step1UpdateStaysInTheSpanOfTheTrainingInputs", "overfitting", 1,
              [.chart("norms"), .column("‖weights‖"), .run("λ = 0")]),
        Claim("OverfittingLessonTests.step2Band", "overfitting", 2,
              [.chart("loss"), .column("train"), .column("val loss"), .run("yours"), .run("λ = 0"), .text("Goal")]),
        Claim("OverfittingLessonTests.step3Claims", "overfitting", 3,
              [.chart("fit"), .chart("loss"), .column("train"), .column("val loss"), .column("‖weights‖")]),
    ]

    static let lesson2: [Claim] = [
        Claim("Lesson2ClaimsTests.l2PenaltyEqualsShrinkUnderSGD", "l2-vs-decoupled-sgd", 1,
              [.chart("loss"), .chart("norms"), .column("val loss"), .column("‖weights‖"), .run("L2 penalty"), .run("decoupled")]),
        Claim("Lesson2ClaimsTests.l2FactorOfTwo", "l2-vs-decoupled-sgd", 2,
              [.chart("norms"), .chart("penalty"), .column("penalty"), .column("‖weights‖"), .run("paper λ copied")]),
        Claim("Lesson2ClaimsTests.l2MomentumPartsThem", "l2-vs-decoupled-sgd", 3,
              [.chart("norms"), .column("‖weights‖"), .run("L2, λ = 0.01"), .run("decoupled, λ = 0.01"), .run("decoupled, yours"), .text("Goal")]),
        Claim("Lesson2ClaimsTests.l2CopiedIsNotWorseHere", "l2-vs-decoupled-sgd", 2, [.column("val loss"), .run("paper λ copied")]),
    ]

    static let lesson3: [Claim] = [
        Claim("Lesson3ClaimsTests.l3PenaltyDividedBySqrtV", "adam-l2-vs-adamw", 1,
              [.chart("rows"), .column("frequent rows"), .column("rare rows"), .run("Adam + L2"), .run("AdamW")]),
        Claim("Lesson3ClaimsTests.l3AdamWNeedsItsOwnLambda", "adam-l2-vs-adamw", 2,
              [.column("val loss"), .run("Adam + L2, λ = 0.01"), .run("AdamW, yours"), .text("Goal")]),
        Claim("Lesson3ClaimsTests.l3GridsAreThePapersAndPyTorchs", "adam-l2-vs-adamw", 4,
              [.sweep, .chart("norms"), .run("AdamW, paper: η·λ"), .run("AdamW, PyTorch: lr·λ")]),
        Claim("Lesson3GridTests.l3PaperGrid", "adam-l2-vs-adamw", 3, [.sweep, .run("Adam + L2"), .run("AdamW, paper: η·λ")]),
        Claim("Lesson3GridTests.l3PyTorchGrid", "adam-l2-vs-adamw", 4, [.sweep, .run("AdamW, paper: η·λ"), .run("AdamW, PyTorch: lr·λ")]),
    ]

    static let lesson4: [Claim] = [
        Claim("Lesson4ClaimsTests.l4DropoutAndDecay", "dropout-vs-decay", 1,
              [.chart("loss"), .column("train"), .column("val loss"), .column("‖weights‖"), .run("both")]),
        Claim("Lesson4ClaimsTests.l4LowerLossIsNotHigherAccuracy", "dropout-vs-decay", 1,
              [.column("val loss"), .column("val acc"), .run("decay"), .run("neither")]),
        Claim("Lesson4ClaimsTests.l4TunedBaselines", "dropout-vs-decay", 2,
              [.column("val loss"), .run("decay, tuned"), .run("dropout, tuned"), .run("yours"), .text("Goal")]),
        Claim("Lesson4ClaimsTests.l4BothOnlyWhereItHolds", "dropout-vs-decay", 2, [.column("val loss"), .run("decay, tuned")]),
    ]

    static let lesson5: [Claim] = [
        Claim("Lesson5ClaimsTests.l5GainsAcrossSeeds", "what-to-decay", 1,
              [.chart("gains"), .column("‖γ‖ gains"), .column("val loss"), .run("decay everything"), .run("skip norms and biases")]),
        Claim("Lesson5ClaimsTests.l5SwitchingNormsOffStopsTheShrinking", "what-to-decay", 1,
              [.chart("gains"), .column("‖γ‖ gains"), .run("skip norms and biases")]),
        Claim("Lesson5ClaimsTests.l5TableBeforeALayerNormIsScaleInvariant", "what-to-decay", 2,
              [.chart("prenorm"), .run("table decayed")]),
        Claim("Lesson5ClaimsTests.l5DecayOnATableBeforeALayerNormIsAStepSize", "what-to-decay", 2,
              [.chart("prenorm"), .column("val loss"), .run("table decayed"), .run("table not decayed")]),
        Claim("Lesson5ClaimsTests.l5SparingTheTableUnderAdamL2", "what-to-decay", 3,
              [.chart("loss"), .chart("rows"), .column("val loss"), .column("rare rows"), .run("embeddings not decayed")]),
        Claim("Lesson5ClaimsTests.l5SparingTheTableUnderAdamW", "what-to-decay", 4,
              [.chart("loss"), .chart("rows"), .column("val loss"), .run("embeddings not decayed"), .run("no decay")]),
        Claim("Lesson5ClaimsTests.l5ChooseTheGroups", "what-to-decay", 4, [.column("val loss"), .run("yours"), .text("Goal")]),
        Claim("Lesson5ClaimsTests.l5CommonRuleAcrossSeeds", "what-to-decay", 5,
              [.chart("gains"), .column("‖γ‖ gains"), .column("val loss"), .run("decay everything"), .run("the common rule")]),
    ]

    static let lesson6: [Claim] = [
        Claim("Lesson6ClaimsTests.l6UCurveAndGoal", "tuning-lambda", 1, [.sweep, .column("val loss"), .run("yours")]),
        Claim("Lesson6ClaimsTests.l6SmallDataWantsMoreDecay", "tuning-lambda", 2,
              [.chart("loss"), .column("train"), .column("val loss"), .run("λ = 1")]),
        Claim("Lesson6ClaimsTests.l6SmallDataWantsMoreDecay", "tuning-lambda", 3, [.chart("loss"), .column("val loss")]),
        Claim("Lesson6ClaimsTests.l6AccuracyAndLossDisagree", "tuning-lambda", 3, [.column("val loss"), .column("val acc"), .run("λ = 1")]),
    ]

    static let lesson7: [Claim] = [
        Claim("Lesson7ClaimsTests.l7CosineAnnealsDecay", "decay-and-schedules", 1, [.chart("updates"), .run("cosine")]),
        Claim("Lesson7ClaimsTests.l7WarmupMovesTheShrinkLater", "decay-and-schedules", 1,
              [.chart("updates"), .run("constant"), .run("warm-up 200, cosine")]),
        Claim("Lesson7ClaimsTests.l7MatchThePapersDecay", "decay-and-schedules", 5,
              [.chart("norms"), .column("‖weights‖"), .run("paper: η·λ, λ = 0.01"), .run("PyTorch: yours"), .text("Goal")]),
        Claim("Lesson7ClaimsTests.l7EquilibriumRegime", "decay-and-schedules", 2,
              [.chart("norms"), .column("‖weights‖"), .run("lr 0.04")]),
        Claim("Lesson7ClaimsTests.l7NormalizedRegime", "decay-and-schedules", 3,
              [.chart("norms"), .column("‖embeddings‖"), .run("lr 0.04")]),
        Claim("Lesson7ClaimsTests.l7PapersShrink", "decay-and-schedules", 4,
              [.chart("updates"), .chart("norms"), .column("‖weights‖"), .run("PyTorch: lr·λ"), .run("paper: η·λ")]),
    ]

    static let timescale: [Claim] = [
        Claim("TimescaleLessonTests.forgettingTheStart", "timescale", 1, [.chart("norms"), .column("‖weights‖")]),
        Claim("TimescaleLessonTests.startingNorm", "timescale", 1, [.chart("norms")]),
        Claim("TimescaleLessonTests.setTheTimescale", "timescale", 2, [.chart("norms"), .column("‖weights‖"), .run("yours"), .text("Goal")]),
        Claim("TimescaleLessonTests.lionNeedsALargerLambda", "timescale", 3,
              [.chart("norms"), .column("‖weights‖"), .column("val loss"), .run("AdamW, lr 0.01, λ = 0.5"), .run("Lion, lr 0.001, λ = 5"),
               .run("Lion, lr 0.001, λ = 0.5")]),
        Claim("TimescaleLessonTests.tauBetweenAnEpochAndTheRun", "timescale", 4, [.chart("loss"), .column("val loss")]),
    ]

    static let finalQuiz: [Claim] = [
        Claim("FinalQuizTests.halfTheDecayEndsLarger", "final-quiz", 2,
              [.chart("norms"), .column("‖weights‖"), .run("weight_decay = 0.0025")]),
    ]

    /// Lesson 9, fine-tuning on small data.
    static let fineTuning: [Claim] = [
        Claim("FineTuningLessonTests.storySettings", "fine-tuning", 1,
              [.chart("accuracy"), .chart("distance"), .column("train acc"), .column("val acc"),
               .run("λ = 0.01"), .run("λ = 0.1"), .run("λ = 0.01, lr 3e-3"), .run("λ = 0.1, lr 3e-3")]),
        Claim("FineTuningLessonTests.trainLongerAndItMemorizes", "fine-tuning", 2,
              [.chart("accuracy"), .column("train acc"), .column("val acc"), .run("λ = 0.01")]),
        Claim("FineTuningLessonTests.decayTowardThePretrainedWeights", "fine-tuning", 3,
              [.chart("accuracy"), .chart("distance"), .column("train acc"), .column("val acc"),
               .run("λ = 0.01"), .run("λ = 1 toward 0"), .run("λ = 1 toward pretrained")]),
        Claim("FineTuningLessonTests.accuracyAndLossRankTheOtherWay", "fine-tuning", 3,
              [.column("val loss"), .column("val acc"), .run("λ = 0.01"), .run("λ = 1 toward 0")]),
        Claim("FineTuningLessonTests.howHardToPull", "fine-tuning", 4,
              [.chart("loss"), .column("val loss"), .column("val acc"), .run("yours, toward pretrained"), .text("Goal")]),
        Claim("FineTuningLessonTests.seedBand", "fine-tuning", 5,
              [.chart("accuracy"), .text("min–max"), .column("train acc"), .column("val acc"),
               .run("λ = 0.01"), .run("λ = 1 toward pretrained")]),
    ]

    static let adapters: [Claim] = [
        Claim("AdaptersLessonTests.usualSettingsDoAlmostNothing", "adapters", 1,
              [.chart("accuracy"), .chart("outputs"), .column("val acc"), .column("Π(1−lr·λ) A,B"), .run("λ = 0"), .run("λ = 0.01")]),
        Claim("AdaptersLessonTests.wherePullGoes", "adapters", 2,
              [.chart("distance"), .chart("outputs"), .chart("accuracy"), .column("val acc"),
               .run("full fine-tune"), .run("LoRA r 8")]),
        Claim("AdaptersLessonTests.decayAndTheRankOfTheUpdate", "adapters", 3,
              [.chart("spectrum"), .chart("rank"), .chart("accuracy"), .column("val acc"), .run("AdamW"), .run("Adam + L2")]),
        Claim("AdaptersLessonTests.whatRegularizesAnAdapter", "adapters", 4,
              [.chart("accuracy"), .text("min–max"), .column("train acc"), .column("val acc"),
               .run("r 8, 40 epochs"), .run("r 2"), .run("lora_dropout 0.3"), .run("λ = 1"), .run("r 8, 8 epochs")]),
        Claim("AdaptersLessonTests.howMuchLambdaItTakes", "adapters", 5,
              [.chart("accuracy"), .column("val acc"), .column("‖adapters‖"), .column("Π(1−lr·λ) A,B"), .run("λ = 0.01"), .run("yours")]),
    ]

    /// New claim tests go under their lesson above; this list is for lessons
    /// added later (one `static let` per lesson is fine too).
    static let added: [Claim] = [
        Claim("ActionGoalsLessonTests.overfittingBand", "overfitting", 2, [.run("yours"), .column("val loss"), .text("Goal")]),
        Claim("ActionGoalsLessonTests.decoupledUnderMomentum", "l2-vs-decoupled-sgd", 3,
              [.run("decoupled, yours"), .column("‖weights‖"), .text("Goal")]),
        Claim("ActionGoalsLessonTests.adamwNeedsItsOwnLambda", "adam-l2-vs-adamw", 2, [.run("AdamW, yours"), .column("val loss"), .text("Goal")]),
        Claim("ActionGoalsLessonTests.bothAgainstTunedDecay", "dropout-vs-decay", 2,
              [.run("yours"), .run("decay, tuned"), .column("val loss"), .text("Goal")]),
        Claim("ActionGoalsLessonTests.groupsToDecay", "what-to-decay", 4, [.run("yours"), .column("val loss"), .text("Goal")]),
        Claim("ActionGoalsLessonTests.bottomOfTheU", "tuning-lambda", 1, [.run("yours"), .column("val loss"), .text("Goal")]),
        Claim("ActionGoalsLessonTests.paperLambdaAtAnotherLR", "decay-and-schedules", 5,
              [.run("PyTorch: yours"), .column("‖weights‖"), .text("Goal")]),
        Claim("ActionGoalsLessonTests.timescaleAQuarterOfTheRun", "timescale", 2, [.run("yours"), .column("‖weights‖"), .text("Goal")]),
        Claim("ActionGoalsLessonTests.pullTowardThePretrainedWeights", "fine-tuning", 4,
              [.run("yours, toward pretrained"), .column("val loss"), .text("Goal")]),
        Claim("ActionGoalsLessonTests.adapterShrinkNeedsHundredsOfTimesTheUsual", "adapters", 5,
              [.run("yours"), .column("Π(1−lr·λ) A,B"), .text("Goal")]),
    ]
}
