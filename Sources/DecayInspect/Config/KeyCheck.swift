import TextSupport

/// Which keys of a config the real tool knows, from the generated schemas.
/// A key none of them has is a note with the nearest known key, never an
/// error: Axolotl ignores such keys, and a report is still useful when
/// HfArgumentParser would refuse one.
enum KeyCheck {
    /// Axolotl: its schema's fields and aliases, plus the arguments of each
    /// plugin listed in `plugins:`. Returns the notes and the listed plugins.
    static func axolotl(_ f: ConfigFields) throws -> (notes: [InspectNote], plugins: [ConfigSchemas.Plugin]) {
        let schemas = ConfigSchemas.shared
        var notes: [InspectNote] = []
        var listed: [ConfigSchemas.Plugin] = []
        var unknownPluginListed = false
        for name in try f.strings("plugins") ?? [] {
            if let plugin = schemas.plugin(named: name) {
                listed.append(plugin)
            } else {
                unknownPluginListed = true
                let near = Suggestion.closest(to: name, among: schemas.plugins.flatMap(\.names))
                notes.append(InspectNote(.unknownPlugin,
                    "`plugins` lists \(Quote.code(name)), which is not a plugin bundled with Axolotl \(version); "
                    + "keys it adds cannot be checked" + (near.map { " (did you mean `\($0)`?)" } ?? ""),
                    line: f.entries["plugins"]?.line))
            }
        }
        var known = Set(schemas.axolotlFields.keys).union(schemas.axolotlAliases.keys)
        for plugin in listed { known.formUnion(plugin.fields.union(plugin.aliases.keys)) }
        let strange = f.unknownKeys(known: known)
        for key in strange.prefix(maximumNotes) {
            let line = f.entries[key]?.line
            if let plugin = schemas.plugin(forKey: key) {
                notes.append(InspectNote(.pluginNotListed,
                    "\(Quote.code(key)) belongs to the \(plugin.shortName) plugin (\(plugin.names[0])), which `plugins` does not list: Axolotl ignores it",
                    line: line))
            } else if !unknownPluginListed {
                notes.append(unknown(key, line: line, among: known,
                                     what: "Axolotl \(version) ignores keys its config schema does not have"))
            }
        }
        if strange.count > maximumNotes {
            notes.append(InspectNote(.unknownKey, "and \(strange.count - maximumNotes) more keys Axolotl's schema does not have"))
        }
        return (notes, listed)
    }

    /// Keys named one by one; a file with thousands of strange keys is not a config to list.
    static let maximumNotes = 50

    /// A JSON config: notes for keys neither `known` nor an older
    /// transformers field (those get their own note).
    static func json(_ f: ConfigFields, known: Set<String>, parserRefuses: Bool) -> [InspectNote] {
        let schemas = ConfigSchemas.shared
        var notes: [InspectNote] = []
        let strange = f.unknownKeys(known: known)
        for key in strange.prefix(maximumNotes) {
            let line = f.entries[key]?.line
            if let release = schemas.legacyTrainingArguments[key] {
                notes.append(InspectNote(.legacyKey,
                    "\(Quote.code(key)) is a TrainingArguments field of transformers \(release) that transformers \(schemas.versions["transformers"] ?? "") no longer has; "
                    + "a file written by that release loads here, but TrainingArguments(**file) would refuse it today", line: line))
            } else {
                let consequence = parserRefuses
                    ? "HfArgumentParser.parse_json_file refuses a key none of its dataclasses has (unless allow_extra_keys=True)"
                    : "TrainingArguments(**file) refuses a key it does not have"
                notes.append(unknown(key, line: line, among: known, what: consequence))
            }
        }
        if strange.count > maximumNotes {
            notes.append(InspectNote(.unknownKey, "and \(strange.count - maximumNotes) more keys no schema has"))
        }
        return notes
    }

    static func unknown(_ key: String, line: Int?, among known: Set<String>, what: String) -> InspectNote {
        let near = ConfigFields.suggestion(for: key, among: known)
        return InspectNote(.unknownKey, "unknown key \(Quote.code(key))" + (near.map { " (did you mean `\($0)`?)" } ?? "") + ": " + what,
                           line: line)
    }

    static var version: String { ConfigSchemas.shared.versions["axolotl"] ?? "" }
}
