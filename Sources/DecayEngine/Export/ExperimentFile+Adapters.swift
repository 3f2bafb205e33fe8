/// LoRA layers in `experiment.json`: the frozen base W₀ and b as a linear
/// layer writes them, the adapter's settings under peft's names, and the
/// factors A and B row by row.
extension ExperimentFile {
    /// A row-major tensor as rows of `columns` numbers.
    static func rows(_ values: [Float], _ count: Int, _ columns: Int) -> [[Float]] {
        (0..<count).map { Array(values[($0 * columns)..<(($0 + 1) * columns)]) }
    }

    static func loraRecord(_ l: LoRALinear) -> LayerRecord {
        var r = LayerRecord(type: "lora")
        r.inputs = l.inputs
        r.outputs = l.outputs
        r.weight = rows(l.base.value, l.outputs, l.inputs)
        r.bias = l.bias?.value
        r.rank = l.rank
        r.alpha = l.alpha
        r.rsLoRA = l.rsLoRA
        r.loraDropout = l.dropout
        r.loraA = rows(l.loraA.value, l.rank, l.inputs)
        r.loraB = rows(l.loraB.value, l.outputs, l.rank)
        r.group = l.loraA.group
        return r
    }

    /// A `"type": "lora"` record as a layer, every shape and setting checked.
    static func loraLayer(_ r: LayerRecord, index i: Int, at: String, receives width: Int?) throws -> LoRALinear {
        func need<T>(_ v: T?, _ field: String) throws -> T {
            guard let v else { throw ExperimentFileError("\(at): missing \"\(field)\"") }
            return v
        }
        func flat(_ rows: [[Float]], _ n: Int, _ d: Int, _ field: String) throws -> [Float] {
            guard rows.count == n, rows.allSatisfy({ $0.count == d }) else {
                throw ExperimentFileError("\(at): \"\(field)\" must be \(n) rows of \(d) numbers")
            }
            return rows.flatMap { $0 }
        }
        let k = try need(r.inputs, "in"), m = try need(r.outputs, "out"), rank = try need(r.rank, "rank")
        guard k > 0, m > 0 else { throw ExperimentFileError("\(at): \"in\" and \"out\" must be positive") }
        guard SettingBounds.rank.contains(rank) else {
            throw ExperimentFileError("\(at): \"rank\" must be in \(SettingBounds.rank.lowerBound)…\(SettingBounds.rank.upperBound)")
        }
        if let w = width, w != k { throw ExperimentFileError("\(at): takes \(k) inputs but receives \(w)") }
        let alpha = try need(r.alpha, "alpha")
        guard alpha.isFinite, SettingBounds.alpha.contains(Double(alpha)) else { throw ExperimentFileError("\(at): \(SettingBounds.alphaText)") }
        let dropout = r.loraDropout ?? 0
        guard SettingBounds.dropout.contains(Double(dropout)) else {
            throw ExperimentFileError("\(at): \(SettingBounds.loraDropoutText)")
        }
        let w = try flat(try need(r.weight, "weight"), m, k, "weight")
        var bias: Parameter? = nil
        if let b = r.bias {
            guard b.count == m else { throw ExperimentFileError("\(at): \"bias\" must have \(m) numbers") }
            bias = Parameter(name: "\(i).bias", group: .biases, shape: [m], value: b)
        }
        let group = r.group ?? .adapters
        let a = try flat(try need(r.loraA, "lora_A"), rank, k, "lora_A")
        let b = try flat(try need(r.loraB, "lora_B"), m, rank, "lora_B")
        return LoRALinear(
            base: Parameter(name: "\(i).weight", group: .weights, shape: [m, k], value: w), bias: bias,
            loraA: Parameter(name: "\(i).lora_A", group: group, shape: [rank, k], value: a),
            loraB: Parameter(name: "\(i).lora_B", group: group, shape: [m, rank], value: b),
            alpha: alpha, rsLoRA: r.rsLoRA ?? false, dropout: dropout)
    }
}
