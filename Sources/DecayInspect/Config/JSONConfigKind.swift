/// Which training config a JSON file is, told from its keys: a bare
/// `TrainingArguments` dump, a TRL config (`SFTConfig`, `DPOConfig`, … which
/// are TrainingArguments plus their own keys), or the JSON an
/// `HfArgumentParser` script reads, which adds model and data arguments
/// (`model_name_or_path`, `validation_file`) to the training ones.
struct JSONConfigKind {
    /// The TRL class whose own keys the file holds, if any.
    var trl: ConfigSchemas.TRLConfig?
    /// Other classes that fit the file as well (a partial file may fit several).
    var alsoFits: [String]
    /// The HfArgumentParser dataclasses (model and data arguments) the file draws on.
    var parserGroups: [String]
    /// Every key the file may hold, given what it was read as.
    var known: Set<String>

    /// As the report names it: "TRL DPOConfig (trl 1.16.0)", "HfArgumentParser JSON (…)".
    var label: String {
        var base = "Hugging Face TrainingArguments"
        if let trl { base = "TRL \(trl.name) (trl \(trl.version))" }
        guard !parserGroups.isEmpty else { return base }
        return "HfArgumentParser JSON: " + (parserGroups + [trl?.name ?? "TrainingArguments"]).joined(separator: " + ")
    }

    static func detect(keys: Set<String>) -> JSONConfigKind {
        let schemas = ConfigSchemas.shared
        let training = schemas.allTrainingArgumentKeys
        let beyond = keys.subtracting(training)
        // Score each TRL class by the file's keys that only it (among the
        // configs) explains; a full dump has every one of its own keys.
        let scored = schemas.trl.values.map { c -> (ConfigSchemas.TRLConfig, Int, Int) in
            let own = Set(c.fields.keys)
            return (c, own.intersection(beyond).count, own.subtracting(keys).count)
        }.filter { $0.1 > 0 }
        // Ties (a partial file fits several classes): the class missing the
        // fewest of its own keys, the current TRL over an older one, the
        // main trainers over trl.experimental, then by name.
        let current = schemas.versions["trl"]
        let best = scored.sorted { a, b in
            if a.1 != b.1 { return a.1 > b.1 }
            if a.2 != b.2 { return a.2 < b.2 }
            if (a.0.version == current) != (b.0.version == current) { return a.0.version == current }
            let aMain = a.0.module.hasPrefix("trl.trainer"), bMain = b.0.module.hasPrefix("trl.trainer")
            if aMain != bMain { return aMain }
            return a.0.name < b.0.name
        }
        let trl = best.first?.0
        let also = best.dropFirst().filter { $0.1 == best.first?.1 && $0.2 == best.first?.2 }.map(\.0.name)
        var known = training
        if let trl { known.formUnion(trl.fields.keys) }
        var groups: [String] = []
        for (name, fields) in schemas.argumentDataclasses.sorted(by: { $0.key < $1.key }) {
            let used = fields.intersection(keys.subtracting(known))
            if !used.isEmpty {
                groups.append(name)
            }
        }
        // A field several example scripts share (model_name_or_path) names
        // every one of them; keep the scripts that explain the most keys.
        groups = minimalGroups(groups, keys: keys.subtracting(known), schemas: schemas)
        for g in groups { known.formUnion(schemas.argumentDataclasses[g] ?? []) }
        return JSONConfigKind(trl: trl, alsoFits: also, parserGroups: groups, known: known)
    }

    /// The fewest dataclasses that explain the keys, largest first.
    static func minimalGroups(_ groups: [String], keys: Set<String>, schemas: ConfigSchemas) -> [String] {
        var left = keys
        var chosen: [String] = []
        while !left.isEmpty {
            let next = groups.filter { !chosen.contains($0) }.max { a, b in
                let ca = (schemas.argumentDataclasses[a] ?? []).intersection(left).count
                let cb = (schemas.argumentDataclasses[b] ?? []).intersection(left).count
                return ca != cb ? ca < cb : a > b
            }
            guard let next, !(schemas.argumentDataclasses[next] ?? []).intersection(left).isEmpty else { break }
            chosen.append(next)
            left.subtract(schemas.argumentDataclasses[next] ?? [])
        }
        return chosen
    }
}
