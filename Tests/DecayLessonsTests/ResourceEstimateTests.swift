import Testing
import Foundation
import DecayEngine
@testable import DecayLessons

/// Each key of a lesson is bounded; the estimate bounds their product.
@Suite struct ResourceEstimateTests {
    static let heavy = """
    data = linreg
    train = 20000
    val = 20000
    inputs = 4096
    model = mlp
    hidden = [1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024]
    optimizer = adamw
    batch = 1
    """

    @Test func theIssuesHeavyLessonIsRefusedAtItsExperimentLine() {
        let errs = errors(step(Self.heavy))
        #expect(errs.count == 1)
        #expect(errs.first?.line == 7)          // the ```experiment fence
        #expect(errs.first?.message.contains("GB of memory") == true)
        #expect(errs.first?.message.contains("512 MB") == true)
    }

    @Test func aStepTooDearForAFrameIsRefusedEvenWhenItFitsInMemory() {
        // 2,000 rows × a 1024-wide MLP, full batch, 4 runs: little memory, ~10¹¹ operations a step.
        let text = """
        data = linreg
        train = 2000
        val = 100
        inputs = 1024
        model = mlp
        hidden = [1024, 1024]
        optimizer = sgd
        batch = full
        controls = []

        [run "a"]
        lambda = 0
        [run "b"]
        lambda = 0.1
        """
        let errs = errors(step(text))
        #expect(errs.count == 1)
        #expect(errs.first?.message.contains("between the tutor's frames") == true)
    }

    @Test func theParameterCountIsTheBuiltNetworks() throws {
        let lesson = try parsed(step("data = moons\nmodel = mlp\nhidden = [32, 16]\nlayernorm = true\noptimizer = adamw"))
        let spec = lesson.steps[0].spec
        let built = Experiment(spec: spec, historyCapacity: 4)
        let count = built.initialNetwork.parameters.reduce(0) { $0 + $1.value.count }
        #expect(ResourceEstimate(spec: spec).parameters == count)
    }

    @Test func everyShippedStepIsWellWithinBudget() {
        let library = LessonLibrary.load(directory: lessonsDirectory)
        #expect(library.errors.isEmpty)
        for lesson in library.lessons {
            for step in lesson.steps {
                let e = ResourceEstimate(spec: step.spec)
                #expect(e.totalBytes < ResourceEstimate.memoryBudget / 8, "\(lesson.id): \(e)")
                #expect(e.operationsPerStep < ResourceEstimate.operationsBudget / 8, "\(lesson.id): \(e)")
            }
        }
    }

    @Test func hugeShapesDoNotOverflow() {
        var spec = ExperimentSpec(data: DataSpec.defaults(.linearRegression), model: ModelSpec(kind: .mlp, hidden: [Int](repeating: 1 << 20, count: 64)),
                                  optimizer: OptimizerSpec(kind: .adamw, learningRate: 0.001))
        spec.data.trainCount = Int.max
        spec.data.inputs = 1 << 30
        let e = ResourceEstimate(spec: spec)
        #expect(e.problem != nil)
    }
}
