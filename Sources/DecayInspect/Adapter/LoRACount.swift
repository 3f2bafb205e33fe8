import Foundation

/// Which layers of a base checkpoint a LoRA config adapts, and the counts
/// peft's `print_trainable_parameters()` prints for it (trainable, all),
/// with the part the Trainer decays. Read from the checkpoint's tensor
/// names and shapes, as peft matches module names:
///
/// - a target name matches a module whose name is it or ends in ".name";
///   a string target is a regular expression the full name must match;
/// - Axolotl's `lora_target_linear` adds the last name of every linear
///   layer but the output one (`find_all_linear_names`); peft's
///   "all-linear" takes every linear layer but the output one;
/// - each adapted layer of shape out × in gains A (r × in) and B (out × r),
///   and DoRA a magnitude per output;
/// - `modules_to_save` adds a trainable copy of each matching module.
public struct LoRACount: Sendable {
    public struct Layer: Sendable, Equatable {
        public var module: String
        public var shape: [Int]
        /// A (r × in) + B (out × r) (+ out with DoRA).
        public var parameters: Int
    }

    public var layers: [Layer]
    /// Modules copied in full by modules_to_save, and their parameters.
    public var savedModules: [(module: String, parameters: Int, decayed: Int)]
    public var baseParameters: Int
    public var trainableParameters: Int
    /// What `print_trainable_parameters` calls "all params": base + adapters + saved copies.
    public var allParameters: Int
    public var decayedParameters: Int
    public var notes: [InspectNote] = []

    /// The trainable share, as peft prints it (in percent).
    public var trainablePercent: Double { allParameters > 0 ? 100 * Double(trainableParameters) / Double(allParameters) : 0 }

    public init(adapter a: AdapterSettings, checkpoint: Checkpoint, summary model: ModelSummary) {
        let modules = ModuleShapes(checkpoint: checkpoint)
        var notes: [InspectNote] = []
        let targets = Self.targetNames(a, modules: modules, notes: &notes)
        var layers: [Layer] = []
        for module in modules.weighted where Self.matches(module.name, targets: targets, pattern: a.targetPattern) {
            guard module.shape.count == 2 else {
                notes.append(InspectNote(.adapter, "\(Quote.code(module.name)) matches a target but is not a layer LoRA adapts (its weight is \(module.shape.count)-D); peft refuses it"))
                continue
            }
            let out = module.kind == .conv1D ? module.shape[1] : module.shape[0]
            let lora = a.rank * (module.shape[0] + module.shape[1])
            layers.append(Layer(module: module.name, shape: module.shape, parameters: lora + (a.useDoRA ? out : 0)))
        }
        if layers.isEmpty {
            notes.append(InspectNote(.adapter, "no layer of this checkpoint matches the targets (\(a.targetsDescription)); peft refuses a LoRA config that adapts nothing"))
        }
        var saved: [(String, Int, Int)] = []
        let norms = DecayRules.layerNormModules(tensors: checkpoint.tensors, modelType: checkpoint.modelType).0
        let renames = ModuleShapes.renames[checkpoint.modelType ?? ""] ?? [:]
        for module in modules.all where Self.matches(module, targets: a.modulesToSave, pattern: nil) {
            var tensors = checkpoint.tensors.map { t -> TensorInfo in
                var r = t
                r.name = ModuleShapes.renamedTensor(t.name, renames)
                return r
            }.filter { $0.name.hasPrefix(module + ".") && $0.dtype.isFloatingPoint }
            if let tied = modules.tiedOutput, tied.name == module {
                // peft copies the tied head: a trainable weight of its own.
                tensors.append(TensorInfo(name: module + ".weight", dtype: .f32, shape: tied.shape,
                                          parameterCount: tied.shape.reduce(1, *), file: ""))
            }
            let count = tensors.reduce(0) { $0 + $1.parameterCount }
            let decayed = tensors.filter { DecayRules.trainerReason($0.name, layerNormModules: norms) == .decayed }.reduce(0) { $0 + $1.parameterCount }
            saved.append((module, count, decayed))
        }
        self.layers = layers
        savedModules = saved
        baseParameters = checkpoint.tensors.filter(\.dtype.isFloatingPoint).reduce(0) { $0 + $1.parameterCount }
        let adapterParameters = layers.reduce(0) { $0 + $1.parameters }
        let savedParameters = saved.reduce(0) { $0 + $1.1 }
        trainableParameters = adapterParameters + savedParameters
        allParameters = baseParameters + trainableParameters
        decayedParameters = adapterParameters + saved.reduce(0) { $0 + $1.2 }
        self.notes = notes
    }

    /// The names peft is handed: the written targets, Axolotl's linear
    /// names, or peft's default for the model type.
    static func targetNames(_ a: AdapterSettings, modules: ModuleShapes, notes: inout [InspectNote]) -> [String] {
        var names = a.targetModules
        if a.targetLinear {
            names += modules.axolotlLinearNames()
        }
        if a.allLinear {
            names += modules.weighted.filter { ($0.kind == .linear || $0.kind == .conv1D) && !modules.isOutputLayer($0.name) }.map(\.name)
        }
        if names.isEmpty && a.targetPattern == nil && !a.targetLinear && !a.allLinear {
            if let type = modules.modelType, let defaults = ConfigSchemas.shared.loraDefaultTargets[type] {
                names = defaults
            } else {
                notes.append(InspectNote(.adapter, "no targets are given and the model type (\(modules.modelType ?? "unknown")) has no default targets in peft; peft refuses such a config"))
            }
        }
        return names
    }

    /// peft's `check_target_module_exists` for a list: the name itself or a dotted suffix.
    static func matches(_ module: String, targets: [String], pattern: String?) -> Bool {
        if let pattern, let regex = try? NSRegularExpression(pattern: "^(?:" + pattern + ")$") {
            let range = NSRange(module.startIndex..., in: module)
            if regex.firstMatch(in: module, range: range) != nil { return true }
        }
        return targets.contains { module == $0 || module.hasSuffix("." + $0) }
    }
}

extension TensorDType {
    /// Parameters are floating point; integer tensors in a checkpoint are buffers (position ids).
    var isFloatingPoint: Bool {
        switch self {
        case .i64, .i32, .i16, .i8, .u64, .u32, .u16, .u8, .bool: return false
        default: return true
        }
    }
}
