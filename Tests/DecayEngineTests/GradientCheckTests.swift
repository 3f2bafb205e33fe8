import Foundation
import Testing
import DecayKernels
@testable import DecayEngine

// Hand-written backward passes against central finite differences.
//
// Layers: the objective is f = Σ r ⊙ layer(x) with a fixed random r (so
// dy = r), summed in Double. The forward pass is Float, so the step is
// large (h ≈ 3e-3) and the difference quotient divides by the step that was
// actually taken after rounding, (x + h) − (x − h) in Float. Truncation
// error is O(h²·f‴) and rounding error ≈ u·Σ|r·y|/h, both well under the
// 1 % relative tolerance used (an element may also be off by 1 % of the
// tensor's largest gradient, for entries near zero).
//
// Losses: the engine's loss value is compared with a Double reference, and
// its gradient with central differences of that Double reference (h = 1e-4),
// which is exact to ~1e-8, so the tolerance there is tight.

private let h: Float = 3e-3

/// Central difference of `f` with respect to one Float (read and written
/// through closures, since `f` reads the same storage), restored after.
private func centralDifference(_ read: () -> Float, _ write: (Float) -> Void, step: Float = h, _ f: () -> Double) -> Double {
    let saved = read()
    let plus = saved + step, minus = saved - step
    write(plus)
    let fp = f()
    write(minus)
    let fm = f()
    write(saved)
    return (fp - fm) / (Double(plus) - Double(minus))
}

/// Every element within 1 % of its own size or 1 % of the largest gradient.
private func expectClose(_ analytic: [Float], _ numeric: [Double], _ what: String,
                         tolerance: Double = 1e-2, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(analytic.count == numeric.count, "\(what): sizes", sourceLocation: sourceLocation)
    let scale = max(analytic.map { abs(Double($0)) }.max() ?? 0, 1e-6)
    var worst = 0.0, worstIndex = -1
    for (i, (a, n)) in zip(analytic, numeric).enumerated() {
        let e = abs(Double(a) - n) / (abs(n) + scale)
        if e > worst { worst = e; worstIndex = i }
    }
    #expect(worst <= tolerance, "\(what): worst relative error \(worst) at \(worstIndex): analytic \(worstIndex >= 0 ? analytic[worstIndex] : 0) vs numeric \(worstIndex >= 0 ? numeric[worstIndex] : 0)", sourceLocation: sourceLocation)
    #expect(analytic.contains { $0 != 0 } || numeric.allSatisfy { abs($0) < 1e-6 }, "\(what): all-zero gradient", sourceLocation: sourceLocation)
}

