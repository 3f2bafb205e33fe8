/// A sequence of layers and the buffers that run it.
///
/// `activations[0]` holds the batch, `activations[i + 1]` layer i's output;
/// `gradients` mirrors it. The one exception is a linear layer followed by
/// an activation that runs in place (`inPlace`): its output goes straight
/// into the activation's buffer, and its own stays unused. Every buffer is
/// owned here and reused from step to step, so a training step allocates
/// nothing once the batch size is stable.
public final class Network {
    public let layers: [any Layer]
    /// The trainable tensors, in model order: what the optimizer, the decay
    /// rule, the norms and the penalty see.
    public let parameters: [Parameter]
    /// Every tensor in model order, frozen ones included (what an export
    /// writes and a copy clones).
    public let allParameters: [Parameter]
    /// The first layer with a trainable tensor: backward stops there, as
    /// nothing before it needs a gradient (a frozen embedding under a LoRA
    /// adapter is never walked back through).
    private let firstTrainableLayer: Int
    private var activations: [Matrix]
    private var gradients: [Matrix]
    /// The activations that run in place, at their layer's index (nil for
    /// every other layer): a ReLU or tanh right after a `Linear`, whose
    /// backward needs its input, not its output.
    /// The linear writes into the activation's buffer and the activation
    /// overwrites it; in backward the activation turns its output gradient
    /// into its input gradient in the same buffer, which the linear reads.
    /// The numbers are those of separate buffers, but a step touches half
    /// the activation memory, so one run's step stays in the core's L2
    /// (an MLP 2-64-64-2 at 200 rows: 277 KiB instead of 482).
    private let inPlace: [Activation?]

    public init(layers: [any Layer]) {
        self.layers = layers
        self.allParameters = layers.flatMap { $0.parameters }
        self.parameters = allParameters.filter { !$0.isFrozen }
        self.firstTrainableLayer = layers.firstIndex { $0.parameters.contains { !$0.isFrozen } } ?? layers.count
        self.inPlace = layers.indices.map { i in
            guard i > 0, layers[i - 1] is Linear, let a = layers[i] as? Activation, a.worksInPlace else { return nil }
            return a
        }
        self.activations = Array(repeating: Matrix(rows: 0, columns: 0), count: layers.count + 1)
        self.gradients = Array(repeating: Matrix(rows: 0, columns: 0), count: layers.count + 1)
    }

    public var specs: [LayerSpec] { layers.map(\.spec) }

    /// Runs the layers on `input`; the result stays in `output`.
    public func forward(_ input: Matrix, training: Bool, step: Int = 0, seed: UInt64 = 0) {
        activations[0].reshape(rows: input.rows, columns: input.columns)
        activations[0].storage.withUnsafeMutableBufferPointer { dst in
            input.storage.withUnsafeBufferPointer { src in
                if src.count > 0 { dst.baseAddress!.update(from: src.baseAddress!, count: src.count) }
            }
        }
        var i = 0
        while i < layers.count {
            let context = ForwardContext(training: training, step: step, seed: seed, layerIndex: i)
            if i + 1 < layers.count, let activation = inPlace[i + 1] {
                // The pre-activation goes straight into the activation's
                // buffer (activations[i + 1] is left as it was: nothing reads it).
                layers[i].forward(activations[i], into: &activations[i + 2], context: context)
                activation.forwardInPlace(&activations[i + 2])
                i += 2
            } else {
                layers[i].forward(activations[i], into: &activations[i + 1], context: context)
                i += 1
            }
        }
    }

    /// The last forward pass's output.
    public var output: Matrix { activations[layers.count] }

    /// Lets a loss write d(loss)/d(output) in place, sized like the output.
    public func withOutputGradient<R>(_ body: (Matrix, inout Matrix) -> R) -> R {
        let last = layers.count
        gradients[last].reshape(rows: activations[last].rows, columns: activations[last].columns)
        return body(activations[last], &gradients[last])
    }

    /// Backpropagates the gradient set by `withOutputGradient`, accumulating
    /// into every parameter's `gradient` (callers zero them first).
    public func backward() {
        var i = layers.count - 1
        while i >= firstTrainableLayer {
            if let activation = inPlace[i] {
                // dy of the activation becomes the linear's dy, in place; the
                // linear's own output buffer was never written (see `forward`).
                activation.backwardInPlace(y: activations[i + 1], gradient: &gradients[i + 1])
                let linear = i - 1
                guard linear >= firstTrainableLayer else { return }
                layers[linear].backward(
                    x: activations[linear], y: activations[i + 1], dy: gradients[i + 1],
                    dx: &gradients[linear], needInputGradient: linear > firstTrainableLayer)
                i -= 2
            } else {
                layers[i].backward(
                    x: activations[i], y: activations[i + 1], dy: gradients[i + 1],
                    dx: &gradients[i], needInputGradient: i > firstTrainableLayer)
                i -= 1
            }
        }
    }

    public func zeroGradients() {
        for p in parameters { p.zeroGradient() }
    }

    /// Sets p on every dropout layer (the learner's dropout control).
    public func setDropout(_ p: Float) {
        for case let d as Dropout in layers { d.p = p }
    }

    /// Sets lora_dropout on every LoRA layer (the learner's control).
    public func setLoRADropout(_ p: Float) {
        for case let l as LoRALinear in layers { l.dropout = p }
    }

    /// The LoRA layers, with their index in `layers`.
    public var adapterLayers: [(index: Int, layer: LoRALinear)] {
        layers.enumerated().compactMap { i, l in (l as? LoRALinear).map { (i, $0) } }
    }

    /// A deep copy with the same parameter values, groups and frozen tensors.
    public func copy() -> Network {
        Network(layers: layers.map { layer -> any Layer in
            func clone(_ p: Parameter) -> Parameter {
                let c = Parameter(name: p.name, group: p.group, shape: p.shape, value: p.value)
                c.isFrozen = p.isFrozen
                return c
            }
            switch layer {
            case let l as Linear: return Linear(weight: clone(l.weight), bias: l.bias.map(clone))
            case let l as LoRALinear:
                return LoRALinear(base: clone(l.base), bias: l.bias.map(clone), loraA: clone(l.loraA), loraB: clone(l.loraB),
                                  alpha: l.alpha, rsLoRA: l.rsLoRA, dropout: l.dropout)
            case let a as Activation: return Activation(a.kind)
            case let n as LayerNorm: return LayerNorm(gain: clone(n.gain), shift: clone(n.shift), epsilon: n.epsilon)
            case let e as Embedding: return Embedding(table: clone(e.table))
            case let d as Dropout: return Dropout(p: d.p)
            default: fatalError("Network.copy: unknown layer \(type(of: layer))")
            }
        })
    }
}
