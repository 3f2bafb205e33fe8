import Foundation
import TerminalUI
import TextSupport

/// Run names shortened to a width (the numbers panel's name column, a
/// chart's end labels, a legend) so that the runs can still be told apart:
///
/// - a name that fits is left whole; when one does not, every name first
///   loses the spaces around `=` ("λ=0.05, τ=2000"), which hides nothing;
/// - a longer name is cut with one ellipsis, keeping a head and a tail;
///   a number is shown whole or hidden whole, and shown only with the word
///   it belongs to ("τ=2000", never "τ=20" or a bare "2000");
/// - of the cuts that fit, the one that could be taken for the fewest
///   other names wins, then the one hiding the fewest words and numbers
///   the others lack, then the fewest numbers, then the longest: what the
///   names share goes first;
/// - two different names never come out the same while a cut keeps them apart.
enum RunNameFit {
    /// `names` shortened to `width` columns.
    static func fit(_ names: [String], width: Int, ellipsis: String) -> [String] {
        measured(names, width: width, ellipsis: ellipsis).names
    }

    /// The fitted names, and whether the cut had to hide a number that
    /// tells a name from another, or left two different names the same:
    /// the caller may give the names more room.
    static func measured(_ names: [String], width: Int, ellipsis: String) -> (names: [String], hidesDifference: Bool) {
        if names.allSatisfy({ CharacterWidth.of($0) <= width }) { return (names, false) }
        let key = "\(width)\u{0}\(ellipsis)\u{0}" + names.joined(separator: "\u{0}")
        if let known = cache.lock.withLock({ cache.fitted[key] }) { return known }
        let result = computed(names, width: width, ellipsis: ellipsis)
        cache.lock.withLock {
            // Each step has a handful of names and widths; a bound keeps a long session's cache small.
            if cache.fitted.count > 512 { cache.fitted.removeAll() }
            cache.fitted[key] = result
        }
        return result
    }

    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var fitted: [String: (names: [String], hidesDifference: Bool)] = [:]
    }

    /// The panel fits its names at every width it tries, every frame: the
    /// cuts are worked out once per set of names and width.
    private static let cache = Cache()

    private static func computed(_ names: [String], width: Int, ellipsis: String) -> (names: [String], hidesDifference: Bool) {
        let compact = names.map(compacted)
        if compact.allSatisfy({ CharacterWidth.of($0) <= width }) { return (compact, false) }
        let parsed = compact.map(RunName.init)
        let ranked = compact.indices.map { i in
            parsed[i].cuts(width: width, ellipsis: ellipsis,
                           others: compact.indices.filter { compact[$0] != compact[i] }.map { parsed[$0].words })
            // No room even for the ellipsis: the name's first columns.
            + [RunName.Cut(text: String(compact[i].prefix(max(0, width))), cost: [], hidesDifference: true)]
        }
        var choice = [Int](repeating: 0, count: names.count)
        // Names that came out equal while different take their next-best
        // cut, one at a time, until they differ or run out of cuts.
        for _ in 0..<(names.count * 16) {
            let clash = clashes(compact, ranked.indices.map { ranked[$0][choice[$0]].text })
            guard let next = clash.first(where: { choice[$0] + 1 < ranked[$0].count }) else { break }
            choice[next] += 1
        }
        let shown = ranked.indices.map { ranked[$0][choice[$0]] }
        let hides = shown.contains { $0.hidesDifference } || !clashes(compact, shown.map(\.text)).isEmpty
        return (shown.map(\.text), hides)
    }

    /// "λ = 0.05, τ = 2000" → "λ=0.05, τ=2000".
    static func compacted(_ name: String) -> String {
        name.replacingScalars(" = ", with: "=")
    }

    /// Indices of names shown the same as a different name.
    static func clashes(_ full: [String], _ shown: [String]) -> [Int] {
        full.indices.filter { i in full.indices.contains { j in j != i && full[j] != full[i] && shown[j] == shown[i] } }
    }
}
