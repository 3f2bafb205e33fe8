import Testing

/// Whether the tests were built optimized (`swift test -c release`).
public let isOptimizedBuild: Bool = {
    #if DEBUG
    false
    #else
    true
    #endif
}()

extension Trait where Self == ConditionTrait {
    /// A test that means something, or finishes in seconds, only in an
    /// optimized build: a lesson claim that trains a shipped step at full
    /// length or in every seed, a speed ratio, an allocation count. CI runs
    /// every test once, optimized (README, Test); a developer's debug
    /// `swift test` lists these as skipped, with the reason.
    ///
    ///     @Test(.optimizedOnly, arguments: claimSeeds) func l4Claim(seed: UInt64) { … }
    public static var optimizedOnly: Self {
        .enabled(if: isOptimizedBuild, "optimized builds only (swift test -c release): full-length or many-seed training, or a speed property")
    }

    /// `optimizedOnly`, saying why this test needs an optimized build.
    public static func optimizedOnly(_ reason: Comment) -> Self {
        .enabled(if: isOptimizedBuild, reason)
    }
}
