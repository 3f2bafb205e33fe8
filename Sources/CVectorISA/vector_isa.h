#ifndef DECAY_TUTOR_VECTOR_ISA_H
#define DECAY_TUTOR_VECTOR_ISA_H

// Which vector instructions the engine's kernels are compiled for, and which
// this CPU has. Swift has no condition for target features, but the clang
// importer evaluates this header with the importing target's flags
// (`-Xcc -march=…` in Package.swift), so the macros below say what the
// kernels' own code generator was told to use.

// Codes shared by the two answers.
#define DECAY_ISA_NONE 0
#define DECAY_ISA_SSE2 1
#define DECAY_ISA_AVX2 2
#define DECAY_ISA_AVX512 3
#define DECAY_ISA_NEON 4

#if defined(__AVX512F__)
#define DECAY_BUILD_ISA DECAY_ISA_AVX512
#elif defined(__AVX2__) && defined(__FMA__)
#define DECAY_BUILD_ISA DECAY_ISA_AVX2
#elif defined(__ARM_NEON) || defined(__ARM_NEON__)
#define DECAY_BUILD_ISA DECAY_ISA_NEON
#elif defined(__SSE2__)
#define DECAY_BUILD_ISA DECAY_ISA_SSE2
#else
#define DECAY_BUILD_ISA DECAY_ISA_NONE
#endif

#if defined(__x86_64__)
static inline void decay_cpuid(unsigned leaf, unsigned subleaf, unsigned out[4]) {
    __asm__ volatile("cpuid"
                     : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3])
                     : "a"(leaf), "c"(subleaf));
}

// XCR0: which register states the operating system saves on a context
// switch. A CPU feature is usable only if the OS saves its registers.
static inline unsigned long long decay_xcr0(void) {
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}
#endif

// The widest of the ISAs above this CPU runs, at run time (cpuid + xgetbv
// on x86-64; NEON is part of arm64's baseline).
static inline int decay_cpu_isa(void) {
#if defined(__x86_64__)
    unsigned r[4];
    decay_cpuid(0, 0, r);
    unsigned maxLeaf = r[0];
    decay_cpuid(1, 0, r);
    int osxsave = (r[2] >> 27) & 1, avx = (r[2] >> 28) & 1, fma = (r[2] >> 12) & 1;
    if (!osxsave || !avx || maxLeaf < 7) return DECAY_ISA_SSE2;
    unsigned long long xcr0 = decay_xcr0();
    if ((xcr0 & 0x6) != 0x6) return DECAY_ISA_SSE2;          // XMM and YMM state
    decay_cpuid(7, 0, r);
    int avx2 = (r[1] >> 5) & 1, avx512f = (r[1] >> 16) & 1;
    if (avx512f && (xcr0 & 0xE6) == 0xE6) return DECAY_ISA_AVX512;   // + opmask, ZMM state
    if (avx2 && fma) return DECAY_ISA_AVX2;
    return DECAY_ISA_SSE2;
#elif defined(__aarch64__) || defined(__arm64__)
    return DECAY_ISA_NEON;
#else
    return DECAY_ISA_NONE;
#endif
}

#endif
