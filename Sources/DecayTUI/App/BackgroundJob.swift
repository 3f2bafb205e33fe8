import DecayEngine
import Foundation

/// Long work on a thread of its own, so keys stay answered: the goal's
/// replay and an export. The runtime polls `result` once a frame. Cancelling
/// raises the job's `Cancellation`, which the work checks between training
/// steps; a cancelled job reports nothing.
final class BackgroundJob<Output: Sendable>: @unchecked Sendable {
    let cancellation = Cancellation()
    private let lock = NSLock()
    private var output: Output?
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `work` at once; it returns nil when it saw the cancellation.
    init(_ work: @escaping @Sendable (Cancellation) -> Output?) {
        Thread.detachNewThread { [self] in
            let out = work(cancellation)
            lock.withLock { if !cancellation.isCancelled { output = out } }
            finished.signal()
        }
    }

    /// The work's output once it has finished (nil while it runs, or after
    /// a cancel).
    var result: Output? { lock.withLock { output } }

    func cancel() { cancellation.cancel() }

    /// Blocks until the work has returned (tests that need its files).
    func wait() {
        finished.wait()
        finished.signal()
    }
}
