import DecayEngine
import DecayLessons
import DecayTUI
import TerminalUI

/// One frame of the step screen at 120×40, timed through the tutor's public
/// runtime (as the terminal loop drives it): `view` into a grid plus the
/// diff against the previous frame on the in-memory backend. The step is
/// lesson 1's shape — two runs with 400 steps of history, loss and norm
/// charts — built here so the benchmark needs no lesson files.
enum FrameBenchmark {
    static func makeRenderer(clock: @escaping () -> Double = App.monotonicSeconds) -> () -> Double {
        let spec = ExperimentSpec(
            data: DataSpec(kind: .linearRegression),
            model: ModelSpec(kind: .linear, initialization: .normal(std: 1)),
            optimizer: OptimizerSpec(kind: .sgd, learningRate: 0.003),
            weightDecay: 0.01, groups: [.biases: false], steps: 400, batchSize: 5,
            runs: [RunSpec(name: "λ = 0", weightDecay: 0), RunSpec(name: "yours")])
        let prose = String(repeating: "Weight decay pulls every weight toward zero a little at each step: **λ** sets how hard. ", count: 12)
        let step = Step(title: "Find a λ that generalizes", prose: prose, spec: spec, controls: [.lambda])
        let lesson = Lesson(id: "bench", title: "Frame benchmark", file: "bench.md", steps: [step])
        let app = App(library: LessonLibrary(lessons: [lesson]), store: nil,
                      size: TerminalSize(width: 120, height: 40), unicode: true, colors: 256, clock: clock)
        app.open(lesson: 0, step: 0)
        app.session?.experiment.advance(steps: 400)
        let backend = MemoryBackend(width: 120, height: 40)
        backend.draw(app.frame())
        return {
            // A new training step between frames, as in the live tutor, so
            // the diff has real changes to send.
            app.session?.experiment.advance()
            let start = clock()
            backend.draw(app.frame())
            return (clock() - start) * 1000
        }
    }
}
