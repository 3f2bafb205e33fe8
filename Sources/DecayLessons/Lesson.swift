/// A lesson file, parsed and validated.
public struct Lesson: Sendable, Equatable {
    /// Lowercase letters, digits and `-`; unique in a library.
    public var id: String
    public var title: String
    public var summary: String?
    /// Prose between the front matter and the first step.
    public var introduction: String
    /// The path the lesson was read from.
    public var file: String
    public var steps: [Step]
    /// The line of `id:` in the front matter (for duplicate-id errors).
    public var idLine: Int
    /// The `### Snippets` section's code, in file order (Snippet.swift).
    public var snippets: [Snippet]

    public init(id: String, title: String, summary: String? = nil, introduction: String = "", file: String,
                steps: [Step], idLine: Int = 2, snippets: [Snippet] = []) {
        self.id = id
        self.title = title
        self.summary = summary
        self.introduction = introduction
        self.file = file
        self.steps = steps
        self.idLine = idLine
        self.snippets = snippets
    }
}
