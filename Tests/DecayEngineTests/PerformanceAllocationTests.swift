// Linux only: the counter patches libswiftCore's ELF GOT (see below).
#if os(Linux)
import Glibc
import Testing
import BuildMode
@testable import DecayEngine
@testable import DecayBenchmarks

// A training step must not allocate once the experiment is warmed up: at
// thousands of steps per second an allocation per step is measurable, and in
// the TUI it is the difference between a steady frame and a stutter.
//
// How allocations are counted: every heap allocation Swift makes — array and
// string buffers, class instances, closure contexts, boxes,
// `UnsafeMutablePointer.allocate`, large `withUnsafeTemporaryAllocation` —
// goes through the runtime's `swift_slowAlloc`, which calls `malloc` (or
// `posix_memalign`/`aligned_alloc` for over-aligned memory) through
// libswiftCore's GOT. The counter below points those GOT slots at counting
// trampolines for the duration of a measurement and counts calls made on the
// measuring thread only, so tests running in parallel do not disturb it.
// Counting calls is what makes this robust: a heap-in-use figure such as
// `mallinfo2().uordblks` cannot see an allocation freed within the same step
// (glibc's tcache even hides it from the arena). (The runtime's own
// `_swift_allocObject` hook is not usable: enabling it reroutes
// `swift_retain` through an adapter that crashes on this toolchain.)
enum AllocationCounter {
    typealias Malloc = @convention(c) (Int) -> UnsafeMutableRawPointer?
    typealias Memalign = @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>?, Int, Int) -> Int32
    typealias AlignedAlloc = @convention(c) (Int, Int) -> UnsafeMutableRawPointer?

    nonisolated(unsafe) static var thread: pthread_t = 0
    nonisolated(unsafe) static var count = 0
    nonisolated(unsafe) static var realMalloc: Malloc?
    nonisolated(unsafe) static var realMemalign: Memalign?
    nonisolated(unsafe) static var realAlignedAlloc: AlignedAlloc?

    @inline(__always) static func note() {
        if pthread_equal(pthread_self(), thread) != 0 { count += 1 }
    }

    static let countingMalloc: Malloc = { size in
        AllocationCounter.note()
        return AllocationCounter.realMalloc!(size)
    }
    static let countingMemalign: Memalign = { out, alignment, size in
        AllocationCounter.note()
        return AllocationCounter.realMemalign!(out, alignment, size)
    }
    static let countingAlignedAlloc: AlignedAlloc = { alignment, size in
        AllocationCounter.note()
        return AllocationCounter.realAlignedAlloc!(alignment, size)
    }

    /// libswiftCore's GOT slots for the allocation functions, found from its
    /// in-memory dynamic section (PLT relocations), made writable once.
    nonisolated(unsafe) static let slots: [String: UnsafeMutablePointer<UnsafeRawPointer?>] = {
        // The load address of libswiftCore: its first mapping (file offset 0).
        // (/proc files report size 0, so read them with getline, not Foundation.)
        var maps = ""
        if let file = fopen("/proc/self/maps", "r") {
            var buffer: UnsafeMutablePointer<CChar>?
            var capacity = 0
            while getline(&buffer, &capacity, file) > 0 { maps += String(cString: buffer!) }
            free(buffer)
            fclose(file)
        }
        guard let line = maps.split(separator: "\n").first(where: {
                  $0.hasSuffix("/libswiftCore.so") && $0.split(separator: " ")[2] == "00000000" }),
              let address = UInt(line.prefix { $0 != "-" }, radix: 16),
              let b = UnsafeRawPointer(bitPattern: address)
        else { return [:] }
        func absolute(_ v: UInt64) -> UnsafeRawPointer {
            v < UInt64(UInt(bitPattern: b)) ? b + Int(v) : UnsafeRawPointer(bitPattern: UInt(v))!
        }
        let phoff = Int(b.load(fromByteOffset: 0x20, as: UInt64.self))
        let phentsize = Int(b.load(fromByteOffset: 0x36, as: UInt16.self))
        let phnum = Int(b.load(fromByteOffset: 0x38, as: UInt16.self))
        var dynamic: UnsafeRawPointer?
        for i in 0..<phnum {
            let ph = b + phoff + i * phentsize
            if ph.load(as: UInt32.self) == 2 { dynamic = b + Int(ph.load(fromByteOffset: 0x10, as: UInt64.self)) } // PT_DYNAMIC
        }
        guard var d = dynamic else { return [:] }
        var jmprel: UnsafeRawPointer?, pltrelsz = 0, symtab: UnsafeRawPointer?, strtab: UnsafeRawPointer?
        while true {
            let tag = d.load(as: Int64.self), value = d.load(fromByteOffset: 8, as: UInt64.self)
            if tag == 0 { break }
            switch tag {
            case 23: jmprel = absolute(value)     // DT_JMPREL
            case 2: pltrelsz = Int(value)         // DT_PLTRELSZ
            case 6: symtab = absolute(value)      // DT_SYMTAB
            case 5: strtab = absolute(value)      // DT_STRTAB
            default: break
            }
            d += 16
        }
        guard let jmprel, let symtab, let strtab else { return [:] }
        var found: [String: UnsafeMutablePointer<UnsafeRawPointer?>] = [:]
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        for r in 0..<(pltrelsz / 24) {
            let rela = jmprel + r * 24
            let symbol = Int(rela.load(fromByteOffset: 8, as: UInt64.self) >> 32)
            let nameOffset = Int(symtab.load(fromByteOffset: symbol * 24, as: UInt32.self))
            let name = String(cString: (strtab + nameOffset).assumingMemoryBound(to: CChar.self))
            guard ["malloc", "posix_memalign", "aligned_alloc"].contains(name) else { continue }
            let slot = UnsafeMutableRawPointer(mutating: b + Int(rela.load(as: UInt64.self)))
            let start = UnsafeMutableRawPointer(bitPattern: UInt(bitPattern: slot) & ~UInt(page - 1))
            guard mprotect(start, page, PROT_READ | PROT_WRITE) == 0 else { continue }
            found[name] = slot.assumingMemoryBound(to: UnsafeRawPointer?.self)
        }
        return found
    }()

    static var installed: Bool { slots["malloc"] != nil }

    /// Heap allocations made by the Swift runtime on this thread during `body`.
    static func measure(_ body: () -> Void) -> Int {
        precondition(installed)
        let saved = slots.mapValues { $0.pointee }
        realMalloc = unsafeBitCast(dlsym(nil, "malloc"), to: Malloc.self)
        realMemalign = unsafeBitCast(dlsym(nil, "posix_memalign"), to: Memalign.self)
        realAlignedAlloc = unsafeBitCast(dlsym(nil, "aligned_alloc"), to: AlignedAlloc.self)
        thread = pthread_self()
        count = 0
        slots["malloc"]?.pointee = unsafeBitCast(countingMalloc, to: UnsafeRawPointer.self)
        slots["posix_memalign"]?.pointee = unsafeBitCast(countingMemalign, to: UnsafeRawPointer.self)
        slots["aligned_alloc"]?.pointee = unsafeBitCast(countingAlignedAlloc, to: UnsafeRawPointer.self)
        body()
        for (name, slot) in slots { slot.pointee = saved[name]! }
        thread = 0
        return count
    }
}

