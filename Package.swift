// swift-tools-version: 6.0
import PackageDescription

// Release flags for the engine, and why:
// - `-Xcc -fno-math-errno`: on Linux, Float.squareRoot() otherwise lowers to a
//   libm call that may set errno, which blocks vectorizing Adam's `sqrt(v)`.
// - `-target-cpu` / `-march` (x86-64 only): lets Swift's and clang's code
//   generators use wide vectors (AVX2, AVX-512 where the CPU has it), and FMA
//   for `addingProduct` (without it each lane becomes a libm `fmaf` call).
//   By default the target is the build machine's CPU (`native`); with
//   DECAY_TUTOR_PORTABLE=1 in the environment it is `x86-64-v3` (AVX2 + FMA:
//   Intel Haswell, AMD Excavator and later), for a binary copied elsewhere.
//   arm64 gets no CPU flag in either mode: its baseline already has the
//   128-bit NEON vectors and FMA these loops use (Apple silicon has nothing
//   wider), and a flag a toolchain refuses would break the build.
//   The choice follows the machine that evaluates this manifest, so build on
//   the architecture you build for (no cross-compiling with these flags).
// - `-D DECAY_TUTOR_PORTABLE` tells the code which build it is (`bench` says so).
// - The vector ISA those flags enable (AVX2, AVX-512, NEON) is read back from
//   the compiler's predefined macros through Sources/CVectorISA, whose header
//   the clang importer evaluates with the same `-Xcc` flags: the matrix
//   products pick their register tiles for it (`LinearAlgebra.Tiling`), and
//   `bench` names it beside every figure.
// - `-Ounchecked` is not used: bounds checks are removed by the unsafe buffers
//   in the hot loops only, and the rest of the engine keeps its checks.
// Check the emitted code with the command in the README (objdump for zmm/ymm).
let portableBuild = ["1", "true", "yes"].contains(Context.environment["DECAY_TUTOR_PORTABLE"]?.lowercased() ?? "")
#if arch(x86_64)
let cpuFlags = portableBuild
    ? ["-Xcc", "-march=x86-64-v3"]   // Swift's code generator takes clang's CPU; `-target-cpu x86-64-v3` is refused
    : ["-Xcc", "-march=native", "-target-cpu", "native"]
#else
let cpuFlags: [String] = []
#endif
let engineFlags: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-fno-math-errno"] + cpuFlags),
] + (portableBuild ? [.define("DECAY_TUTOR_PORTABLE")] : [])
// `engineFlags` apply to the DecayKernels target (the hot loops) and its
// tests only; every other target compiles with SwiftPM's defaults.

// ncurses with the wide-character API: Linux (libncurses-dev) names it
// `ncursesw`; macOS's system library is `ncurses` and has the wide functions.
// Homebrew's keg-only `ncurses` is used when its include and lib folders are
// passed (README: -Xcc -I… -Xlinker -L…): its `libncurses` is the wide one
// and Sources/CNcursesW/shim.h then picks its <ncursesw/curses.h>. (No
// pkg-config here: SwiftPM warns on every build about the .pc files' -D flags.)
let cursesLinking: [LinkerSetting] = [
    .linkedLibrary("ncursesw", .when(platforms: [.linux])),
    .linkedLibrary("ncurses", .when(platforms: [.macOS])),
]

