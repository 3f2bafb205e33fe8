#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The buffer a matrix product packs a block of B into: one per thread,
/// allocated the first time that thread runs a product and kept until it
/// exits, so a training step allocates nothing.
///
/// Why not `withUnsafeTemporaryAllocation`: above 1 KiB the standard library
/// asks the runtime whether the stack has room, and on Linux the answer is
/// no, so every product took a trip through `malloc` (a 16 KiB block of B
/// for the 8-lane panels; the allocation test counts them). A per-thread
/// buffer is also what BLAS libraries keep for their packed panels.
enum PackingBuffer {
    /// Floats per buffer: `depthBlock` rows of the widest panel (two
    /// 16-lane vectors, 32 KiB), so every tiling can use it.
    static let capacity = PanelProduct.depthBlock * 32

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { free($0) }
        precondition(status == 0, "pthread_key_create failed (\(status))")
        return key
    }()

    /// This thread's buffer of `capacity` floats, 64-byte aligned.
    @inline(__always)
    static func forThisThread() -> UnsafeMutablePointer<Float> {
        if let p = pthread_getspecific(key) { return p.assumingMemoryBound(to: Float.self) }
        return allocate()
    }

    @inline(never)
    private static func allocate() -> UnsafeMutablePointer<Float> {
        var p: UnsafeMutableRawPointer?
        let status = posix_memalign(&p, 64, capacity * MemoryLayout<Float>.stride)
        guard status == 0, let p else { fatalError("out of memory for a \(capacity * 4)-byte packing buffer") }
        pthread_setspecific(key, p)
        return p.assumingMemoryBound(to: Float.self)
    }
}
