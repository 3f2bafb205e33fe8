import Testing
@testable import DecayKernels
@testable import DecayBenchmarks

// The ISA read back from the compiler's macros is the one Package.swift
// asked for, and `bench` names it (and the CPU's) in its text and JSON.
@Suite("The vector ISA the kernels are built for")
struct VectorISATests {
    @Test func buildMatchesThePackageFlags() {
        #if arch(x86_64)
        #if DECAY_TUTOR_PORTABLE
        #expect(VectorISA.build == .avx2, "x86-64-v3 is AVX2 + FMA")
        #else
        // -march=native targets the machine the tests run on (CI builds and
        // tests on one machine): exactly what cpuid reports.
        #expect(VectorISA.build == VectorISA.cpu)
        #endif
        #expect(VectorISA.cpu >= .avx2 || VectorISA.build < .avx2)
        #elseif arch(arm64)
        #expect(VectorISA.build == .neon && VectorISA.cpu == .neon)
        #endif
        #expect(VectorISA.running == VectorISA.build)
    }

    @Test func tilingFollowsTheRegisterWidth() {
        #expect(LinearAlgebra.Tiling.native == (VectorISA.build.registerBits >= 512 ? .lanes16 : .lanes8))
        #expect(VectorISA.avx2.registerBits == 256 && VectorISA.avx512.registerBits == 512)
        #expect(VectorISA.neon < VectorISA.avx2 && VectorISA.avx2 < VectorISA.avx512)
    }

    @Test func benchNamesTheISA() {
        let report = BenchmarkReport(measurements: [], quick: true, cores: 2)
        #expect(report.table.contains("Vector ISA: \(VectorISA.build) (\(VectorISA.build.registerBits)-bit vectors"))
        #expect(report.json.contains("\"vector_isa\": \"\(VectorISA.build)\""))
        #expect(report.json.contains("\"vector_bits\": \(VectorISA.build.registerBits)"))
        #expect(report.json.contains("\"cpu_vector_isa\": \"\(VectorISA.cpu)\""))
    }

    /// The MLP's 7,500 steps/s was set on the AVX-512 machine: only an
    /// AVX-512 build is held to it; the narrower ones are held to the lead
    /// over PyTorch, which every build keeps.
    @Test func mlpStepsTargetIsAVX512s() {
        #expect(BenchmarkSuite.mlpStepsTarget(for: .avx512) == 7500)
        for isa in [VectorISA.avx2, .neon, .sse2, .none] {
            #expect(BenchmarkSuite.mlpStepsTarget(for: isa) == nil, "\(isa)")
        }
        let suite = BenchmarkSuite(quick: true)
        #expect(suite.mlpWorkload.target == BenchmarkSuite.mlpStepsTarget(for: VectorISA.build))
        #expect(suite.mlpWorkload.leadTarget == 6)
    }
}
