import Testing
@testable import DecayLessons

/// The `### Snippets` section: what it yields, what it rejects (at which
/// line), and that it stays out of the step's prose.
@Suite struct SnippetParserTests {
    /// A one-step lesson ending with `section`, whose first line is line 14.
    func withSection(_ section: String) -> String {
        step(minimalExperiment, extra: "Prose.\n\n" + section)
    }

    @Test func readsLibrariesCaptionsAndCode() throws {
        let l = try parsed(withSection("""
            ### Snippets

            PyTorch, with
            parameter groups:

            ```python pytorch
            import torch

            opt = torch.optim.AdamW(groups, lr=1e-3)
            ```

            ~~~~yaml axolotl
            weight_decay: 0.1
            ~~~~
            """))
        #expect(l.snippets.map(\.library) == [.pytorch, .axolotl])
        #expect(l.snippets[0].caption == "PyTorch, with parameter groups:")
        #expect(l.snippets[0].code == "import torch\n\nopt = torch.optim.AdamW(groups, lr=1e-3)")
        #expect(l.snippets[0].line == 19)
        #expect(l.snippets[1].caption == "" && l.snippets[1].code == "weight_decay: 0.1")
        // The pane shows the prose without the section; the ladder rule
        // (which reads step prose) never sees `lr=1e-3`.
        #expect(l.steps[0].prose == "Prose.")
    }

    @Test func aLaterHeadingEndsTheSectionAndOtherFencesAreProse() throws {
        let l = try parsed(withSection("""
            ### Snippets

            ```python transformers
            args = 1
            ```

            ### After

            ```python
            print("prose code")
            ```
            """))
        #expect(l.snippets.count == 1)
        #expect(l.steps[0].prose.contains("### After") && l.steps[0].prose.contains("prose code"))
        #expect(!l.steps[0].prose.contains("args = 1"))
    }

    @Test func aHeadingInsideAFenceIsCode() throws {
        let l = try parsed(withSection("""
            ```markdown
            ### Snippets
            ```
            """))
        #expect(l.snippets.isEmpty)
        #expect(l.steps[0].prose.contains("### Snippets"))
    }

    @Test(arguments: [
        ("```python\nx = 1\n```", 16, "names its library"),
        ("```python pytroch\nx = 1\n```", 16, "did you mean `pytorch`"),
        ("```yaml pytorch\nx: 1\n```", 16, "written in python"),
        ("```python axolotl\nx = 1\n```", 16, "written in yaml"),
        ("```python pytorch extra\nx = 1\n```", 16, "unexpected `extra`"),
        ("```python pytorch\n\n```", 16, "is empty"),
        ("```python pytorch\nx = 1\n```\n```python pytorch\ny = 2\n```", 19, "a second `pytorch` snippet (the first is on line 16)"),
        ("```goal\nkind = threshold\n```", 16, "move the block above"),
        ("```python pytorch\n" + String(repeating: "x", count: 75) + "\n```", 17, "75 characters"),
        ("Only prose.", 14, "has no snippets"),
        ("```python pytorch\nx = 1\n```\n\n### Snippets\n", 20, "one `### Snippets` section"),
    ])
    func locatedErrors(section: String, line: Int, fragment: String) {
        let e = errors(withSection("### Snippets\n\n" + section))
        #expect(e.contains { $0.line == line && ($0.message + " " + ($0.suggestion ?? "")).contains(fragment) }, "\(e)")
    }

    @Test func everyShippedLessonEndsWithThreeSnippetsThatFitTheScreen() throws {
        let library = LessonLibrary.load(directory: lessonsDirectory)
        #expect(library.errors.isEmpty, "\(library.errors)")
        for lesson in library.lessons {
            #expect(lesson.snippets.map(\.library) == [.pytorch, .transformers, .axolotl],
                    """
                    \(lesson.file) should end with a `### Snippets` section holding ```python pytorch, \
                    ```python transformers and ```yaml axolotl (Lessons/README.md, "Snippets"); add its \
                    expectations to scripts/snippet_expectations.py and run python3 scripts/check_snippets.py
                    """)
            for snippet in lesson.snippets {
                #expect(!snippet.caption.isEmpty, "\(lesson.id) \(snippet.library)")
            }
            // Nothing but blank lines follows the last snippet's fence.
            let text = try String(contentsOfFile: lesson.file, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let last = try #require(lesson.snippets.last)
            let tail = lines.dropFirst(last.line + last.code.split(separator: "\n", omittingEmptySubsequences: false).count + 1)
            #expect(tail.allSatisfy { $0.allSatisfy(\.isWhitespace) }, "\(lesson.id): text after the snippets")
        }
    }
}
