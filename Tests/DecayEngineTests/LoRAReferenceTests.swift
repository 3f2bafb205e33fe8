import Foundation
import Testing
@testable import DecayEngine

// The LoRA layer against peft (Fixtures/LoRA/layer_*.json, written by
// Fixtures/make_lora_fixtures.py): forward, the gradients of A, B and the
// input, one AdamW step with decay, and the singular values of ΔW after it
// against numpy's SVD. The trajectory fixture lora_mlp.json runs with the
// other PyTorch trajectories (PyTorchReferenceTests).

private let layerDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures").appendingPathComponent("LoRA")

private let layerFixtures: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: layerDirectory.path)) ?? []
    return names.filter { $0.hasSuffix(".json") }.sorted()
}()

struct LoRALayerFixture: Decodable {
    struct Key: Decodable { var seed: UInt64, step: Int, layer: Int }
    struct AdamW: Decodable { var lr: Float, weight_decay: Float, betas: [Float], eps: Float }
    struct After: Decodable { var lora_A: [[Float]], lora_B: [[Float]] }
    struct Delta: Decodable { var singular_values: [Double], frobenius: Double }
    var `in`: Int, out: Int, rank: Int, alpha: Float, rslora: Bool, lora_dropout: Float, scaling: Double
    var dropout_key: Key
    var weight: [[Float]], bias: [Float], lora_A: [[Float]], lora_B: [[Float]]
    var x: [[Float]], output_gradient: [[Float]]
    var output: [[Float]], input_gradient: [[Float]], grad_A: [[Float]], grad_B: [[Float]]
    var adamw: AdamW
    var after_step: After
    var delta_w: Delta

    static func load(_ name: String) throws -> LoRALayerFixture {
        try JSONDecoder().decode(LoRALayerFixture.self, from: Data(contentsOf: layerDirectory.appendingPathComponent(name)))
    }

    func layer() -> LoRALinear {
        LoRALinear(
            base: Parameter(name: "w", group: .weights, shape: [out, `in`], value: weight.flatMap { $0 }),
            bias: Parameter(name: "b", group: .biases, shape: [out], value: bias),
            loraA: Parameter(name: "A", group: .adapters, shape: [rank, `in`], value: lora_A.flatMap { $0 }),
            loraB: Parameter(name: "B", group: .adapters, shape: [out, rank], value: lora_B.flatMap { $0 }),
            alpha: alpha, rsLoRA: rslora, dropout: lora_dropout)
    }
}

/// max |a − b| over max(1, max |b|): float32 products summed in another order
/// than torch's differ in the last bits of the largest terms.
private func scaledError(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    let scale = max(1, b.map { Double(abs($0)) }.max() ?? 0)
    return zip(a, b).map { Double(abs($0 - $1)) }.max().map { $0 / scale } ?? 0
}

@Suite("LoRA layer against peft")
struct LoRAReferenceTests {
    @Test func fixturesArePresent() {
        #expect(layerFixtures.count >= 6, "found \(layerFixtures)")
    }

    @Test(arguments: layerFixtures)
    func forwardBackwardAndStepMatchPeft(_ name: String) throws {
        let f = try LoRALayerFixture.load(name)
        let layer = f.layer()
        #expect(Double(layer.scaling) == Double(Float(f.scaling)), "\(name): scaling")
        let network = Network(layers: [layer])
        #expect(network.parameters.map(\.name) == ["A", "B"], "only A and B train")
        let baseBefore = layer.base.value, biasBefore = layer.bias!.value

        let x = Matrix(f.x)
        var y = Matrix(rows: 0, columns: 0)
        let k = f.dropout_key
        layer.forward(x, into: &y, context: ForwardContext(training: true, step: k.step, seed: k.seed, layerIndex: k.layer))
        #expect(scaledError(y.storage, f.output.flatMap { $0 }) < 2e-6, "\(name): output")

        var dx = Matrix(rows: 0, columns: 0)
        layer.backward(x: x, y: y, dy: Matrix(f.output_gradient), dx: &dx, needInputGradient: true)
        #expect(scaledError(layer.loraA.gradient, f.grad_A.flatMap { $0 }) < 2e-6, "\(name): dA")
        #expect(scaledError(layer.loraB.gradient, f.grad_B.flatMap { $0 }) < 2e-6, "\(name): dB")
        #expect(scaledError(dx.storage, f.input_gradient.flatMap { $0 }) < 2e-6, "\(name): dx")
        #expect(layer.base.gradient.allSatisfy { $0 == 0 } && layer.bias!.gradient.allSatisfy { $0 == 0 },
                "\(name): the frozen base took a gradient")

