/// A lesson's key points: the bullets under a `### Key points` heading in
/// its steps' prose (usually the last step's). The tutor shows them on the
/// lesson's summary screen and leaves them out of the step's prose pane;
/// on GitHub they read as the lesson's closing list.
extension Lesson {
    public static let keyPointsHeading = "### Key points"

    public var keyPoints: [String] {
        steps.flatMap { Self.split($0.prose).points }
    }

    /// A step's prose without its key-points section, and the points.
    public static func split(_ prose: String) -> (prose: String, points: [String]) {
        var kept: [Substring] = []
        var points: [String] = []
        var inSection = false
        for line in prose.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased() == keyPointsHeading.lowercased() {
                inSection = true
                continue
            }
            if inSection, trimmed.hasPrefix("#") { inSection = false }
            guard inSection else {
                kept.append(line)
                continue
            }
            if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") {
                points.append(String(trimmed.dropFirst(2)))
            } else if !trimmed.isEmpty, !points.isEmpty {
                points[points.count - 1] += " " + trimmed      // a bullet's continuation line
            }
        }
        while kept.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { kept.removeLast() }
        return (kept.joined(separator: "\n"), points)
    }
}