/// Checks a layer's input and parameter gradients. `x` may be token ids
/// (`inputIsData`: no input gradient).
private func checkLayer(_ layer: any Layer, x x0: Matrix, context: ForwardContext = ForwardContext(training: true),
                        inputIsData: Bool = false, seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation) {
    var rng = TestRandom(seed: seed)
    var x = x0
    var y = Matrix(rows: 0, columns: 0)
    layer.forward(x, into: &y, context: context)
    let r = rng.floats(y.count, -1, 1)
    func objective() -> Double {
        var out = Matrix(rows: 0, columns: 0)
        layer.forward(x, into: &out, context: context)
        return zip(out.storage, r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    // Analytic first: layers keep forward state (masks, x̂) for backward.
    for p in layer.parameters { p.zeroGradient() }
    layer.forward(x, into: &y, context: context)
    var dx = Matrix(rows: 0, columns: 0)
    layer.backward(x: x, y: y, dy: Matrix(rows: y.rows, columns: y.columns, storage: r), dx: &dx, needInputGradient: !inputIsData)
    let analyticInput = dx.storage
    let analyticParameters = layer.parameters.map(\.gradient)

    if !inputIsData {
        let numeric = (0..<x.count).map { i in centralDifference({ x.storage[i] }, { x.storage[i] = $0 }, objective) }
        expectClose(analyticInput, numeric, "\(layer.spec.name) input", sourceLocation: sourceLocation)
    }
    for (p, analytic) in zip(layer.parameters, analyticParameters) {
        let numeric = (0..<p.count).map { i in centralDifference({ p.value[i] }, { p.value[i] = $0 }, objective) }
        expectClose(analytic, numeric, "\(layer.spec.name) \(p.name)", sourceLocation: sourceLocation)
    }
}

private func randomMatrix(_ rows: Int, _ columns: Int, _ rng: inout TestRandom, _ lo: Float = -1.5, _ hi: Float = 1.5) -> Matrix {
    Matrix(rows: rows, columns: columns, storage: rng.floats(rows * columns, lo, hi))
}

private func parameter(_ name: String, _ group: ParameterGroup, _ shape: [Int], _ rng: inout TestRandom,
                       _ lo: Float = -1, _ hi: Float = 1) -> Parameter {
    Parameter(name: name, group: group, shape: shape, value: rng.floats(shape.reduce(1, *), lo, hi))
}

@Suite("Backward passes against finite differences")
struct GradientCheckTests {
    @Test(arguments: [true, false])
    func linear(withBias: Bool) {
        var rng = TestRandom(seed: 41)
        for (n, k, m) in [(1, 1, 1), (3, 5, 4), (5, 17, 3), (4, 3, 18)] {
            let layer = Linear(weight: parameter("w", .weights, [m, k], &rng),
                               bias: withBias ? parameter("b", .biases, [m], &rng) : nil)
            checkLayer(layer, x: randomMatrix(n, k, &rng), seed: rng.next())
        }
    }

    @Test func relu() {
        var rng = TestRandom(seed: 42)
        // Inputs kept ≥ 0.05 away from the kink, farther than the step.
        let x = (0..<40).map { _ in rng.float(0.05, 1.5) * (rng.next() & 1 == 0 ? 1 : -1) }
        checkLayer(Activation(.relu), x: Matrix(rows: 4, columns: 10, storage: x), seed: 1)
    }

    @Test func tanh() {
        var rng = TestRandom(seed: 43)
        checkLayer(Activation(.tanh), x: randomMatrix(3, 19, &rng, -3, 3), seed: 2)
    }

    @Test func gelu() {
        var rng = TestRandom(seed: 44)
        checkLayer(Activation(.gelu), x: randomMatrix(3, 19, &rng, -4, 4), seed: 3)
    }

    @Test(arguments: [7, 17])
    func layerNorm(dimension d: Int) {
        var rng = TestRandom(seed: 45 + UInt64(d))
        // Gain and shift away from their initial 1 and 0 so both gradients matter.
        let layer = LayerNorm(gain: parameter("gain", .layerNorms, [d], &rng, 0.5, 1.5),
                              shift: parameter("shift", .layerNorms, [d], &rng, -0.5, 0.5))
        checkLayer(layer, x: randomMatrix(3, d, &rng, -2, 2), seed: 4)
    }

    @Test func layerNormOutputIsNormalized() {
        var rng = TestRandom(seed: 46)
        let d = 9
        let layer = LayerNorm(gain: Parameter(name: "g", group: .layerNorms, shape: [d], value: .init(repeating: 1, count: d)),
                              shift: Parameter(name: "s", group: .layerNorms, shape: [d], value: .init(repeating: 0, count: d)))
        let x = randomMatrix(4, d, &rng, -3, 5)
        var y = Matrix(rows: 0, columns: 0)
        layer.forward(x, into: &y, context: ForwardContext(training: true))
        for i in 0..<4 {
            let row = x.row(i).map(Double.init)
            let mean = row.reduce(0, +) / Double(d)
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(d)   // biased, as PyTorch
            for j in 0..<d {
                let want = (row[j] - mean) / (variance + 1e-5).squareRoot()
                #expect(abs(Double(y[i, j]) - want) <= 1e-5 * max(1, abs(want)))
            }
        }
    }

    /// Mean pooling over rows with repeated tokens: a token that appears c
    /// times in a row of length L receives c/L of that row's gradient; tokens
    /// that appear nowhere receive exactly zero.
    @Test func embeddingWithMeanPoolingAndRepeatedTokens() {
        var rng = TestRandom(seed: 47)
        let vocabulary = 7, d = 5
        let table = parameter("table", .embeddings, [vocabulary, d], &rng)
        let layer = Embedding(table: table)
        let ids: [[Float]] = [[3, 3, 1, 3], [0, 5, 5, 5], [1, 1, 1, 1]]
        checkLayer(layer, x: Matrix(ids), inputIsData: true, seed: 5)

        table.zeroGradient()
        var y = Matrix(rows: 0, columns: 0)
        layer.forward(Matrix(ids), into: &y, context: ForwardContext(training: true))
        // Forward is the mean of the rows' embeddings.
        for (i, row) in ids.enumerated() {
            for j in 0..<d {
                let want = row.reduce(0.0) { $0 + Double(table.value[Int($1) * d + j]) } / Double(row.count)
                #expect(abs(Double(y[i, j]) - want) <= 1e-6)
            }
        }
        var dx = Matrix(rows: 0, columns: 0)
        layer.backward(x: Matrix(ids), y: y, dy: Matrix(rows: 3, columns: d, repeating: 1), dx: &dx, needInputGradient: false)
        for token in [2, 4, 6] {
            #expect(table.gradient[(token * d)..<((token + 1) * d)].allSatisfy { $0 == 0 }, "token \(token) is absent")
        }
        // Token 1: once in row 0 (1/4) and four times in row 2 (4/4).
        #expect(table.gradient[1 * d] == 1.25)
        // Token 3: three times in row 0.
        #expect(table.gradient[3 * d] == 0.75)
    }

    @Test func dropoutInTrainingWithAFixedMask() {
        var rng = TestRandom(seed: 48)
        let p: Float = 0.4
        let layer = Dropout(p: p)
        let context = ForwardContext(training: true, step: 3, seed: 99, layerIndex: 2)
        let x = randomMatrix(5, 13, &rng)
        checkLayer(layer, x: x, context: context, seed: 6)

        var y = Matrix(rows: 0, columns: 0)
        layer.forward(x, into: &y, context: context)
        let keep = 1 / (1 - p)
        var dropped = 0
        for (xi, yi) in zip(x.storage, y.storage) {
            if yi == 0 { dropped += 1 } else { #expect(yi == xi * keep) }
        }
        #expect(dropped > 0 && dropped < x.count)
        // The mask is the one DropoutHash gives for (seed, step, layer).
        var mask = [Float](repeating: 0, count: x.count)
        mask.withUnsafeMutableBufferPointer {
            Kernels.dropoutMask($0, key: DropoutHash.key(seed: 99, step: 3, layer: 2), p: p)
        }
        #expect(y.storage == zip(x.storage, mask).map { $0 * $1 })
        // Another step draws another mask.
        var y2 = Matrix(rows: 0, columns: 0)
        layer.forward(x, into: &y2, context: ForwardContext(training: true, step: 4, seed: 99, layerIndex: 2))
        #expect(y2 != y)
        // Evaluation mode, and p = 0 in training, are the identity.
        layer.forward(x, into: &y, context: ForwardContext(training: false))
        #expect(bitwiseEqual(y.storage, x.storage))
        var dx = Matrix(rows: 0, columns: 0)
        layer.backward(x: x, y: y, dy: x, dx: &dx, needInputGradient: true)
        #expect(bitwiseEqual(dx.storage, x.storage))
        layer.p = 0
        layer.forward(x, into: &y, context: context)
        #expect(bitwiseEqual(y.storage, x.storage))
    }

    // MARK: Losses

    private func mseReference(_ out: [Double], _ target: [Float]) -> Double {
        zip(out, target).reduce(0) { $0 + ($1.0 - Double($1.1)) * ($1.0 - Double($1.1)) } / Double(out.count)
    }

    private func crossEntropyReference(_ logits: [Double], rows n: Int, classes c: Int, _ labels: [Float]) -> Double {
        var total = 0.0
        for i in 0..<n {
            let row = logits[(i * c)..<((i + 1) * c)]
            let m = row.max()!
            let lse = m + Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - m) })
            total += lse - row[i * c + Int(labels[i])]
        }
        return total / Double(n)
    }

    /// `slack(i)`: extra absolute error allowed on gradient element i.
    private func lossGradientCheck(_ kind: LossKind, output: Matrix, target: Matrix,
                                   slack: (Int) -> Double = { _ in 0 }, reference: ([Double]) -> Double) {
        var gradient = [Float](repeating: .nan, count: output.count)
        let result = gradient.withUnsafeMutableBufferPointer { Loss.evaluate(kind, output: output, target: target, gradient: $0) }
        let base = output.storage.map(Double.init)
        let want = reference(base)
        #expect(relativeDifference(Double(result.loss), want, floor: 1e-6) <= 1e-6, "\(kind) loss \(result.loss) vs \(want)")
        let step = 1e-4
        for i in 0..<output.count {
            var plus = base, minus = base
            plus[i] += step
            minus[i] -= step
            let numeric = (reference(plus) - reference(minus)) / (2 * step)
            #expect(abs(Double(gradient[i]) - numeric) <= 1e-6 * max(abs(numeric), 1e-2) + slack(i),
                    "\(kind) gradient[\(i)]: \(gradient[i]) vs \(numeric)")
        }
    }

    @Test func meanSquaredError() {
        var rng = TestRandom(seed: 49)
        for (n, c) in [(1, 1), (5, 1), (4, 3)] {
            let out = randomMatrix(n, c, &rng), target = randomMatrix(n, c, &rng)
            lossGradientCheck(.mse, output: out, target: target) { mseReference($0, target.storage) }
        }
    }

    @Test func softmaxCrossEntropy() {
        var rng = TestRandom(seed: 50)
        for (n, c) in [(1, 2), (6, 3), (5, 10)] {
            // Large logits too: the log-sum-exp must not overflow.
            let out = randomMatrix(n, c, &rng, -4, 4)
            var big = out
            for i in 0..<big.count { big.storage[i] *= 30 }
            let labels = Matrix(rows: n, columns: 1, storage: (0..<n).map { _ in Float(rng.int(c)) })
            for logits in [out, big] {
                // pⱼ = exp(zⱼ − m − log Σ) in Float: exp turns the rounding of
                // its argument into relative error, so pⱼ can be good to
                // ≈ u·(|zⱼ − m| + 1) and no better. The row's arg-max has
                // zⱼ − m = 0 exactly, so its probability (and gradient) must be
                // accurate even when the logits are large, as in PyTorch's
                // log_softmax, which subtracts m and log Σ separately.
                let probabilities = (0..<n).flatMap { i -> [Double] in
                    let row = logits.row(i).map(Double.init)
                    let m = row.max()!, s = row.reduce(0) { $0 + Foundation.exp($1 - m) }
                    return row.map { Foundation.exp($0 - m) / s }
                }
                let slack = { (k: Int) -> Double in
                    let row = logits.row(k / c), m = Double(row.max()!)
                    return 4 * Double(Float.ulpOfOne) * (abs(Double(logits.storage[k]) - m) + 1) * probabilities[k] / Double(n)
                }
                lossGradientCheck(.crossEntropy, output: logits, target: labels, slack: slack) {
                    crossEntropyReference($0, rows: n, classes: c, labels.storage)
                }
            }
            // Accuracy counts rows whose arg-max is the label.
            let result = Loss.evaluate(.crossEntropy, output: out, target: labels, gradient: nil)
            let correct = (0..<n).filter { i in
                let row = Array(out.row(i))
                return row.firstIndex(of: row.max()!)! == Int(labels.storage[i])
            }.count
            #expect(result.correct == correct)
        }
    }

    // MARK: Whole networks

    private func checkNetwork(_ network: Network, x: Matrix, target: Matrix, loss: LossKind,
                              step: Int = 1, seed: UInt64 = 0, sourceLocation: SourceLocation = #_sourceLocation) {
        func objective() -> Double {
            network.forward(x, training: true, step: step, seed: seed)
            let out = network.output.storage.map(Double.init)
            switch loss {
            case .mse:
                return mseReference(out, target.storage)
            case .crossEntropy:
                return crossEntropyReference(out, rows: x.rows, classes: network.output.columns, target.storage)
            }
        }
        network.zeroGradients()
        network.forward(x, training: true, step: step, seed: seed)
        network.withOutputGradient { out, grad in
            _ = grad.storage.withUnsafeMutableBufferPointer { Loss.evaluate(loss, output: out, target: target, gradient: $0) }
        }
        network.backward()
        let analytic = network.parameters.map(\.gradient)
        for (p, a) in zip(network.parameters, analytic) {
            let numeric = (0..<p.count).map { i in centralDifference({ p.value[i] }, { p.value[i] = $0 }, objective) }
            expectClose(a, numeric, "network \(p.name)", sourceLocation: sourceLocation)
        }
    }

    @Test func linearLayerNormTanhLinearGeluLinear() {
        var rng = TestRandom(seed: 51)
        let network = Network(layers: [
            Linear(weight: parameter("0.weight", .weights, [6, 3], &rng), bias: parameter("0.bias", .biases, [6], &rng)),
            LayerNorm(gain: parameter("1.gain", .layerNorms, [6], &rng, 0.5, 1.5), shift: parameter("1.shift", .layerNorms, [6], &rng, -0.3, 0.3)),
            Activation(.tanh),
            Linear(weight: parameter("3.weight", .weights, [5, 6], &rng), bias: parameter("3.bias", .biases, [5], &rng)),
            Activation(.gelu),
            Linear(weight: parameter("5.weight", .weights, [2, 5], &rng), bias: parameter("5.bias", .biases, [2], &rng)),
        ])
        let x = randomMatrix(7, 3, &rng, -2, 2)
        checkNetwork(network, x: x, target: randomMatrix(7, 2, &rng), loss: .mse)
    }

    @Test func embeddingLayerNormReluDropoutLinearWithCrossEntropy() {
        var rng = TestRandom(seed: 52)
        let network = Network(layers: [
            Embedding(table: parameter("0.weight", .embeddings, [9, 4], &rng)),
            LayerNorm(gain: parameter("1.gain", .layerNorms, [4], &rng, 0.5, 1.5), shift: parameter("1.shift", .layerNorms, [4], &rng, -0.3, 0.3)),
            Linear(weight: parameter("2.weight", .weights, [8, 4], &rng), bias: parameter("2.bias", .biases, [8], &rng)),
            Activation(.relu),
            Dropout(p: 0.3),
            Linear(weight: parameter("5.weight", .weights, [3, 8], &rng), bias: nil),
        ])
        let x = Matrix((0..<6).map { _ in (0..<5).map { _ in Float(rng.int(9)) } })
        let labels = Matrix(rows: 6, columns: 1, storage: (0..<6).map { _ in Float(rng.int(3)) })
        checkNetwork(network, x: x, target: labels, loss: .crossEntropy, step: 7, seed: 1234)
    }
}
