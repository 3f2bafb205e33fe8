import TerminalUI
import DecayEngine
import DecayLessons
import Foundation

/// Draws the tutor: a pure function of the state and a snapshot of the
/// open step's training. It changes nothing; the prose cache it is handed
/// only saves re-laying the same Markdown out every frame.
public enum View {
    public static func render(_ state: TutorState, training: TrainingSnapshot?, prose: ProseCache = ProseCache()) -> CellGrid {
        let w = state.size.width, h = state.size.height
        var grid = CellGrid(width: max(w, 0), height: max(h, 0))
        grid.asciiOnly = !state.unicode
        guard w >= StepLayout.minimumWidth, h >= StepLayout.minimumHeight else {
            tooSmall(&grid, state)
            return grid
        }
        let theme = Theme(state)
        switch state.screen {
        case .menu: MenuView.draw(&grid, state, theme)
        case .step:
            if let training {
                StepView(state: state, training: training, theme: theme).draw(&grid, prose: prose)
            } else {
                MenuView.draw(&grid, state, theme)
            }
        case .summary: EndingView.drawSummary(&grid, state, theme)
        case .courseEnd: EndingView.drawCourseEnd(&grid, state, theme)
        }
        if state.showHelp { HelpOverlay.draw(&grid, state, theme) }
        return grid
    }

    static func tooSmall(_ grid: inout CellGrid, _ state: TutorState) {
        let times = state.unicode ? "×" : "x"
        let lines = [
            "decay-tutor needs at least \(StepLayout.minimumWidth)\(times)\(StepLayout.minimumHeight);",
            "this terminal is \(state.size.width)\(times)\(state.size.height).",
            "Enlarge it, or press q to quit.",
        ]
        // Wrapped to the width, so a terminal narrower than the first line
        // still shows the whole requirement rather than "at least 60×1".
        var y = 0
        for (i, line) in lines.enumerated() {
            for row in WrappedText.wrap(line, width: max(1, grid.width), style: i == 0 ? Style(bold: true) : .plain)
            where y < grid.height {
                var x = 0
                for span in row.spans { x += grid.put(span.text, x: x, y: y, style: span.style) }
                y += 1
            }
        }
    }
}
