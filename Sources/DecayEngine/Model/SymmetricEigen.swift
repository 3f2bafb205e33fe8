/// Eigenvalues and eigenvectors of a small symmetric matrix by the cyclic
/// Jacobi method (Golub & Van Loan, §8.5): each rotation zeroes one
/// off-diagonal pair, sweeps repeat until the off-diagonal mass is below
/// 1e-15 of the matrix's. Accurate to working precision for every
/// eigenvalue, small ones included, which is what a spectrum of singular
/// values needs; r × r with r ≤ 256, so O(r³) per sweep is cheap.
enum SymmetricEigen {
    /// (values, V) with `matrix` = V·diag(values)·Vᵀ; V row-major, its
    /// columns the eigenvectors.
    static func decompose(_ matrix: [Double], size n: Int) -> (values: [Double], vectors: [Double]) {
        precondition(matrix.count == n * n)
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        a.withUnsafeMutableBufferPointer { a in v.withUnsafeMutableBufferPointer { decompose(a, vectors: $0, size: n) } }
        return ((0..<n).map { a[$0 * n + $0] }, v)
    }

    /// The same in place, allocating nothing (a run measures its adapters'
    /// spectra while it trains): `a` ends diagonal, its diagonal the
    /// eigenvalues; `v` is overwritten with the eigenvectors.
    static func decompose(_ a: UnsafeMutableBufferPointer<Double>, vectors v: UnsafeMutableBufferPointer<Double>, size n: Int) {
        precondition(a.count == n * n && v.count == n * n)
        v.update(repeating: 0)
        for i in 0..<n { v[i * n + i] = 1 }
        var total = 0.0
        for x in a { total += x * x }
        for _ in 0..<60 {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where j != i { off += a[i * n + j] * a[i * n + j] } }
            if off <= 1e-30 * total || off == 0 { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) where a[p * n + q] != 0 {
                    rotate(a, v, n, p, q)
                }
            }
        }
    }

    /// One Jacobi rotation in the (p, q) plane that zeroes a[p][q].
    private static func rotate(_ a: UnsafeMutableBufferPointer<Double>, _ v: UnsafeMutableBufferPointer<Double>, _ n: Int, _ p: Int, _ q: Int) {
        let apq = a[p * n + q]
        let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
        let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot(), s = t * c
        for k in 0..<n {
            let akp = a[k * n + p], akq = a[k * n + q]
            a[k * n + p] = c * akp - s * akq
            a[k * n + q] = s * akp + c * akq
        }
        for k in 0..<n {
            let apk = a[p * n + k], aqk = a[q * n + k]
            a[p * n + k] = c * apk - s * aqk
            a[q * n + k] = s * apk + c * aqk
        }
        for k in 0..<n {
            let vkp = v[k * n + p], vkq = v[k * n + q]
            v[k * n + p] = c * vkp - s * vkq
            v[k * n + q] = s * vkp + c * vkq
        }
    }

    /// X·Y for n × n row-major matrices.
    static func multiply(_ x: [Double], _ y: [Double], _ n: Int) -> [Double] {
        var out = [Double](repeating: 0, count: n * n)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in out.withUnsafeMutableBufferPointer { multiply(x, y, into: $0, n) } }
        }
        return out
    }

    /// X·Y into `out` (which must not be X or Y), allocating nothing.
    static func multiply(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>,
                         into out: UnsafeMutableBufferPointer<Double>, _ n: Int) {
        out.update(repeating: 0)
        for i in 0..<n {
            for t in 0..<n where x[i * n + t] != 0 {
                let xit = x[i * n + t]
                for j in 0..<n { out[i * n + j] += xit * y[t * n + j] }
            }
        }
    }
}