let package = Package(
    name: "decay-tutor",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "decay-tutor", targets: ["decay-tutor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(name: "CNcursesW", path: "Sources/CNcursesW"),
        // Header only: the build's vector ISA (predefined macros) and the CPU's (cpuid).
        .systemLibrary(name: "CVectorISA", path: "Sources/CVectorISA"),
        .target(
            name: "DecayKernels",
            dependencies: ["CVectorISA"],
            swiftSettings: engineFlags
        ),
        .target(
            name: "DecayBenchmarks",
            dependencies: ["DecayEngine", "DecayKernels", "DecayLessons", "DecayTUI", "TerminalUI", "DecayInspect", "TextSupport"],
            // PyTorch's side of `bench --pytorch`, run with the machine's python3.
            resources: [.embedInCode("pytorch_bench.py")]
        ),
        // Small text helpers several targets share (a JSON string literal;
        // "did you mean …?"; a number through a printf conversion), so
        // `inspect` needs neither the engine nor the lessons for them.
        // `package` access: not for outside use.
        .target(name: "TextSupport"),
        .target(
            name: "DecayEngine",
            dependencies: ["DecayKernels", "TextSupport"],
            exclude: ["README.md"],
            resources: [.embedInCode("Export/reproduce.py")]
        ),
        .target(
            name: "DecayLessons",
            dependencies: ["DecayEngine", "TextSupport"]
        ),
        // Terminal widgets: the cell grid, backends, charts and text. They
        // know nothing of lessons or training (as ratatui keeps its core and
        // widgets apart from any one app).
        .target(
            name: "TerminalUI",
            dependencies: ["CNcursesW"],
            linkerSettings: cursesLinking
        ),
        .target(
            name: "DecayTUI",
            dependencies: ["TerminalUI", "DecayEngine", "DecayLessons", "TextSupport"]
        ),
        .target(
            name: "DecayInspect",
            dependencies: ["TextSupport", "TerminalUI", .product(name: "Yams", package: "Yams")],
            // The keys Axolotl, TrainingArguments and TRL accept, written by
            // scripts/make_config_schemas.py from the libraries themselves.
            resources: [.embedInCode("Schema/config-schemas.json")],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        // Lessons/*.md compiled in at build time (Plugins/EmbedLessons).
        .target(name: "DecayBuiltinLessons", plugins: ["EmbedLessons"]),
        .executableTarget(name: "embed-lessons"),
        .plugin(name: "EmbedLessons", capability: .buildTool(), dependencies: ["embed-lessons"]),
        // The command line: every command, its options, output and exit
        // statuses. A library, so tests run commands in-process.
        .target(
            name: "DecayCLI",
            dependencies: [
                "DecayEngine", "DecayKernels", "DecayLessons", "DecayTUI", "TerminalUI", "DecayInspect", "DecayBuiltinLessons",
                "DecayBenchmarks", "TextSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        // The executable: main.swift only.
        .executableTarget(name: "decay-tutor", dependencies: ["DecayCLI"]),
        .testTarget(
            name: "DecayEngineTests",
            dependencies: ["DecayEngine", "DecayKernels", "DecayBenchmarks", "SeededRandom", "BuildMode"],
            exclude: ["Fixtures"],
            swiftSettings: engineFlags
        ),
        // Where on screen each claim test's claim is seen: read by the claim
        // tests' coverage check and by the TUI test that opens those steps.
        .target(name: "ClaimCatalog", path: "Tests/ClaimCatalog"),
        // The tests' seeded generator (SplitMix64), shared by the test targets.
        .target(name: "SeededRandom", path: "Tests/SeededRandom"),
        // `.optimizedOnly`: the trait of tests that run only in an optimized build.
        .target(name: "BuildMode", path: "Tests/BuildMode"),
        .testTarget(
            name: "DecayLessonsTests",
            dependencies: ["DecayLessons", "DecayEngine", "DecayBuiltinLessons", "ClaimCatalog", "SeededRandom", "TextSupport", "BuildMode"]
        ),
        .testTarget(
            name: "DecayTUITests",
            dependencies: ["DecayTUI", "TerminalUI", "DecayEngine", "DecayKernels", "DecayLessons", "ClaimCatalog", "SeededRandom", "BuildMode"],
            exclude: ["Golden"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .testTarget(
            name: "DecayInspectTests",
            dependencies: ["DecayInspect", "DecayLessons", "TerminalUI", "SeededRandom", "BuildMode"],
            exclude: ["Fixtures"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        // Reads Sources/ as text: the size rule (files ≤ 400 lines, functions ≤ 80).
        .testTarget(name: "SourceRulesTests"),
        // The commands run in-process: parsing, messages, exit statuses, output.
        .testTarget(
            name: "DecayCLITests",
            dependencies: ["DecayCLI", "DecayInspect", "TerminalUI", "BuildMode"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        // The real binary, spawned: terminals (tmux), signals, pipes, files.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["DecayEngine", "decay-tutor", "BuildMode"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
    ]
)
