import DecayKernels

/// Inverted dropout: in training each activation is kept with probability
/// 1 − p and scaled by 1/(1 − p), so evaluation needs no change and the layer
/// is the identity there. The mask comes from `DropoutHash`, keyed by the
/// run's seed, the step and this layer's index.
public final class Dropout: Layer {
    /// Changeable between steps (the learner's dropout control).
    public var p: Float
    private var mask = Matrix(rows: 0, columns: 0)
    private var maskActive = false

    public init(p: Float) {
        precondition(p >= 0 && p < 1, "dropout p must be in [0, 1)")
        self.p = p
    }

    public var spec: LayerSpec { .dropout(p: p) }

    public func forward(_ x: Matrix, into y: inout Matrix, context: ForwardContext) {
        y.reshape(rows: x.rows, columns: x.columns)
        maskActive = context.training && p > 0
        guard maskActive else {
            y.storage.withUnsafeMutableBufferPointer { py in
                x.storage.withUnsafeBufferPointer { px in py.baseAddress!.update(from: px.baseAddress!, count: px.count) }
            }
            return
        }
        mask.reshape(rows: x.rows, columns: x.columns)
        let key = DropoutHash.key(seed: context.seed, step: context.step, layer: context.layerIndex)
        mask.storage.withUnsafeMutableBufferPointer { Kernels.dropoutMask($0, key: key, p: p) }
        x.storage.withUnsafeBufferPointer { px in
            mask.storage.withUnsafeBufferPointer { pm in
                y.storage.withUnsafeMutableBufferPointer { py in Kernels.multiply(px, pm, into: py) }
            }
        }
    }

    public func backward(x: Matrix, y: Matrix, dy: Matrix, dx: inout Matrix, needInputGradient: Bool) {
        guard needInputGradient else { return }
        dx.reshape(rows: dy.rows, columns: dy.columns)
        dy.storage.withUnsafeBufferPointer { pdy in
            dx.storage.withUnsafeMutableBufferPointer { pdx in
                if maskActive {
                    mask.storage.withUnsafeBufferPointer { pm in Kernels.multiply(pdy, pm, into: pdx) }
                } else {
                    pdx.baseAddress!.update(from: pdy.baseAddress!, count: pdy.count)
                }
            }
        }
    }
}
