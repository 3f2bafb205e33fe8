/// `optim_args`: the Trainer's "key=value,key=value" string (Axolotl also
/// takes a mapping), which can change SGD's momentum or an optimizer's λ.
enum OptimizerArguments {
    static func read(_ f: ConfigFields, key: String) throws -> [String: String] {
        guard let entry = f.present(key) else { return [:] }
        switch entry.value {
        case .string(let text):
            var out: [String: String] = [:]
            for pair in text.replacingOccurrences(of: " ", with: "").split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else {
                    throw f.error(key, "`\(key)` holds \(Quote.code(String(pair), limit: 40)), not key=value", hint: "write it as \"momentum=0.9,eps=1e-8\"")
                }
                out[String(parts[0])] = String(parts[1])
            }
            return out
        case .map(let map):
            return map.compactMapValues { entry -> String? in
                switch entry.value {
                case .number(let n): return n.text
                case .string(let s): return s
                case .bool(let b): return b ? "True" : "False"
                default: return nil
                }
            }
        default:
            throw f.error(key, "`\(key)` is \(entry.value.kindName), not a string of key=value pairs")
        }
    }
}
