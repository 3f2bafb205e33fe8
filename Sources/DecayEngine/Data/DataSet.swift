import Foundation

/// A generated train/validation split.
public struct DataSet: Sendable {
    public var spec: DataSpec
    public var trainX: Matrix
    /// One row of targets per example (MSE) or one class id per row.
    public var trainY: Matrix
    public var validationX: Matrix
    public var validationY: Matrix
    /// Inputs are token ids (for an embedding model) rather than features.
    public var tokenInputs: Bool
    /// The raw 1-D coordinate of each row (polynomial), for plotting the fit.
    public var trainCoordinate: [Float]
    public var validationCoordinate: [Float]
    /// The noiseless target function on a grid, for plotting (polynomial).
    public var truth: [(x: Float, y: Float)]

    public var inputWidth: Int { trainX.columns }
    public var outputWidth: Int { spec.isClassification ? spec.classes : trainY.columns }

    public init(
        spec: DataSpec, trainX: Matrix, trainY: Matrix, validationX: Matrix, validationY: Matrix,
        tokenInputs: Bool = false, trainCoordinate: [Float] = [], validationCoordinate: [Float] = [],
        truth: [(x: Float, y: Float)] = []
    ) {
        self.spec = spec
        self.trainX = trainX
        self.trainY = trainY
        self.validationX = validationX
        self.validationY = validationY
        self.tokenInputs = tokenInputs
        self.trainCoordinate = trainCoordinate
        self.validationCoordinate = validationCoordinate
        self.truth = truth
    }

    /// Generates the data set `spec` describes from `seed`.
    public static func generate(_ spec: DataSpec, seed: UInt64) -> DataSet {
        var rng = RandomSource(seed: seed, stream: "data")
        switch spec.kind {
        case .linearRegression: return linearRegression(spec, &rng)
        case .polynomial: return polynomial(spec, &rng)
        case .moons: return moons(spec, &rng)
        case .spirals: return spirals(spec, &rng)
        case .tokens: return tokens(spec, &rng)
        }
    }

    // y = 0.05 + Σ a·xᵢ + ε, x ~ N(0, 1), ε ~ N(0, σ²), a = `trueWeight` (0.01 by default)
    static func linearRegression(_ spec: DataSpec, _ rng: inout RandomSource) -> DataSet {
        let a = Double(spec.trueWeight)
        func sample(_ n: Int) -> (Matrix, Matrix) {
            var x = Matrix(rows: n, columns: spec.inputs)
            var y = Matrix(rows: n, columns: 1)
            for i in 0..<n {
                var t: Double = 0.05
                for j in 0..<spec.inputs {
                    let v = rng.normal()
                    x[i, j] = Float(v)
                    t += a * Double(Float(v))
                }
                y[i, 0] = Float(t + rng.normal(std: Double(spec.noise)))
            }
            return (x, y)
        }
        let (tx, ty) = sample(spec.trainCount)
        let (vx, vy) = sample(spec.validationCount)
        return DataSet(spec: spec, trainX: tx, trainY: ty, validationX: vx, validationY: vy)
    }

    /// The curve the polynomial lesson fits: smooth, with one bend more than
    /// a cubic can follow exactly, on [−1, 1].
    public static func polynomialTruth(_ x: Double) -> Double {
        sin(2.5 * x) + 0.3 * x
    }

    /// The polynomial data set's features of a coordinate: xᵏ for
    /// k = 1…degree (the linear layer's bias is the constant term).
    public static func polynomialFeatures(_ x: Double, degree: Int) -> [Float] {
        (1...max(degree, 1)).map { Float(pow(x, Double($0))) }
    }

    static func polynomial(_ spec: DataSpec, _ rng: inout RandomSource) -> DataSet {
        func features(_ x: Double) -> [Float] { polynomialFeatures(x, degree: spec.degree) }
        // Straight into the matrices: a row of features at a time, never a
        // list of rows (which held the set about three times over).
        func sample(_ n: Int, evenly: Bool) -> (Matrix, Matrix, [Float]) {
            var rows = Matrix(rows: n, columns: max(spec.degree, 1)), ys = Matrix(rows: n, columns: 1)
            var xs = [Float](repeating: 0, count: n)
            for i in 0..<n {
                let x = evenly
                    ? -1 + 2 * (Double(i) + rng.uniform(0.1, 0.9)) / Double(n)
                    : rng.uniform(-1, 1)
                for (k, f) in features(x).enumerated() { rows[i, k] = f }
                ys[i, 0] = Float(polynomialTruth(x) + rng.normal(std: Double(spec.noise)))
                xs[i] = Float(x)
            }
            return (rows, ys, xs)
        }
        // Training points are spread over the interval (jittered) so the
        // overfit wiggles between them rather than off the ends.
        let (tx, ty, tc) = sample(spec.trainCount, evenly: true)
        let (vx, vy, vc) = sample(spec.validationCount, evenly: false)
        let truth = (0...200).map { i -> (x: Float, y: Float) in
            let x = -1 + 2 * Double(i) / 200
            return (Float(x), Float(polynomialTruth(x)))
        }
        return DataSet(spec: spec, trainX: tx, trainY: ty, validationX: vx, validationY: vy,
                       trainCoordinate: tc, validationCoordinate: vc, truth: truth)
    }

