internal import CVectorISA

/// A family of vector instructions the kernels can be compiled for: what the
/// build targets (`build`, fixed when the engine was compiled) and what the
/// CPU running it offers (`cpu`, asked at run time). `bench` reports both, so
/// every figure says what it was measured on.
public enum VectorISA: Int, Sendable, Comparable, CustomStringConvertible {
    /// No vector unit the kernels know of (loops stay scalar).
    case none = 0
    /// x86-64's 128-bit baseline, without FMA.
    case sse2 = 1
    /// 256-bit vectors with fused multiply-add (x86-64-v3: Haswell, Excavator, Zen and later).
    case avx2 = 2
    /// 512-bit vectors (AVX-512F: Skylake-SP, Ice Lake, Zen 4 and later).
    case avx512 = 3
    /// arm64's 128-bit vectors, with fused multiply-add.
    case neon = 4

    /// The name as CPU vendors and `bench` write it.
    public var description: String {
        switch self {
        case .none: "scalar"
        case .sse2: "SSE2"
        case .avx2: "AVX2"
        case .avx512: "AVX-512"
        case .neon: "NEON"
        }
    }

    /// The width of one vector register, in bits.
    public var registerBits: Int {
        switch self {
        case .none: 32
        case .sse2, .neon: 128
        case .avx2: 256
        case .avx512: 512
        }
    }

    /// Orders by register width (NEON sits with SSE2 at 128 bits), so that
    /// `min(build, cpu)` is what runs.
    public static func < (lhs: VectorISA, rhs: VectorISA) -> Bool {
        lhs.registerBits < rhs.registerBits
    }

    /// What the kernels were compiled for (`-march` in Package.swift): a
    /// constant of the build, read from the compiler's predefined macros.
    public static var build: VectorISA {
        VectorISA(rawValue: Int(DECAY_BUILD_ISA)) ?? .none
    }

    /// The widest of these the CPU running the process has, with the
    /// operating system saving its registers (cpuid and xgetbv on x86-64).
    public static let cpu: VectorISA = VectorISA(rawValue: Int(decay_cpu_isa())) ?? .none

    /// What the kernels run with: the build's instructions. (A build for a
    /// wider ISA than the CPU has stops at its first such instruction, so a
    /// running process always has at least what it was built for.)
    public static var running: VectorISA { build }

    /// One line for reports: the ISA in use, and what else the CPU could do.
    public static var summary: String {
        let built = build, has = cpu
        var s = "\(built) (\(built.registerBits)-bit vectors"
        s += built == .avx2 || built == .avx512 || built == .neon ? ", FMA)" : ")"
        if has > built {
            s += "; this CPU also has \(has): a native build would use it"
        } else {
            s += "; this CPU has \(has)"
        }
        return s
    }
}
