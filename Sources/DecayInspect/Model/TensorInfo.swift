/// The element types a safetensors file can declare, with their size in bits.
public enum TensorDType: String, CaseIterable, Sendable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case f8E4M3 = "F8_E4M3", f8E5M2 = "F8_E5M2", f8E8M0 = "F8_E8M0"
    case f6E2M3 = "F6_E2M3", f6E3M2 = "F6_E3M2", f4 = "F4"
    case c64 = "C64"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8"
    case u64 = "U64", u32 = "U32", u16 = "U16", u8 = "U8"
    case bool = "BOOL"

    public var bits: Int {
        switch self {
        case .c64: return 64
        case .f64, .i64, .u64: return 64
        case .f32, .i32, .u32: return 32
        case .f16, .bf16, .i16, .u16: return 16
        case .f8E4M3, .f8E5M2, .f8E8M0, .i8, .u8, .bool: return 8
        case .f6E2M3, .f6E3M2: return 6
        case .f4: return 4
        }
    }
}

/// One tensor as a checkpoint's header describes it: never its values.
public struct TensorInfo: Equatable, Sendable {
    public var name: String
    public var dtype: TensorDType
    public var shape: [Int]
    /// The number of elements (the product of the shape; 1 for a scalar).
    public var parameterCount: Int
    /// The file the tensor is in (a shard, for sharded checkpoints).
    public var file: String

    public init(name: String, dtype: TensorDType, shape: [Int], parameterCount: Int, file: String) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.parameterCount = parameterCount
        self.file = file
    }

    /// "768×3072", or "scalar".
    public var shapeText: String {
        switch shape.count {
        case 0: return "scalar"
        case 1: return String(shape[0])
        default: return shape.map(String.init).joined(separator: "×")
        }
    }
}
