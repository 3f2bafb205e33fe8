/// The data losses, both means over the batch as in PyTorch's defaults.
public enum LossKind: String, Sendable, CaseIterable, Codable {
    /// Mean squared error over every element (`nn.MSELoss()`).
    case mse
    /// Softmax cross-entropy, mean over rows (`nn.CrossEntropyLoss()`).
    case crossEntropy = "cross_entropy"
}

public enum Loss {
    public struct Result: Sendable {
        public var loss: Float
        /// Correctly classified rows (cross-entropy only).
        public var correct: Int
    }

    /// Computes the loss of `output` against `target` and, when `gradient` is
    /// given, writes d(loss)/d(output) into it. For cross-entropy, `target`
    /// holds one class id per row.
    public static func evaluate(
        _ kind: LossKind, output: Matrix, target: Matrix, gradient: UnsafeMutableBufferPointer<Float>?
    ) -> Result {
        switch kind {
        case .mse: return meanSquaredError(output: output, target: target, gradient: gradient)
        case .crossEntropy: return crossEntropy(logits: output, labels: target, gradient: gradient)
        }
    }

    static func meanSquaredError(output: Matrix, target: Matrix, gradient: UnsafeMutableBufferPointer<Float>?) -> Result {
        precondition(output.count == target.count, "mse: output \(output.count) vs target \(target.count) values")
        let n = output.count
        guard n > 0 else { return Result(loss: 0, correct: 0) }
        var sum: Float = 0
        let scale = 2 / Float(n)
        output.storage.withUnsafeBufferPointer { po in
            target.storage.withUnsafeBufferPointer { pt in
                for i in 0..<n {
                    let r = po[i] - pt[i]
                    sum += r * r
                    gradient?[i] = scale * r
                }
            }
        }
        return Result(loss: sum / Float(n), correct: 0)
    }

    /// Stable log-softmax in PyTorch's order: log pⱼ = (zⱼ − m) − log Σ exp(zₖ − m).
    /// Subtracting m and log Σ separately (rather than zⱼ − (m + log Σ)) keeps
    /// the arg-max's log-probability exact when the logits are large.
    static func crossEntropy(logits: Matrix, labels: Matrix, gradient: UnsafeMutableBufferPointer<Float>?) -> Result {
        let n = logits.rows, c = logits.columns
        precondition(labels.count == n, "cross-entropy: \(labels.count) labels for \(n) rows")
        guard n > 0 else { return Result(loss: 0, correct: 0) }
        var total: Double = 0
        var correct = 0
        logits.storage.withUnsafeBufferPointer { pz in
            for i in 0..<n {
                let row = pz[(i * c)..<((i + 1) * c)]
                let label = Int(labels.storage[i])
                var m = -Float.infinity, arg = 0
                for (j, z) in row.enumerated() where z > m { m = z; arg = j }
                if arg == label { correct += 1 }
                var s: Float = 0
                for z in row { s += expf(z - m) }
                let logSum = logf(s)
                total -= Double((row[row.startIndex + label] - m) - logSum)
                if let g = gradient {
                    for j in 0..<c {
                        g[i * c + j] = (expf((row[row.startIndex + j] - m) - logSum) - (j == label ? 1 : 0)) / Float(n)
                    }
                }
            }
        }
        return Result(loss: Float(total / Double(n)), correct: correct)
    }
}

import Foundation
