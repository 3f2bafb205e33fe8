/// Everything a frame is drawn from that can change without a key press:
/// the tutor's state (which `tick` may update: a goal met, a run diverged,
/// an export done) and the numbers of the open step that training, the
/// sweep's workers and the goal's replay move on their own. The view is a
/// pure function of the state and the training snapshot, so when a tick
/// leaves this key as it was, the frame would come out the same: the loop
/// then neither renders nor draws it. Keys always redraw (they change what
/// the view reads in ways this key need not list, such as the pace).
struct FrameKey: Equatable {
    var state: TutorState
    var step: Int?
    var stepLimit: Int?
    var stepsPerSecond: Double?
    var sweepCells: Int?
    var replay: TrainingSnapshot.ReplayState?
    var exporting: Bool

    init(state: TutorState, session: StepSession?, exporting: Bool) {
        self.state = state
        step = session?.experiment.step
        stepLimit = session?.stepLimit
        stepsPerSecond = session?.stepsPerSecond
        sweepCells = session?.sweep?.finishedCount
        replay = session?.replayState
        self.exporting = exporting
    }
}
