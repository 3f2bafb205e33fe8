import Foundation

extension Kernels {
    // MARK: - Fork-join

    /// The smallest chunk worth a thread: below ~64K elements the update
    /// takes a few microseconds, less than waking a worker costs.
    public static let parallelGrain = 65_536

    /// The `threads:` an optimizer should pass for a tensor of `count`
    /// elements: the machine's cores, or 1 below two grains.
    public static func recommendedThreads(count: Int) -> Int {
        count < 2 * parallelGrain ? 1 : ProcessInfo.processInfo.activeProcessorCount
    }

    /// Calls `body(start, end)` over `0..<count` in at most `threads`
    /// contiguous chunks of at least `parallelGrain` elements, one per core,
    /// with boundaries on 64-element (cache-line × 4) multiples. One chunk
    /// runs inline: small updates never touch Dispatch.
    @inline(__always)
    static func forEachChunk(count: Int, threads: Int, _ body: (Int, Int) -> Void) {
        let chunks = max(1, min(threads, count / parallelGrain))
        if chunks == 1 { body(0, count); return }
        let size = (count / chunks + 63) / 64 * 64
        withoutActuallyEscaping(body) { body in
            let work = SendableBody(body: body)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let start = c * size
                let end = min(count, start + size)
                if start < end { work.body(start, end) }
            }
        }
    }

    struct SendableBody: @unchecked Sendable {
        let body: (Int, Int) -> Void
    }

    /// Raw pointers handed to worker threads; each worker touches a disjoint range.
    struct SendablePointers: @unchecked Sendable {
        let p: UnsafeMutablePointer<Float>
        let g: UnsafePointer<Float>
        let a: UnsafeMutablePointer<Float>
        let b: UnsafeMutablePointer<Float>?
        init(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ a: UnsafeMutablePointer<Float>,
             _ b: UnsafeMutablePointer<Float>?) {
            self.p = p; self.g = g; self.a = a; self.b = b
        }
    }
}

extension Kernels {
    /// STREAM's triad a ← b + s·c over up to `threads` cores: the memory
    /// bandwidth figure the optimizer kernels are measured against.
    public static func triad(_ a: Buffer, _ b: ReadBuffer, _ c: ReadBuffer, scalar s: Float, threads: Int) {
        precondition(a.count == b.count && b.count == c.count, "triad: length mismatch")
        guard a.count > 0, let pa = a.baseAddress, let pb = b.baseAddress, let pc = c.baseAddress else { return }
        let ptrs = TriadPointers(a: pa, b: pb, c: pc)
        forEachChunk(count: a.count, threads: threads) { start, end in triadRange(ptrs, s, start, end) }
    }

    struct TriadPointers: @unchecked Sendable {
        let a: UnsafeMutablePointer<Float>, b: UnsafePointer<Float>, c: UnsafePointer<Float>
    }

    @inline(never)
    static func triadRange(_ p: TriadPointers, _ s: Float, _ start: Int, _ end: Int) {
        var i = start
        while i + 16 <= end {
            store16(load16(p.b, i) + s * load16(p.c, i), p.a, i)
            i += 16
        }
        while i < end { p.a[i] = p.b[i] + s * p.c[i]; i += 1 }
    }
}
