import Foundation

/// How an experiment's pretrained parameters were obtained.
public enum PretrainOutcome: Sendable, Equatable {
    /// Trained now (no cache folder, or nothing cached yet), in this many seconds.
    case computed(seconds: Double)
    /// Read from the cache folder, or reused from this process's memory.
    case loaded
    /// The cache file could not be trusted: retrained, and the reason.
    case recomputed(problem: String, seconds: Double)

    /// What went wrong with the cache, if anything: a line for a person.
    public var problem: String? { if case let .recomputed(p, _) = self { p } else { nil } }
}

/// Pretraining (see `PretrainSpec`) and its cache.
public enum Pretraining {
    /// Bump when anything that changes the engine's numbers changes: it is
    /// part of every cache key, so older results are recomputed, not trusted.
    public static let engineVersion = "decay-engine 2026.12-1"

    private final class Settings: @unchecked Sendable {
        let lock = NSLock()
        var directory: URL?
        var report: (@Sendable (String) -> Void)?
    }
    private static let settings = Settings()

    /// Pretrained parameters this process already computed, by key, for
    /// callers that ask to remember them (an experiment built again, a
    /// band's seeds, the tests): without a cache folder a debug build would
    /// otherwise retrain for every one. Bounded; the oldest goes first.
    private final class Memory: @unchecked Sendable {
        let lock = NSLock()
        var keys: [String] = []
        var values: [String: [Float]] = [:]
        static let capacity = 16
        /// Parameters kept in all (16M floats, 64 MB): a few large models
        /// must not stay in memory for the whole session.
        static let capacityFloats = 16 << 20

        func get(_ key: String) -> [Float]? { lock.withLock { values[key] } }

        func put(_ key: String, _ v: [Float]) {
            guard v.count <= Self.capacityFloats else { return }
            lock.withLock {
                if values.updateValue(v, forKey: key) == nil { keys.append(key) }
                while keys.count > Self.capacity || values.values.reduce(0, { $0 + $1.count }) > Self.capacityFloats {
                    values[keys.removeFirst()] = nil
                }
            }
        }
    }
    private static let memory = Memory()

    /// The folder cached results live in (nil: pretraining runs every time).
    /// The tutor sets it to the `pretrain` folder beside its progress file.
    public static var cacheDirectory: URL? {
        get { settings.lock.withLock { settings.directory } }
        set { settings.lock.withLock { settings.directory = newValue } }
    }

    /// Hears every cache problem (a damaged or foreign file, a failed write).
    public static var report: (@Sendable (String) -> Void)? {
        get { settings.lock.withLock { settings.report } }
        set { settings.lock.withLock { settings.report = newValue } }
    }

    /// Everything that determines the pretrained parameters, as text: the
    /// engine version, the target experiment's data and model, the
    /// pretraining settings, the seed and the starting parameters' hash.
    static func key(_ spec: PretrainSpec, experiment e: ExperimentSpec, start: Network) -> String {
        // FNV-1a over the little-endian bytes of every value, in place (a
        // flat byte copy of a large model would be four bytes per parameter).
        var startHash: UInt64 = 0xCBF2_9CE4_8422_2325
        for p in start.parameters {
            for v in p.value {
                for k in 0..<4 { startHash = (startHash ^ UInt64(UInt8(truncatingIfNeeded: v.bitPattern >> (8 * k)))) &* 0x0000_0100_0000_01B3 }
            }
        }
        // Pinned or not, the same owner seed is the same pretraining.
        var settings = spec
        settings.experimentSeed = nil
        var data = e.data
        data.labelNoise = 0  // the fine-tuning set's; pretraining has its own
        return "\(engineVersion)|data \(data)|model \(e.model)|groups \(e.groups.sorted { $0.key.rawValue < $1.key.rawValue })"
            + "|pretrain \(settings)|seed \(spec.ownerSeed(of: e))|start \(String(startHash, radix: 16))"
    }

    /// `start` pretrained as `spec` says, from the cache when it holds a
    /// valid result for exactly these settings. Never trusts a damaged,
    /// truncated or foreign file: it is reported, retrained and replaced.
    /// With `remember`, a result this process computed before is reused
    /// (`.loaded`) before the cache folder is looked at.
    public static func pretrain(_ spec: PretrainSpec, experiment e: ExperimentSpec, start: Network,
                                cacheDirectory: URL? = Pretraining.cacheDirectory,
                                remember: Bool = false) -> (Network, PretrainOutcome) {
        let count = start.parameters.reduce(0) { $0 + $1.count }
        let key = key(spec, experiment: e, start: start)
        if remember, let values = memory.get(key), values.count == count {
            let net = start.copy()
            load(values, into: net)
            return (net, .loaded)
        }
        let (net, outcome) = pretrainOnce(spec, experiment: e, start: start, key: key, count: count, cacheDirectory: cacheDirectory)
        if remember { memory.put(key, flatValues(net)) }
        return (net, outcome)
    }

    private static func pretrainOnce(_ spec: PretrainSpec, experiment e: ExperimentSpec, start: Network, key: String, count: Int,
                                     cacheDirectory: URL?) -> (Network, PretrainOutcome) {
        var problem: String?
        if let dir = cacheDirectory {
            let cache = PretrainCache(directory: dir, key: key)
            do {
                if let values = try cache.read(key: key, count: count) {
                    let net = start.copy()
                    load(values, into: net)
                    return (net, .loaded)
                }
            } catch {
                problem = "pretraining cache: \(error); recomputed"
                report?(problem!)
            }
        }
        let clock = ContinuousClock.now
        let net = train(spec, experiment: e, start: start)
        let elapsed = ContinuousClock.now - clock
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        if let dir = cacheDirectory {
            let cache = PretrainCache(directory: dir, key: key)
            do { try cache.write(key: key, values: flatValues(net)) } catch {
                report?("pretraining cache: \(error); the result is not kept")
            }
        }
        return (net, problem.map { .recomputed(problem: $0, seconds: seconds) } ?? .computed(seconds: seconds))
    }

    /// Trains a copy of `start` on the pretraining set.
    static func train(_ spec: PretrainSpec, experiment e: ExperimentSpec, start: Network) -> Network {
        let p = spec.pretrainingSpec(for: e)
        let data = DataSet.generate(p.data, seed: p.seed)
        let settings = RunSettings(run: p.resolvedRuns[0], experiment: p)
        let source: BatchOrder.Source = p.batchSize.map { .shuffled(batchSize: $0, seed: p.seed) } ?? .full
        let x = Experiment(spec: p, data: data, network: start.copy(), runNames: ["pretraining"], settings: [settings],
                           batches: source, dropoutSeeds: [0], evaluationInterval: p.steps, historyCapacity: 16)
        x.advance(steps: p.steps)
        return x.runs[0].network
    }

    /// Every parameter value in order, in one exactly sized array.
    static func flatValues(_ net: Network) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(net.parameters.reduce(0) { $0 + $1.count })
        for p in net.parameters { out += p.value }
        return out
    }

    static func load(_ values: [Float], into net: Network) {
        var offset = 0
        for p in net.parameters {
            p.value = Array(values[offset..<(offset + p.count)])
            offset += p.count
        }
    }
}
