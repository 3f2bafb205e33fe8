extension String {
    /// Every occurrence of `target` replaced by `replacement`, matched scalar
    /// by scalar from the left (as a literal search does). The tutor does this
    /// to names and titles on every frame; Foundation's version bridges
    /// each string to an object first, which cost more than the drawing.
    package func replacingScalars(_ target: String, with replacement: String) -> String {
        let needle = Array(target.unicodeScalars)
        guard let first = needle.first else { return self }
        let hay = Array(unicodeScalars)
        guard hay.count >= needle.count, hay.contains(first) else { return self }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < hay.count {
            if hay[i] == first, i + needle.count <= hay.count, hay[i..<(i + needle.count)].elementsEqual(needle) {
                out.append(contentsOf: replacement.unicodeScalars)
                i += needle.count
            } else {
                out.append(hay[i])
                i += 1
            }
        }
        return String(out)
    }
}
