import Foundation
import Yams

/// Reads an Axolotl YAML config with the defaults of Axolotl's schema (one
/// device): what the keys say about the steps, the schedule, the optimizer,
/// the adapter and where training starts. Keys the schema does not have
/// are notes (Axolotl ignores them); a value Axolotl would refuse is an
/// error at its line.
enum AxolotlConfigReader {
    static let maximumBytes = 4_000_000

    static func read(path: String) throws -> TrainingConfig {
        var bytes = try OpenFile(path: path, what: "config").readAll(limit: maximumBytes, what: "config")
        // A byte-order mark, as some editors write, is not part of the YAML.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InspectError(path: path, message: "the config is not UTF-8 text")
        }
        let fields = try Self.fields(yaml: text, path: path)
        let schemas = ConfigSchemas.shared
        let known = Set(schemas.axolotlFields.keys).union(schemas.axolotlAliases.keys)
        if !fields.entries.isEmpty, fields.entries.keys.allSatisfy({ !known.contains($0) && schemas.plugin(forKey: $0) == nil }) {
            throw InspectError(path: path, line: 1, message: "none of this file's keys is an Axolotl config key; it is not an Axolotl config",
                               hint: "--config takes an Axolotl .yml, or a TrainingArguments/TRL .json")
        }
        let (notes, _) = try KeyCheck.axolotl(fields)
        try AxolotlValueCheck.check(fields)
        var config = try AxolotlConfigBuilder.build(fields, path: path)
        config.notes = notes + config.notes
        return config
    }

    /// The top-level entries of a YAML mapping, with their lines.
    static func fields(yaml text: String, path: String) throws -> ConfigFields {
        try YAMLDepth.check(text, path: path)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw located(error, path: path)
        } catch {
            throw InspectError(path: path, message: "the config is not valid YAML")
        }
        guard let node else { throw InspectError(path: path, message: "the config is empty", hint: "an Axolotl config needs at least base_model and learning_rate") }
        guard case .mapping(let mapping) = node else {
            throw InspectError(path: path, line: node.mark?.line, message: "the config is \(describe(node)), not a mapping of Axolotl keys")
        }
        return ConfigFields(entries: try entries(mapping, path: path, depth: 0), path: path, numbersAsStrings: true)
    }

    static func located(_ error: YamlError, path: String) -> InspectError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return InspectError(path: path, line: mark.line, column: mark.column, message: "the config is not valid YAML: \(Quote.visible(problem, limit: 100))")
        case .reader(let problem, _, _, _):
            return InspectError(path: path, message: "the config cannot be read as YAML: \(Quote.visible(problem, limit: 100))")
        case .duplicatedKeysInMapping(let duplicates, _):
            return InspectError(path: path, message: "duplicate key \(Quote.code(duplicates.first ?? ""))")
        default:
            return InspectError(path: path, message: "the config is not valid YAML")
        }
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar: return "a single value"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return "an alias"
        }
    }

    /// Items of a list kept, at most; a config's lists are short.
    static let maximumListItems = 100_000

    static func entries(_ mapping: Node.Mapping, path: String, depth: Int) throws -> [String: ConfigEntry] {
        var out: [String: ConfigEntry] = [:]
        for (key, value) in mapping {
            guard case .scalar(let k) = key else {
                throw InspectError(path: path, line: key.mark?.line, message: "a key is \(describe(key)), not a name")
            }
            if out[k.string] != nil {
                throw InspectError(path: path, line: key.mark?.line, message: "duplicate key \(Quote.code(k.string))")
            }
            out[k.string] = ConfigEntry(value: try convert(value, path: path, depth: depth), line: key.mark?.line)
        }
        return out
    }

    static func convert(_ node: Node, path: String, depth: Int) throws -> ConfigValue {
        switch node {
        case .scalar(let s): return scalar(s)
        case .sequence(let items):
            guard depth < 3 else { return .list([]) }
            return .list(try items.prefix(maximumListItems).map { try convert($0, path: path, depth: depth + 1) })
        case .alias: return .null
        case .mapping(let m):
            // Two levels are read below the top: the scheduler's keyword
            // arguments, the `trl:` section, the `peft:` section.
            return depth < 2 ? .map(try entries(m, path: path, depth: depth + 1)) : .list([])
        }
    }

    /// A scalar as PyYAML reads it: quoted ones are strings, plain ones by YAML 1.1's rules.
    static func scalar(_ s: Node.Scalar) -> ConfigValue {
        guard s.style == .plain || s.style == .any else { return .string(s.string) }
        return YAML11Scalar.resolve(s.string)
    }
}
