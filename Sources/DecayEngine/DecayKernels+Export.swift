// The engine's users (the lessons, the TUI, the benchmarks, tests) see the
// kernels through the engine, as before the kernels had a target of their own.
@_exported import DecayKernels
