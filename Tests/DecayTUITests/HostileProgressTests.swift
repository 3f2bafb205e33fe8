import Testing
import Foundation
import DecayEngine
import DecayLessons
@testable import TerminalUI
@testable import DecayTUI

/// Progress is outside data: whatever numbers a file holds, opening the
/// tutor on it must not trap (it did: `last.step - 1` on Int.min).
@Suite struct HostileProgressTests {
    static let hostileSteps = [Int.min, Int.min + 1, -1, 0, 4, 5050, Int.max]

    @Test(arguments: hostileSteps)
    func resumingFromAnyStepNumberDoesNotTrap(step: Int) throws {
        let library = try demoLibrary()
        let lesson = library.lessons[0]
        var state = TutorState(lessons: library.lessons,
                               progress: LearnerProgress(lessons: [:], last: .init(lesson: lesson.id, step: step)),
                               size: TerminalSize(width: 120, height: 40))
        let resumed = state.resumeStep(lesson: 0)
        #expect(lesson.steps.indices.contains(resumed))
        _ = state.update(Msg.key(Key.enter))
    }

    @Test(arguments: hostileSteps)
    func theAppLoadsAHostileFileAndResumesSafely(step: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("progress.json")
        let library = try demoLibrary()
        let id = library.lessons[0].id
        let json = """
        {"format":"decay-tutor progress","version":1,"lessons":{"\(id)":{"finishedSteps":[\(step),1],"answeredGoals":[\(step)]}},
         "last":{"lesson":"\(id)","step":\(step)}}
        """
        try Data(json.utf8).write(to: url)
        let store = ProgressStore(url: url, lessons: library.lessons)
        let app = App(library: library, store: store, size: TerminalSize(width: 120, height: 40), unicode: true, colors: 8)
        app.resumeLast()
        let finished = app.state.progress.lessons[id]?.finishedSteps ?? []
        #expect(finished.allSatisfy { library.lessons[0].steps.indices.contains($0 - 1) })
        if !(1...library.lessons[0].steps.count).contains(step) {
            #expect(app.state.notice?.contains("make no sense") == true)
        }
    }
}
