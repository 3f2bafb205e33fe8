import Foundation

/// A model's tensors as its checkpoint declares them, from a `.safetensors`
/// file, a sharded checkpoint's `model.safetensors.index.json`, or a folder
/// holding either — and the model's `config.json` when it sits beside them.
public struct Checkpoint: Sendable {
    public var tensors: [TensorInfo]
    /// What was read: the files, in order.
    public var files: [String]
    /// `model_type` from `config.json` ("gpt2", "llama", …), if there is one.
    public var modelType: String?
    public var configPath: String?
    /// `architectures` from config.json ("LlamaForCausalLM").
    public var architectures: [String] = []
    /// `tie_word_embeddings` from config.json (transformers' default, true, when absent).
    public var tiedEmbeddings = true

    /// The largest index file accepted; a real one for a 400B model is a few MB.
    static let maximumIndexBytes = 64_000_000
    static let maximumConfigBytes = 4_000_000

    /// Reads the checkpoint at `path` (see the type's description).
    public static func load(path: String) throws -> Checkpoint {
        let hint = "--model takes a .safetensors file, a model.safetensors.index.json, or a folder holding one"
        guard !path.isEmpty else { throw InspectError(path: "--model", message: "an empty path", hint: hint, kind: .usage) }
        guard let directory = isDirectory(path) else {
            // Said as the system says it: permission denied and a link loop are not "no such file".
            let reason = switch errno {
            case EACCES, EPERM: "permission denied (this user cannot read it, or cannot enter a folder on its path)"
            case ELOOP: "a symbolic link on the path leads in a loop"
            case ENOTDIR: "a part of the path is a file, not a folder"
            default: "no such file or folder"
            }
            throw InspectError(path: path, message: reason, hint: hint, kind: .noInput)
        }
        let folder: String
        var checkpoint: Checkpoint
        if directory {
            folder = path
            checkpoint = try loadFolder(path)
        } else {
            folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
            checkpoint = path.hasSuffix(".json") ? try loadIndex(path) : try loadFile(path)
        }
        let config = (folder as NSString).appendingPathComponent("config.json")
        if isDirectory(config) == false, config != path {
            try checkpoint.readModelConfig(config)
            checkpoint.configPath = config
        }
        return checkpoint
    }

    static func loadFile(_ path: String) throws -> Checkpoint {
        let header = try SafetensorsHeader.read(path: path)
        return Checkpoint(tensors: header.tensors, files: [path])
    }

    static func loadFolder(_ folder: String) throws -> Checkpoint {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for preferred in ["model.safetensors.index.json", "model.safetensors"] where names.contains(preferred) {
            let path = (folder as NSString).appendingPathComponent(preferred)
            return preferred.hasSuffix(".json") ? try loadIndex(path) : try loadFile(path)
        }
        let indexes = names.filter { $0.hasSuffix(".safetensors.index.json") }.sorted()
        if indexes.count == 1 { return try loadIndex((folder as NSString).appendingPathComponent(indexes[0])) }
        let files = names.filter { $0.hasSuffix(".safetensors") }.sorted()
        if files.count == 1 { return try loadFile((folder as NSString).appendingPathComponent(files[0])) }
        var hint = "expected model.safetensors or model.safetensors.index.json"
        if indexes.count > 1 || files.count > 1 {
            hint = "it holds several checkpoints; name one: " + (indexes + files).prefix(4).joined(separator: ", ")
            throw InspectError(path: folder, message: "which checkpoint?", hint: hint, kind: .usage)
        }
        if names.contains(where: { $0.hasSuffix(".bin") || $0.hasSuffix(".pt") || $0.hasSuffix(".pth") }) {
            hint += "; this folder has PyTorch pickle files, which inspect does not read (save the model with save_pretrained(…, safe_serialization=True))"
        }
        throw InspectError(path: folder, message: "no safetensors checkpoint in this folder", hint: hint, kind: .noInput)
    }

    /// A sharded checkpoint: the index maps each tensor to its shard; each
    /// shard's header is read and must hold the tensors the index gives it.
    static func loadIndex(_ path: String) throws -> Checkpoint {
        let bytes = try OpenFile(path: path, what: "index file").readAll(limit: maximumIndexBytes, what: "index file")
        guard case .object(let top) = try JSONReader.parse(bytes, path: path, what: "index file") else {
            throw InspectError(path: path, line: 1, message: "the index file is not a JSON object")
        }
        guard case .object(let map)? = top["weight_map"] else {
            throw InspectError(path: path, line: TextPosition.lineOfJSONKey("weight_map", in: bytes),
                               message: "`weight_map` is missing or not an object",
                               hint: "a sharded checkpoint's index maps each tensor name to its shard file")
        }
        var byShard: [String: [String]] = [:]
        for (tensor, value) in map {
            guard case .string(let shard) = value else {
                throw InspectError(path: path, line: TextPosition.lineOfJSONKey(tensor, in: bytes),
                                   message: "`weight_map` entry \(Quote.code(tensor)) is \(value.kindName), not a file name")
            }
            guard !shard.isEmpty, !shard.contains("/"), !shard.contains("\\"), shard != "..", shard != "." else {
                throw InspectError(path: path, line: TextPosition.lineOfJSONKey(tensor, in: bytes),
                                   message: "shard name \(Quote.code(shard)) is not a file name in the index's folder")
            }
            byShard[shard, default: []].append(tensor)
        }
        guard !byShard.isEmpty else { throw InspectError(path: path, message: "`weight_map` is empty: the index names no tensors") }
        let folder = (path as NSString).deletingLastPathComponent
        var tensors: [TensorInfo] = []
        var files: [String] = [path]
        for shard in byShard.keys.sorted() {
            let shardPath = folder.isEmpty ? shard : (folder as NSString).appendingPathComponent(shard)
            let header = try SafetensorsHeader.read(path: shardPath)
            let present = Set(header.tensors.map(\.name))
            if let missing = byShard[shard]!.sorted().first(where: { !present.contains($0) }) {
                throw InspectError(path: path, line: TextPosition.lineOfJSONKey(missing, in: bytes),
                                   message: "the index puts \(Quote.code(missing)) in \(Quote.code(shard)), whose header does not have it")
            }
            tensors += header.tensors
            files.append(shardPath)
        }
        let names = tensors.map(\.name)
        if let duplicate = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw InspectError(path: path, message: "tensor \(Quote.code(duplicate)) is in more than one shard")
        }
        return Checkpoint(tensors: tensors.sorted { $0.name < $1.name }, files: files)
    }

    /// `model_type`, `architectures` and `tie_word_embeddings` from a model's `config.json`.
    mutating func readModelConfig(_ path: String) throws {
        let bytes = try OpenFile(path: path, what: "model config").readAll(limit: Self.maximumConfigBytes, what: "model config")
        guard case .object(let top) = try JSONReader.parse(bytes, path: path, what: "model config") else {
            throw InspectError(path: path, line: 1, message: "the model's config.json is not a JSON object")
        }
        switch top["model_type"] {
        case .string(let s)?: modelType = s
        case nil, .null?: modelType = nil
        case let other?:
            throw InspectError(path: path, line: TextPosition.lineOfJSONKey("model_type", in: bytes),
                               message: "`model_type` is \(other.kindName), not a string")
        }
        architectures = top["architectures"]?.stringList ?? []
        if case .bool(let tied)? = top["tie_word_embeddings"] { tiedEmbeddings = tied }
    }
}