@Suite("Allocation-free training steps", .serialized)
struct PerformanceAllocationTests {
    /// The counter itself works: an array allocation on this thread is seen.
    @Test func counterSeesAnAllocation() throws {
        try #require(AllocationCounter.installed, "libswiftCore's malloc slot not found")
        var sink: [Int] = []
        let objects = AllocationCounter.measure {
            sink = Array(repeating: 7, count: 100)
        }
        #expect(objects >= 1)
        #expect(sink.count == 100)
    }

    static let specs: [(String, ExperimentSpec)] = [
        ("MLP 2-64-64-2, AdamW", BenchmarkSuite.mlpSpec(evaluationInterval: 10)),
        ("linreg, SGD + L2", BenchmarkSuite.linregSpec(evaluationInterval: 10)),
        ("MLP + LayerNorm + GELU + dropout, Adam + L2, two runs", ExperimentSpec(
            data: DataSpec(kind: .spirals),
            model: ModelSpec(kind: .mlp, hidden: [32, 24], activation: .gelu, layerNorm: true, dropoutLayers: true),
            optimizer: OptimizerSpec(kind: .adam, learningRate: 1e-3), weightDecay: 1e-3, dropout: 0.2,
            steps: 100_000, evaluationInterval: 10,
            runs: [RunSpec(name: "a", weightDecay: 0), RunSpec(name: "b", weightDecay: 1e-2)])),
        ("MLP tanh, SGD momentum (Nesterov), decoupled", ExperimentSpec(
            data: DataSpec(kind: .moons),
            model: ModelSpec(kind: .mlp, hidden: [16], activation: .tanh),
            optimizer: OptimizerSpec(kind: .sgd, learningRate: 1e-2, momentum: 0.9, nesterov: true),
            decay: .decoupled, weightDecay: 1e-2, steps: 100_000, evaluationInterval: 10)),
        ("LoRA r 8 on a 256 × 256 layer, lora_dropout 0.05, AdamW", BenchmarkSuite.loraSpec(evaluationInterval: 10)),
        ("LoRA r 4 over a frozen LayerNorm MLP, Adam + L2 toward init, two ranks", {
            var spec = ExperimentSpec(
                data: DataSpec(kind: .spirals), model: ModelSpec(kind: .mlp, hidden: [32, 24], layerNorm: true),
                optimizer: OptimizerSpec(kind: .adam, learningRate: 1e-3), weightDecay: 1e-2, steps: 100_000,
                evaluationInterval: 10, runs: [RunSpec(name: "r 4"), RunSpec(name: "r 2")])
            spec.adapter = AdapterSpec(rank: 4, alpha: 8, targets: [.hidden, .head])
            spec.runs[1].adapter = .lora(AdapterSpec(rank: 2, alpha: 4, rsLoRA: true, targets: [.hidden, .head]))
            spec.decayTo = .initial
            spec.loraDropout = 0.1
            return spec
        }()),
    ]

    /// Release builds only: at -Onone the compiler neither specializes the
    /// generic SIMD code nor promotes closure contexts to the stack (measured:
    /// thousands of allocations per step), so the property is about the
    /// optimized engine. Minibatch experiments are not covered yet:
    /// `BatchOrder.next()` returns a fresh `[Int]` per step by design.
    @Test("No allocation per step after warm-up (full batch)",
          .optimizedOnly("-Onone allocates in generic code; run swift test -c release --filter Performance"),
          arguments: 0..<specs.count)
    func fullBatchStepsDoNotAllocate(index: Int) throws {
        try #require(AllocationCounter.installed, "libswiftCore's malloc slot not found")
        let (name, spec) = Self.specs[index]
        let e = Experiment(spec: spec, historyCapacity: 64)
        // Warm-up: buffers reach their sizes for training and validation, and
        // the bounded history fills and compacts at least once.
        e.advance(steps: 150)
        let objects = AllocationCounter.measure { e.advance(steps: 200) }
        #expect(!e.allDiverged, "\(name) diverged")
        #expect(objects == 0, "\(name): \(objects) Swift objects allocated in 200 steps")
    }
}
#endif
