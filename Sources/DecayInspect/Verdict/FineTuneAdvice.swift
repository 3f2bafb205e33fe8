import Foundation

/// The course's one story for pretrained models, as rules a test can hold
/// any text to: `inspect`'s verdicts, the cheatsheet, the lessons' prose
/// and snippets. Decay toward zero on a pretrained model pulls what
/// pretraining learned toward 0, so no text may advise raising λ (or
/// choosing λ from τ = 1/(lr·λ)) for one; the usual fine-tuning values stay
/// at or below `usualMaximum`.
public enum FineTuneAdvice {
    /// The largest weight_decay the course calls usual for a fine-tune
    /// (Verdict.fineTuneAdvice says "0.0–0.1").
    public static let usualMaximum = 0.1

    /// Words that put a sentence about a pretrained model or a fine-tune.
    static let pretrainedContext = ["pretrain", "pre-train", "fine-tun", "finetun", "base model", "adapter", "lora", "from_pretrained", "base_model"]
    /// Phrases that advise more decay, or λ chosen from a timescale.
    static let raising = [
        "raise λ", "raise lambda", "raise weight_decay", "raise the weight decay", "raising λ", "increase λ", "increase lambda",
        "increase weight_decay", "increase the weight decay", "larger λ", "larger weight_decay", "larger weight decay",
        "higher λ", "higher weight_decay", "more decay", "stronger decay", "puts τ at", "put τ at", "1/(lr·τ", "1 / (lr * tau",
        "1 / (lr × tau", "λ from the timescale", "λ from τ",
    ]
    /// Words that turn such a phrase into a warning against it.
    static let negations = ["not ", "never", "n't", "instead of", "rather than", "no ", "avoid", "only when", "from scratch"]

    /// The sentences of `text` that advise raising λ on a pretrained model:
    /// a sentence that names a pretrained model, a fine-tune or adapters,
    /// and a way of raising λ, without a negation or a from-scratch qualifier.
    public static func contradictions(in text: String) -> [String] {
        sentences(text).filter { sentence in
            let s = sentence.lowercased()
            return pretrainedContext.contains { s.contains($0) }
                && raising.contains { s.contains($0.lowercased()) }
                && !negations.contains { s.contains($0) }
        }
    }

    /// Sentences: split at a period, question mark or semicolon followed by a space, and at blank lines.
    static func sentences(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        let scalars = Array(text.replacingOccurrences(of: "\n\n", with: "\u{1}").replacingOccurrences(of: "\n", with: " "))
        for (i, ch) in scalars.enumerated() {
            if ch == "\u{1}" {
                out.append(current); current = ""; continue
            }
            current.append(ch)
            if ".?;!".contains(ch), i + 1 < scalars.count, scalars[i + 1] == " " {
                out.append(current); current = ""
            }
        }
        out.append(current)
        return out.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
