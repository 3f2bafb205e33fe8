/// Which CPU the engine was compiled for, as Package.swift chose it: the build
/// machine's own (`native`, the default) or a baseline that runs on other
/// machines (`DECAY_TUTOR_PORTABLE=1`). `bench` reports it beside its figures.
public enum BuildTarget {
    /// Short name for reports: `native`, `portable`.
    public static var name: String {
        #if DECAY_TUTOR_PORTABLE
        return "portable"
        #else
        return "native"
        #endif
    }

    /// What the name means on this architecture.
    public static var cpu: String {
        #if arch(x86_64)
        #if DECAY_TUTOR_PORTABLE
        return "x86-64-v3 (AVX2, FMA)"
        #else
        return "the build machine's CPU (-march=native)"
        #endif
        #elseif arch(arm64)
        return "arm64 baseline (NEON, FMA)"
        #else
        return "the compiler's default target"
        #endif
    }
}
