import TerminalUI
import DecayLessons

/// The screens between lessons: a lesson's summary (its key points, where
/// the learner stands, and its snippets) and the end of the course.
enum EndingView {
    static func drawSummary(_ grid: inout CellGrid, _ state: TutorState, _ theme: Theme) {
        guard let lesson = state.lesson else { return }
        let done = state.finishedCount(lesson: state.lessonIndex)
        grid.bar(y: 0, left: theme.text("\(state.lessonIndex + 1). \(lesson.title)\(theme.bar)summary"),
                 right: "\(done)/\(lesson.steps.count) steps done", style: theme.header)
        var markdown = "## What this lesson showed\n\n"
        let points = lesson.keyPoints
        markdown += points.isEmpty ? (lesson.summary ?? lesson.title) : points.map { "- " + $0 }.joined(separator: "\n")
        let open = state.unfinishedSteps(lesson: state.lessonIndex)
        if let first = open.first {
            markdown += "\n\nNot done yet: step" + (open.count == 1 ? " " : "s ")
                + open.map { "\($0 + 1)" }.joined(separator: ", ") + " (o opens step \(first + 1))."
        }
        markdown += scoreMarkdown(state, lesson: lesson, theme: theme)
        markdown += snippetsMarkdown(lesson)
        let next = state.lessonIndex + 1 < state.lessons.count
            ? "n: lesson \(state.lessonIndex + 2), \(state.lessons[state.lessonIndex + 1].title)" : "n: the end of the course"
        let reopen = open.first.map { "  o: step \($0 + 1)" } ?? ""
        draw(&grid, markdown: markdown, theme: theme, status: "\(next)  p: back\(reopen)  m: menu", scroll: state.proseScroll)
    }

    /// A lesson of questions (the final quiz): how many were right at the
    /// first try, and for each mistake the step that teaches its answer.
    static func scoreMarkdown(_ state: TutorState, lesson: Lesson, theme: Theme) -> String {
        let questions = lesson.steps.indices.filter { if case .question? = lesson.steps[$0].goal { true } else { false } }
        guard questions.count >= 2, questions.count * 2 > lesson.steps.count else { return "" }
        let p = state.progress.lessons[lesson.id]
        let answered = questions.filter { p?.answeredGoals.contains($0 + 1) ?? false }
        let missed = questions.filter { p?.missedGoals.contains($0 + 1) ?? false }
        var out = "\n\n## Your score\n\n"
        if answered.count == questions.count {
            out += "**\(questions.count - missed.count) of \(questions.count)** questions right at the first try."
        } else {
            out += "\(answered.count) of \(questions.count) questions answered so far, "
                + "\(answered.filter { !missed.contains($0) }.count) of them right at the first try; "
                + "the score is complete once every question is answered."
        }
        guard !missed.isEmpty else { return out }
        out += "\n\nYour mistakes, and where each answer is taught:\n\n"
        for i in missed {
            var line = "- Question \(i + 1), *\(lesson.steps[i].title)*"
            if case let .question(q)? = lesson.steps[i].goal, let target = q.revisit, let (l, n) = state.resolve(target) {
                let dash = theme.unicode ? "—" : "-"
                line += " \(dash) lesson \(l + 1), step \(n + 1): *\(state.lessons[l].steps[n].title)* (`decay-tutor \(l + 1):\(n + 1)`)"
            }
            out += line + "\n"
        }
        return out
    }

    /// The lesson's snippets: each caption, then its code.
    static func snippetsMarkdown(_ lesson: Lesson) -> String {
        guard !lesson.snippets.isEmpty else { return "" }
        var markdown = "\n\n## In code\n"
        for snippet in lesson.snippets {
            let caption = snippet.caption.isEmpty ? snippet.library.displayName + ":" : snippet.caption
            markdown += "\n" + caption + "\n\n```\n" + snippet.code + "\n```\n"
        }
        return markdown
    }

    static func drawCourseEnd(_ grid: inout CellGrid, _ state: TutorState, _ theme: Theme) {
        let finished = state.lessons.indices.filter { state.isFinished(lesson: $0) }.count
        grid.bar(y: 0, left: "decay-tutor\(theme.bar)the end of the course",
                 right: "\(finished)/\(state.lessons.count) lessons done", style: theme.header)
        var markdown = "## What the course showed\n\n"
        for (i, lesson) in state.lessons.enumerated() {
            let mark = state.isFinished(lesson: i) ? theme.check : " "
            let first = lesson.keyPoints.first ?? lesson.summary ?? ""
            markdown += "- **\(mark) \(i + 1). \(lesson.title)** \(theme.unicode ? "—" : "-") \(first)\n"
        }
        markdown += """

            To take it to real work: `decay-tutor cheatsheet` prints each lesson's summary \
            with the PyTorch, Hugging Face and Axolotl lines that do what it taught; \
            `decay-tutor export LESSON:STEP` writes any step as a PyTorch script \
            (or press x on a step).
            """
        draw(&grid, markdown: markdown, theme: theme, status: "n/Enter: the lesson menu  p: back")
    }

    private static func draw(_ grid: inout CellGrid, markdown: String, theme: Theme, status: String, scroll: Int = 0) {
        var prose = ProseView(markdown: theme.markdown(markdown), theme: theme.prose, glyphs: theme.glyphs)
        let width = min(grid.width - 4, 96)
        var rect = Rect(x: (grid.width - width) / 2, y: 2, width: width, height: grid.height - 4)
        let overflows = prose.maxScrollOffset(width: rect.width, height: rect.height) > 0
        if overflows { rect.height -= 1 }   // the last row says there is more
        let used = prose.render(into: &grid, in: rect, scrollOffset: scroll)
        if overflows {
            let more = used < prose.maxScrollOffset(width: rect.width, height: rect.height)
            let mark = more ? (theme.unicode ? "↓ more: j/k or ↑/↓" : "v more: j/k") : (theme.unicode ? "↑ k to scroll back" : "^ k to scroll back")
            grid.putRightAligned(mark, rightEdge: rect.maxX, y: rect.maxY, style: theme.dim)
        }
        grid.bar(y: grid.height - 1, left: status, right: grid.width >= 100 ? "? help  q quit" : "? q quit", style: theme.status)
    }
}
