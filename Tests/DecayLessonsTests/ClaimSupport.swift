import Testing
import Foundation
import DecayEngine
@testable import DecayLessons

// Helpers shared by the per-lesson claim tests (Lesson2ClaimsTests … ):
// load a shipped lesson, train a step as the tutor would, read its runs.

func load(_ file: String) throws -> Lesson {
    try LessonParser.parse(fileAt: (lessonsDirectory as NSString).appendingPathComponent(file)).get()
}

/// Step `index` of a shipped lesson with its experiment's seed set to
/// `seed`; the lesson's own seed must be `claimSeeds`' first.
func seededStep(_ file: String, _ index: Int, seed: UInt64) throws -> Step {
    var step = try load(file).steps[index]
    #expect(step.spec.seed == 1, "the lesson's own seed is claimSeeds' first")
    step.spec.seed = seed
    return step
}

/// Trains a step's experiment as the tutor would, optionally with controls
/// moved before the first step (a learner who moved them and restarted).
///
/// Validation is measured only at the last step (and every `evaluateEvery`
/// steps if given): evaluation never changes training, and in a debug build
/// it costs more than the training itself.
func trained(_ spec: ExperimentSpec, steps: Int? = nil, set controls: [(Control, Float)] = [],
                     evaluateEvery: Int? = nil) -> Experiment {
    var spec = spec
    spec.evaluationInterval = evaluateEvery ?? spec.steps
    let e = Experiment(spec: spec)
    for (c, v) in controls { e.set(c, to: v) }
    e.advance(steps: steps ?? spec.steps)
    return e
}

func run(_ e: Experiment, _ name: String) -> TrainingRun {
    guard let r = e.runs.first(where: { $0.name == name }) else {
        fatalError("no run \(name) in \(e.runs.map(\.name))")
    }
    return r
}

/// The last history entry that measured validation.
func final(_ r: TrainingRun) -> HistoryEntry {
    r.history.last { $0[.validationLoss] != nil }!
}

func weightNorm(_ r: TrainingRun) -> Float { r.norms[.weights]! }

/// Root-mean-square size of embedding rows `ids` (per row: its Euclidean norm).
func rowSize(_ network: Network, _ ids: Range<Int>) -> Float {
    let t = network.parameters.first { $0.group == .embeddings }!
    let d = t.shape[1]
    var s: Float = 0
    for i in ids { for k in 0..<d { s += t.value[i * d + k] * t.value[i * d + k] } }
    return (s / Float(ids.count)).squareRoot()
}

func meanGain(_ network: Network) -> Float {
    let g = network.parameters.filter { $0.name.hasSuffix(".gain") }.flatMap(\.value)
    return g.reduce(0, +) / Float(g.count)
}

/// The seeds a claim is checked on, besides the lesson's own: a claim the
/// prose states holds in every one of them.
let claimSeeds: [UInt64] = [1, 2, 3, 4, 5]

/// Frequent tokens (Zipf ranks 1–10) and rare ones (ranks 101–200).
let frequent = 0..<10
let rare = 100..<200

/// `spec` with its runs replaced by one run per λ, named `λ = X` (all other
/// settings the experiment's): a λ curve trained in one experiment, on the
/// same data, start and minibatches.
func lambdaLadder(_ spec: ExperimentSpec, _ lambdas: [Float], evaluateAtEnd: Bool = true) -> ExperimentSpec {
    var s = spec
    s.runs = lambdas.map { RunSpec(name: "λ = \($0)", weightDecay: $0) }
    if evaluateAtEnd { s.evaluationInterval = s.steps }
    return s
}

/// Each run's final validation loss, by λ, of a `lambdaLadder` experiment.
func finalValidationLoss(_ e: Experiment, _ lambdas: [Float]) -> [Float: Float] {
    Dictionary(uniqueKeysWithValues: lambdas.map { ($0, final(run(e, "λ = \($0)"))[.validationLoss]!) })
}
