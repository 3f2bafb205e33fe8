/// Paces the live runs so a learner can watch them: a step's planned run
/// takes `secondsPerRun` on screen whatever the machine (never faster; a
/// slow machine simply shows its own rate). The learner can go faster or
/// slower by factors of two, or finish the planned steps at once.
///
/// Each frame adds the time since the last frame times the target rate to a
/// credit of steps; training spends it. The credit is capped at half a
/// second's worth, so a frame that ran late (a paused tutor, a slow draw)
/// does not make the curves jump (a machine too busy to keep the pace
/// shows its own, slower rate).
public struct Pacer: Sendable, Equatable {
    public static let secondsPerRun = 5.0
    /// The slowest and fastest pace, as powers of two of the planned pace.
    public static let speedRange = -4...4

    public var plannedSteps: Int
    /// log2 of the pace: 0 is the planned pace, 1 twice as fast.
    public private(set) var speedExponent = 0
    /// "Finish now": train at full speed until the current stretch ends.
    public var finishing = false
    private var credit = 0.0
    private var lastTime: Double?

    public init(plannedSteps: Int) {
        self.plannedSteps = max(plannedSteps, 1)
    }

    public var speed: Double { Double(1 << max(speedExponent, 0)) / Double(1 << max(-speedExponent, 0)) }

    /// Target training steps per second at this pace.
    public var targetRate: Double { Double(plannedSteps) / Self.secondsPerRun * speed }

    /// `×2`, `÷4`, `×1` (ASCII `x2`, `/4`).
    public func label(unicode: Bool) -> String {
        if finishing { return "finishing" }
        let times = unicode ? "×" : "x", over = unicode ? "÷" : "/"
        return speedExponent >= 0 ? "\(times)\(1 << speedExponent)" : "\(over)\(1 << -speedExponent)"
    }

    public mutating func faster() { speedExponent = min(speedExponent + 1, Self.speedRange.upperBound) }
    public mutating func slower() { speedExponent = max(speedExponent - 1, Self.speedRange.lowerBound) }

    /// The steps the runs may take now. `running` is false while paused or
    /// finished, which also spends no credit.
    public mutating func allowance(now: Double, running: Bool) -> Int {
        defer { lastTime = now }
        guard running, let last = lastTime else {
            credit = 0
            return 0
        }
        if finishing { return Int.max }
        let cap = max(1, targetRate * 0.5)
        credit = min(credit + max(now - last, 0) * targetRate, cap)
        return Int(credit)
    }

    /// Records that `n` steps were taken.
    public mutating func spend(_ n: Int) {
        credit = max(0, credit - Double(n))
    }
}
