/// The lines that do what a lesson taught in a real library: the fenced
/// blocks under a lesson's `### Snippets` heading (see Lessons/README.md).
/// The tutor shows them on the lesson's summary screen and
/// `decay-tutor cheatsheet` prints them; scripts/check_snippets.py runs them
/// against the libraries.
public struct Snippet: Sendable, Equatable {
    public enum Library: String, Sendable, CaseIterable {
        case pytorch, transformers, axolotl

        /// The fence's language word the library's snippets are written in.
        public var language: String { self == .axolotl ? "yaml" : "python" }

        /// How the tutor names the library.
        public var displayName: String {
            switch self {
            case .pytorch: "PyTorch"
            case .transformers: "Hugging Face Transformers"
            case .axolotl: "Axolotl"
            }
        }
    }

    public var library: Library
    /// The prose between the previous snippet (or the heading) and this
    /// one's fence, joined into one paragraph; may be empty.
    public var caption: String
    /// The code between the fences, lines joined with `\n`, no trailing
    /// newline. Its SHA-256 is what the check's results file records.
    public var code: String
    /// The line of the opening fence.
    public var line: Int

    public init(library: Library, caption: String = "", code: String, line: Int = 0) {
        self.library = library
        self.caption = caption
        self.code = code
        self.line = line
    }
}
