import Testing
import DecayEngine

/// A ReLU or tanh after a linear layer runs in place (the linear writes
/// into the activation's buffer, and the activation's backward turns its
/// output gradient into its input gradient in the same buffer). Against the
/// layers driven one by one with a buffer each, as a plain loop would: the
/// output, every parameter gradient and the gradient reaching the first
/// trainable layer are the same bits, for every activation (GELU, which is
/// not run in place, beside ReLU and tanh), after a frozen first layer, and
/// for batch sizes that change from call to call (a validation pass between
/// training steps).
@Suite struct NetworkInPlaceTests {
    static func parameter(_ name: String, _ group: ParameterGroup, _ shape: [Int], seed: inout UInt64) -> Parameter {
        let count = shape.reduce(1, *)
        let values = (0..<count).map { _ -> Float in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: seed >> 11) % 2001) / 2000 - 0.5
        }
        return Parameter(name: name, group: group, shape: shape, value: values)
    }

    /// in → 8 → act → 8 → act → 8 → 3, each linear with a bias, plus a
    /// LayerNorm between the second activation and the next linear.
    static func layers(_ kinds: [Activation.Kind], frozenFirst: Bool, seed: UInt64) -> [any Layer] {
        var s = seed
        let widths = [4, 8, 8, 8]
        var out: [any Layer] = []
        for (i, kind) in kinds.enumerated() {
            let w = parameter("w\(i)", .weights, [widths[i + 1], widths[i]], seed: &s)
            let b = parameter("b\(i)", .biases, [widths[i + 1]], seed: &s)
            // A frozen first layer: backward starts at the second linear,
            // past the first activation.
            if i == 0 && frozenFirst { w.isFrozen = true; b.isFrozen = true }
            out.append(Linear(weight: w, bias: b))
            out.append(Activation(kind))
            if i == 1 {
                out.append(LayerNorm(gain: Parameter(name: "g", group: .layerNorms, shape: [8], value: .init(repeating: 1.1, count: 8)),
                                     shift: parameter("s", .layerNorms, [8], seed: &s)))
            }
        }
        out.append(Linear(weight: parameter("head", .weights, [3, 8], seed: &s), bias: parameter("hb", .biases, [3], seed: &s)))
        return out
    }

    /// The reference: each layer's forward into a buffer of its own, then
    /// each backward from the last, down to the first trainable layer.
    static func reference(_ layers: [any Layer], input: Matrix, outputGradient: (Matrix) -> Matrix) -> (Matrix, [Matrix]) {
        var acts = [input] + Array(repeating: Matrix(rows: 0, columns: 0), count: layers.count)
        for (i, layer) in layers.enumerated() {
            layer.forward(acts[i], into: &acts[i + 1], context: ForwardContext(training: true, layerIndex: i))
        }
        var grads = Array(repeating: Matrix(rows: 0, columns: 0), count: layers.count + 1)
        grads[layers.count] = outputGradient(acts[layers.count])
        let first = layers.firstIndex { $0.parameters.contains { !$0.isFrozen } }!
        for i in stride(from: layers.count - 1, through: first, by: -1) {
            layers[i].backward(x: acts[i], y: acts[i + 1], dy: grads[i + 1], dx: &grads[i], needInputGradient: i > first)
        }
        return (acts[layers.count], grads)
    }

    static func batch(rows: Int, salt: Float) -> Matrix {
        Matrix(rows: rows, columns: 4, storage: (0..<(rows * 4)).map { Float($0 % 13) * 0.37 - 2 + salt })
    }

    /// d(loss)/d(output) for loss = Σ output² / 2 plus a ramp, so every unit gets its own gradient.
    static func outputGradient(_ y: Matrix) -> Matrix {
        Matrix(rows: y.rows, columns: y.columns, storage: y.storage.enumerated().map { $0.element + Float($0.offset % 5) * 0.1 })
    }

    @Test(arguments: [[Activation.Kind.relu, .relu, .relu], [.tanh, .relu, .gelu], [.gelu, .tanh, .relu]], [false, true])
    func inPlaceActivationsGiveTheBitsOfSeparateBuffers(kinds: [Activation.Kind], frozenFirst: Bool) {
        let network = Network(layers: Self.layers(kinds, frozenFirst: frozenFirst, seed: 7))
        let separate = Self.layers(kinds, frozenFirst: frozenFirst, seed: 7)
        for (rows, salt) in [(5, Float(0)), (11, 0.25), (5, -0.5)] {
            let x = Self.batch(rows: rows, salt: salt)
            network.zeroGradients()
            for p in separate.flatMap(\.parameters) { p.zeroGradient() }
            network.forward(x, training: true)
            network.withOutputGradient { y, dy in dy = Self.outputGradient(y) }
            network.backward()
            let (y, _) = Self.reference(separate, input: x, outputGradient: Self.outputGradient)
            #expect(network.output.storage.map(\.bitPattern) == y.storage.map(\.bitPattern), "\(kinds) rows \(rows)")
            let got = network.allParameters, want = separate.flatMap(\.parameters)
            #expect(got.count == want.count)
            for (g, w) in zip(got, want) where !w.isFrozen {
                #expect(g.gradient.map(\.bitPattern) == w.gradient.map(\.bitPattern), "\(kinds) \(g.name) rows \(rows)")
                #expect(g.gradient.contains { $0 != 0 }, "\(g.name) has a gradient")
            }
        }
    }
}
