/// The three matrix products a linear layer needs, with the weight in
/// PyTorch's layout `W[out][in]`:
///
///     forward         Y  = X·Wᵀ + b      (n×in · in×out)
///     weight grad     dW += dYᵀ·X        (out×n · n×in)
///     input grad      dX  = dY·W         (n×out · out×in)
///
/// Each is written as rank-1 updates or dot products along contiguous rows,
/// blocked over four rows at a time so one loaded row of W (or X) feeds four
/// accumulators: the loads, not the multiplies, bound these small products.
public enum LinearAlgebra {
    /// Y[i][o] = b[o] + Σₖ X[i][k]·W[o][k]
    public static func forward(
        x: UnsafeBufferPointer<Float>, rows n: Int, inputs k: Int,
        weight w: UnsafeBufferPointer<Float>, bias b: UnsafeBufferPointer<Float>?, outputs m: Int,
        into y: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(x.count == n * k && w.count == m * k && y.count == n * m)
        guard n > 0, m > 0, let px = x.baseAddress, let pw = w.baseAddress, let py = y.baseAddress else { return }
        // Transposing the product into rank-1 updates over the output row:
        // Y[i][:] += X[i][k]·Wᵀ[k][:]. Wᵀ is gathered once per call so the
        // inner loop runs along contiguous memory of length `out`.
        withTransposed(pw, rows: m, columns: k) { wt in
            for i in 0..<n {
                let yi = py + i * m
                if let pb = b?.baseAddress {
                    yi.update(from: pb, count: m)
                } else {
                    yi.update(repeating: 0, count: m)
                }
                let xi = px + i * k
                var kk = 0
                while kk + 4 <= k {
                    axpy4(xi[kk], wt + kk * m, xi[kk + 1], wt + (kk + 1) * m,
                          xi[kk + 2], wt + (kk + 2) * m, xi[kk + 3], wt + (kk + 3) * m, yi, m)
                    kk += 4
                }
                while kk < k { axpy1(xi[kk], wt + kk * m, yi, m); kk += 1 }
            }
        }
    }

    /// dW[o][:] += Σᵢ dY[i][o]·X[i][:]  and  db[o] += Σᵢ dY[i][o]
    public static func accumulateWeightGradient(
        x: UnsafeBufferPointer<Float>, rows n: Int, inputs k: Int,
        outputGradient dy: UnsafeBufferPointer<Float>, outputs m: Int,
        weightGradient dw: UnsafeMutableBufferPointer<Float>, biasGradient db: UnsafeMutableBufferPointer<Float>?
    ) {
        precondition(x.count == n * k && dy.count == n * m && dw.count == m * k)
        guard n > 0, let px = x.baseAddress, let pdy = dy.baseAddress, let pdw = dw.baseAddress else { return }
        for o in 0..<m {
            let dwo = pdw + o * k
            var i = 0
            while i + 4 <= n {
                axpy4(pdy[i * m + o], px + i * k, pdy[(i + 1) * m + o], px + (i + 1) * k,
                      pdy[(i + 2) * m + o], px + (i + 2) * k, pdy[(i + 3) * m + o], px + (i + 3) * k, dwo, k)
                i += 4
            }
            while i < n { axpy1(pdy[i * m + o], px + i * k, dwo, k); i += 1 }
        }
        if let pdb = db?.baseAddress {
            for i in 0..<n {
                let row = UnsafeBufferPointer(start: pdy + i * m, count: m)
                Kernels.axpy(1, row, into: UnsafeMutableBufferPointer(start: pdb, count: m))
            }
        }
    }

    /// dX[i][:] = Σₒ dY[i][o]·W[o][:]
    public static func inputGradient(
        outputGradient dy: UnsafeBufferPointer<Float>, rows n: Int, outputs m: Int,
        weight w: UnsafeBufferPointer<Float>, inputs k: Int,
        into dx: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(dy.count == n * m && w.count == m * k && dx.count == n * k)
        guard n > 0, let pdy = dy.baseAddress, let pw = w.baseAddress, let pdx = dx.baseAddress else { return }
        for i in 0..<n {
            let dxi = pdx + i * k
            dxi.update(repeating: 0, count: k)
            let dyi = pdy + i * m
            var o = 0
            while o + 4 <= m {
                axpy4(dyi[o], pw + o * k, dyi[o + 1], pw + (o + 1) * k,
                      dyi[o + 2], pw + (o + 2) * k, dyi[o + 3], pw + (o + 3) * k, dxi, k)
                o += 4
            }
            while o < m { axpy1(dyi[o], pw + o * k, dxi, k); o += 1 }
        }
    }

    // y[0..<len] += a·x + b·u + c·v + d·w: four rows per pass over y.
    @inline(__always)
    static func axpy4(
        _ a: Float, _ x: UnsafePointer<Float>, _ b: Float, _ u: UnsafePointer<Float>,
        _ c: Float, _ v: UnsafePointer<Float>, _ d: Float, _ w: UnsafePointer<Float>,
        _ y: UnsafeMutablePointer<Float>, _ len: Int
    ) {
        var j = 0
        while j + 16 <= len {
            var acc = load16(y, j)
            acc += a * load16(x, j)
            acc += b * load16(u, j)
            acc += c * load16(v, j)
            acc += d * load16(w, j)
            store16(acc, y, j)
            j += 16
        }
        while j < len {
            var acc = y[j]
            acc += a * x[j]
            acc += b * u[j]
            acc += c * v[j]
            acc += d * w[j]
            y[j] = acc
            j += 1
        }
    }

    @inline(__always)
    static func axpy1(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ len: Int) {
        var j = 0
        while j + 16 <= len {
            store16(load16(y, j) + a * load16(x, j), y, j)
            j += 16
        }
        while j < len { y[j] += a * x[j]; j += 1 }
    }

    @inline(__always)
    static func withTransposed<R>(
        _ w: UnsafePointer<Float>, rows m: Int, columns k: Int,
        _ body: (UnsafePointer<Float>) -> R
    ) -> R {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: m * k) { t in
            let pt = t.baseAddress!
            for o in 0..<m {
                for kk in 0..<k { pt[kk * m + o] = w[o * k + kk] }
            }
            return body(UnsafePointer(pt))
        }
    }
}