        let spec = OptimizerSpec(kind: .adamw, learningRate: f.adamw.lr, beta1: f.adamw.betas[0], beta2: f.adamw.betas[1],
                                 epsilon: f.adamw.eps)
        let optimizer = Optimizer(spec: spec, parameters: network.parameters)
        optimizer.step(network.parameters, learningRate: f.adamw.lr, weightDecay: f.adamw.weight_decay, mode: .decoupled,
                       decays: { _ in true })
        // After one Adam step each entry moves by about lr; a gradient near
        // zero makes g/(|g| + ε) sensitive to its last bits, so compare at lr·1e-4.
        #expect(scaledError(layer.loraA.value, f.after_step.lora_A.flatMap { $0 }) < 1e-6, "\(name): A after AdamW")
        #expect(scaledError(layer.loraB.value, f.after_step.lora_B.flatMap { $0 }) < 1e-6, "\(name): B after AdamW")
        #expect(layer.base.value == baseBefore && layer.bias!.value == biasBefore, "\(name): the base moved")

        // The spectrum of ΔW from the r × r problem against numpy's SVD of ΔW itself.
        let spectrum = AdapterSpectrum(layer)
        #expect(spectrum.singularValues.count == f.rank)
        let top = f.delta_w.singular_values.first ?? 0
        for (got, want) in zip(spectrum.singularValues, f.delta_w.singular_values) {
            #expect(abs(Double(got) - want) <= 1e-5 * max(top, 1e-12), "\(name): σ \(got) vs \(want)")
        }
        #expect(abs(Double(spectrum.frobeniusNorm) - f.delta_w.frobenius) <= 1e-5 * max(f.delta_w.frobenius, 1e-12))
    }

    /// Dropout acts on the adapter's input only: with p > 0 the output
    /// differs from p = 0 (the mask is active), and the base's share is the
    /// same, so (y_p − y_0) is what s·B·A sees of the dropped entries.
    @Test func dropoutTouchesOnlyTheAdapterPath() throws {
        let f = try LoRALayerFixture.load("layer_r8_dropout.json")
        let k = f.dropout_key
        let context = ForwardContext(training: true, step: k.step, seed: k.seed, layerIndex: k.layer)
        var withDropout = Matrix(rows: 0, columns: 0), without = Matrix(rows: 0, columns: 0)
        let a = f.layer(), b = f.layer()
        b.dropout = 0
        a.forward(Matrix(f.x), into: &withDropout, context: context)
        b.forward(Matrix(f.x), into: &without, context: context)
        #expect(withDropout.storage != without.storage)
        // Zero the adapter: dropout then changes nothing.
        a.loraB.value = .init(repeating: 0, count: a.loraB.count)
        b.loraB.value = a.loraB.value
        a.forward(Matrix(f.x), into: &withDropout, context: context)
        b.forward(Matrix(f.x), into: &without, context: context)
        #expect(withDropout.storage == without.storage)
        // Evaluation mode never drops.
        a.forward(Matrix(f.x), into: &withDropout, context: ForwardContext(training: false))
        #expect(withDropout.storage == without.storage)
    }
}
