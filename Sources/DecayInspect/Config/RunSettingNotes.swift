/// Settings that make a run differ from the one-device, one-learning-rate
/// run the report computes: each is named where it appears, so nothing is
/// approximated silently.
enum RunSettingNotes {
    /// Axolotl keys that give some parameters another learning rate (and so
    /// another decay per step, lr_t·λ), or hand the schedule to DeepSpeed.
    static let axolotlKeys: [(String, String)] = [
        ("loraplus_lr_ratio", "LoRA+ trains B at this multiple of the learning rate, so B's decay per step is that multiple of A's; the figures use the base rate"),
        ("loraplus_lr_embedding", "LoRA+ gives embedding adapters their own learning rate, and so their own decay per step"),
        ("embedding_lr", "embeddings train at their own learning rate, and so decay at their own rate per step"),
        ("embedding_lr_scale", "embeddings train at a scaled learning rate, and so decay at a scaled rate per step"),
        ("lr_groups", "these parameter groups train at their own learning rates, and so decay at their own rates per step"),
        ("deepspeed", "a DeepSpeed config may set its own optimizer and scheduler; where it does, they replace the ones this report follows"),
    ]

    static func axolotl(_ f: ConfigFields) -> [InspectNote] {
        notes(f, axolotlKeys) + oneDevice(f, keys: ["fsdp", "fsdp_config", "tensor_parallel_size", "context_parallel_size"])
    }

    static func trainer(_ f: ConfigFields) -> [InspectNote] {
        notes(f, [("deepspeed", axolotlKeys.last!.1)]) + oneDevice(f, keys: ["fsdp", "fsdp_config"])
    }

    static func notes(_ f: ConfigFields, _ keys: [(String, String)]) -> [InspectNote] {
        keys.compactMap { key, why in
            guard let e = f.present(key) else { return nil }
            if case .bool(false) = e.value { return nil }
            if case .string("") = e.value { return nil }
            return InspectNote(.approximation, "`\(key)`: \(why)", line: e.line)
        }
    }

    /// Steps are counted for one device; sharding across devices multiplies the batch.
    static func oneDevice(_ f: ConfigFields, keys: [String]) -> [InspectNote] {
        guard let key = keys.first(where: { k in
            guard let e = f.present(k) else { return false }
            if case .bool(false) = e.value { return false }
            if case .string("") = e.value { return false }
            if case .list(let items) = e.value, items.isEmpty { return false }
            return true
        }) else { return [] }
        return [InspectNote(.approximation, "`\(key)` spreads the run over several devices; the steps here are counted for one (the batch per step grows with the devices, so the real run has fewer steps)",
                            line: f.entries[key]?.line)]
    }
}
