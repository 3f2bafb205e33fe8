import Foundation

/// A request to stop, raised by one thread and read by long work on another
/// between its units (a training step, a sweep cell's step): the one way
/// the tutor stops an export, a goal replay or a sweep. Raising it is
/// final; work that sees it stops at its next check and reports nothing.
public final class Cancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    public init() {}

    public func cancel() { lock.withLock { raised = true } }

    public var isCancelled: Bool { lock.withLock { raised } }
}

extension Experiment {
    /// Trains `steps` steps unless `cancellation` is raised first, checking
    /// it before every step. Returns false when it stopped early.
    @discardableResult
    public func advance(steps: Int, cancellation: Cancellation) -> Bool {
        for _ in 0..<max(steps, 0) {
            if cancellation.isCancelled { return false }
            advance()
        }
        return true
    }
}