    static func flipLabels(_ y: inout Matrix, fraction: Float, classes: Int, _ rng: inout RandomSource) {
        guard fraction > 0, classes > 1 else { return }
        for i in 0..<y.rows where rng.uniform() < Double(fraction) {
            let shift = 1 + Int(rng.next() % UInt64(classes - 1))
            y[i, 0] = Float((Int(y[i, 0]) + shift) % classes)
        }
    }

    static func moons(_ spec: DataSpec, _ rng: inout RandomSource) -> DataSet {
        func sample(_ n: Int, noisyLabels: Bool) -> (Matrix, Matrix) {
            var x = Matrix(rows: n, columns: 2)
            var y = Matrix(rows: n, columns: 1)
            for i in 0..<n {
                let label = i % 2
                let t = rng.uniform(0, .pi)
                let (a, b) = label == 0 ? (cos(t), sin(t)) : (1 - cos(t), 0.5 - sin(t))
                x[i, 0] = Float(a + rng.normal(std: Double(spec.noise)))
                x[i, 1] = Float(b + rng.normal(std: Double(spec.noise)))
                y[i, 0] = Float(label)
            }
            if noisyLabels { flipLabels(&y, fraction: spec.labelNoise, classes: 2, &rng) }
            return (x, y)
        }
        var s = spec
        s.classes = 2
        let (tx, ty) = sample(spec.trainCount, noisyLabels: true)
        let (vx, vy) = sample(spec.validationCount, noisyLabels: false)
        return DataSet(spec: s, trainX: tx, trainY: ty, validationX: vx, validationY: vy)
    }

    static func spirals(_ spec: DataSpec, _ rng: inout RandomSource) -> DataSet {
        let k = max(spec.classes, 2)
        func sample(_ n: Int, noisyLabels: Bool) -> (Matrix, Matrix) {
            var x = Matrix(rows: n, columns: 2)
            var y = Matrix(rows: n, columns: 1)
            for i in 0..<n {
                let arm = i % k
                let r = rng.uniform(0.05, 1)
                let angle = 2 * Double.pi * Double(arm) / Double(k) + 4 * r
                x[i, 0] = Float(r * cos(angle) + rng.normal(std: Double(spec.noise) * r))
                x[i, 1] = Float(r * sin(angle) + rng.normal(std: Double(spec.noise) * r))
                y[i, 0] = Float(arm)
            }
            if noisyLabels { flipLabels(&y, fraction: spec.labelNoise, classes: k, &rng) }
            return (x, y)
        }
        let (tx, ty) = sample(spec.trainCount, noisyLabels: true)
        let (vx, vy) = sample(spec.validationCount, noisyLabels: false)
        return DataSet(spec: spec, trainX: tx, trainY: ty, validationX: vx, validationY: vy)
    }

    /// The hidden token scores of the related-task family: base scores s and
    /// a fresh draw z, both N(0, 1) per token from a fixed stream, mixed as
    /// ρ·s + √(1 − ρ²)·z, so each task's scores correlate ρ with the base's.
    static func relatedTokenScores(vocabulary v: Int, correlation rho: Double) -> [Double] {
        var task = RandomSource(seed: 0x7A5C, stream: "token-task")
        let base = (0..<v).map { _ in task.normal() }
        let fresh = (0..<v).map { _ in task.normal() }
        let rest = max(1 - rho * rho, 0).squareRoot()
        return zip(base, fresh).map { rho * $0 + rest * $1 }
    }

    /// Token frequencies follow Zipf's law (p ∝ 1/rank), so a few tokens are
    /// everywhere and most are rare. Each token has a hidden score; a
    /// sequence's class is whether its scores sum above zero.
    static func tokens(_ spec: DataSpec, _ rng: inout RandomSource) -> DataSet {
        let v = max(spec.vocabulary, 2), length = max(spec.sequenceLength, 1)
        let scores = spec.taskCorrelation.map { relatedTokenScores(vocabulary: v, correlation: Double($0)) }
            ?? (0..<v).map { _ in rng.normal() }
        var cumulative: [Double] = []
        var total = 0.0
        for rank in 1...v {
            total += 1 / Double(rank)
            cumulative.append(total)
        }
        func draw() -> Int {
            let u = rng.uniform() * total
            var lo = 0, hi = v - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] < u { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        func sample(_ n: Int, noisyLabels: Bool) -> (Matrix, Matrix) {
            var x = Matrix(rows: n, columns: length)
            var y = Matrix(rows: n, columns: 1)
            for i in 0..<n {
                var s = 0.0
                for t in 0..<length {
                    let id = draw()
                    x[i, t] = Float(id)
                    s += scores[id]
                }
                y[i, 0] = s > 0 ? 1 : 0
            }
            if noisyLabels { flipLabels(&y, fraction: spec.labelNoise, classes: 2, &rng) }
            return (x, y)
        }
        var s = spec
        s.classes = 2
        let (tx, ty) = sample(spec.trainCount, noisyLabels: true)
        let (vx, vy) = sample(spec.validationCount, noisyLabels: false)
        return DataSet(spec: s, trainX: tx, trainY: ty, validationX: vx, validationY: vy, tokenInputs: true)
    }
}
