import Testing
import Foundation
import DecayEngine
@testable import DecayLessons

@Suite struct ShippedLessonsTests {
    @Test func everyShippedLessonParses() {
        let library = LessonLibrary.load(directory: lessonsDirectory)
        #expect(library.errors.isEmpty, "\(library.errors.map(\.description).joined(separator: "\n"))")
        #expect(library.lessons.count == shippedLessonFiles().count)
        #expect(library.lessons.first?.id == "overfitting")
    }

    @Test(arguments: shippedLessonFiles())
    func everyStepTrainsToFiniteLosses(file: String) throws {
        let lesson = try LessonParser.parse(fileAt: file).get()
        #expect(!lesson.steps.isEmpty)
        for (i, step) in lesson.steps.enumerated() {
            let experiment = Experiment(spec: step.spec)
            // 50 steps, or up to the first validation of a step that evaluates less often.
            experiment.advance(steps: max(50, step.spec.evaluationInterval))
            for run in experiment.runs {
                #expect(!run.status.isDiverged, "\(lesson.id) step \(i + 1) run \(run.name): \(run.status)")
                let entries = run.history
                #expect(entries.count > 0)
                #expect(entries.allSatisfy { ($0[.trainLoss] != nil) }, "\(lesson.id) step \(i + 1) \(run.name)")
                #expect(entries.contains { $0[.validationLoss] != nil })
            }
            // The goal reads this step's experiment: a threshold names one of
            // its runs and a metric it measures, and is not met before its
            // minimum steps; a question waits for an answer.
            switch step.goal {
            case let .threshold(t)?:
                #expect(experiment.runs.contains { $0.name == t.run }, "\(lesson.id) step \(i + 1): no run \(t.run)")
                guard case let .pending(reading) = Goal.threshold(t).evaluate(experiment) else {
                    #expect(experiment.step >= t.minSteps, "\(lesson.id) step \(i + 1): met at step \(experiment.step) of \(t.minSteps)")
                    continue
                }
                #expect(reading.hasPrefix("\(t.quantityText()) = "), "\(lesson.id) step \(i + 1): \(reading)")
            case .question?:
                #expect(step.goal?.evaluate(experiment) == .pending("choose an answer"))
            case nil:
                break
            }
        }
    }

    /// The format's own example must be a valid lesson.
    @Test func readmeExampleParses() throws {
        let readme = try String(contentsOfFile: (lessonsDirectory as NSString).appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "````markdown\n"))
        let end = try #require(readme.range(of: "\n````", range: start.upperBound..<readme.endIndex))
        let lesson = try LessonParser.parse(String(readme[start.upperBound..<end.lowerBound]), path: "README example").get()
        #expect(lesson.steps.count == 1 && lesson.steps[0].goal != nil)
        #expect(lesson.steps[0].spec.runs.map(\.weightDecay) == [0, nil])
    }
}
