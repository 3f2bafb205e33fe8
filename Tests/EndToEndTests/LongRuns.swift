import Foundation

/// The slow end-to-end scenarios run short by default (CI, a developer's
/// `swift test`) and at full length on request:
///
///     DECAY_TUTOR_LONG_TESTS=1 swift test -c release --filter "Soak|TmuxLearner"
///
/// runs the half-hour soak and the learner's goal-and-replay session in the
/// real binary (whose logic `ShippedStepsTests` replays in-process on every
/// run). `DECAY_TUTOR_SOAK_SECONDS=N` sets the soak's length alone.
enum LongRuns {
    static var requested: Bool {
        ["1", "true", "yes"].contains(ProcessInfo.processInfo.environment["DECAY_TUTOR_LONG_TESTS"]?.lowercased() ?? "")
    }

    /// The soak's length: DECAY_TUTOR_SOAK_SECONDS, else half an hour on
    /// request, else 10 s (a hundred keys, memory sampled five times).
    static var soakSeconds: Double {
        if let s = ProcessInfo.processInfo.environment["DECAY_TUTOR_SOAK_SECONDS"].flatMap(Double.init), s > 0 { return s }
        return requested ? 1800 : 10
    }
}
