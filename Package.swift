// swift-tools-version: 6.0
import PackageDescription

// Release flags for the engine, and why:
// - `-Xcc -fno-math-errno`: on Linux, Float.squareRoot() otherwise lowers to a
//   libm call that may set errno, which blocks vectorizing Adam's `sqrt(v)`.
// - `-target-cpu native` / `-march=native`: lets Swift's and clang's code
//   generators use the build machine's widest vectors (AVX2/AVX-512), and FMA
//   for `addingProduct` (without it each lane becomes a libm `fmaf` call).
// - `-Ounchecked` is not used: bounds checks are removed by the unsafe buffers
//   in the hot loops only, and the rest of the engine keeps its checks.
// Check the emitted code with the command in the README (objdump for zmm/ymm).
let engineFlags: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-fno-math-errno", "-Xcc", "-march=native", "-target-cpu", "native"]),
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
        .target(
            name: "DecayEngine",
            exclude: ["README.md"],
            resources: [.embedInCode("Export/reproduce.py")],
            swiftSettings: engineFlags
        ),
        .target(
            name: "DecayLessons",
            dependencies: ["DecayEngine"]
        ),
        // Terminal widgets: the cell grid, backends, charts and text. They
        // know nothing of lessons or training (as ratatui keeps its core and
        // widgets apart from any one app).
        .target(
            name: "TerminalUI",
            dependencies: ["CNcursesW"]
        ),
        .target(
            name: "DecayTUI",
            dependencies: ["TerminalUI", "DecayEngine", "DecayLessons"]
        ),
        .target(
            name: "DecayInspect",
            dependencies: ["DecayEngine", "DecayLessons", "TerminalUI", .product(name: "Yams", package: "Yams")],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .executableTarget(
            name: "decay-tutor",
            dependencies: [
                "DecayEngine", "DecayLessons", "DecayTUI", "TerminalUI", "DecayInspect",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .testTarget(
            name: "DecayEngineTests",
            dependencies: ["DecayEngine"],
            exclude: ["Fixtures"],
            swiftSettings: engineFlags
        ),
        .testTarget(
            name: "DecayLessonsTests",
            dependencies: ["DecayLessons", "DecayEngine"]
        ),
        .testTarget(
            name: "DecayTUITests",
            dependencies: ["DecayTUI", "TerminalUI", "DecayEngine", "DecayLessons"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .testTarget(
            name: "DecayInspectTests",
            dependencies: ["DecayInspect", "TerminalUI"],
            exclude: ["Fixtures"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["DecayEngine", "decay-tutor"],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
    ]
)
