import Foundation

/// How an experiment's pretrained parameters were obtained.
public enum PretrainOutcome: Sendable, Equatable {
    /// Trained now (no cache folder, or nothing cached yet), in this many seconds.
    case computed(seconds: Double)
    /// Read from the cache.
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
        let values = start.parameters.flatMap(\.value)
        let startHash = PretrainCache.fnv1a(values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * $0)) } })
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
    public static func pretrain(_ spec: PretrainSpec, experiment e: ExperimentSpec, start: Network,
                                cacheDirectory: URL? = Pretraining.cacheDirectory) -> (Network, PretrainOutcome) {
        let count = start.parameters.reduce(0) { $0 + $1.count }
        let key = key(spec, experiment: e, start: start)
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
            do { try cache.write(key: key, values: net.parameters.flatMap(\.value)) } catch {
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

    static func load(_ values: [Float], into net: Network) {
        var offset = 0
        for p in net.parameters {
            p.value = Array(values[offset..<(offset + p.count)])
            offset += p.count
        }
    }
}
