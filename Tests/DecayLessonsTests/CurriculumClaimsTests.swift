import Testing
import Foundation
import DecayEngine
@testable import DecayLessons
// Every quantitative or comparative claim in the prose of the lessons is
// checked on the experiments of the real lesson files, one file of tests per
// lesson (Lesson2ClaimsTests … ). A claim that fails there is a bug in the
// lesson, not in the test; the helpers they share are in ClaimSupport.swift.

@Suite struct CurriculumClaimsTests {

    @Test func everyCurriculumLessonValidates() throws {
        let library = LessonLibrary.load(directory: lessonsDirectory)
        #expect(library.errors.isEmpty, "\(library.errors.map(\.description).joined(separator: "\n"))")
        let ids = library.lessons.map(\.id)
        for id in ["l2-vs-decoupled-sgd", "adam-l2-vs-adamw", "dropout-vs-decay", "what-to-decay", "tuning-lambda", "decay-and-schedules"] {
            #expect(ids.contains(id))
        }
        for id in ["timescale", "final-quiz"] { #expect(ids.contains(id)) }
        for lesson in library.lessons where !["overfitting", "final-quiz"].contains(lesson.id) {
            #expect((2...6).contains(lesson.steps.count), "\(lesson.id): 2–6 steps")
            for step in lesson.steps {
                #expect(step.goal != nil || step.sweep != nil || lesson.steps.count > 1, "\(lesson.id)")
            }
        }
    }
}
