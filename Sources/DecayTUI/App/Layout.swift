import TerminalUI
/// Where each part of the step screen goes, for a terminal size. Side by
/// side from 120 columns (prose left, charts right); stacked below that
/// (prose on top, two charts next to each other, controls under them).
struct StepLayout: Equatable {
    var header: Rect
    var prose: Rect
    var goal: Rect
    var controls: Rect
    var charts: [Rect]
    /// The numbers table under the charts (wide terminals).
    var numbers: Rect?
    var status: Rect
    var wide: Bool

    static let minimumWidth = 60
    static let minimumHeight = 18

    /// - Parameter answered: a question's verdict is in the goal, which may
    ///   then take all but 6 rows of the prose's column (else half of it):
    ///   the verdict comes last, after the prompt and the choices, and is
    ///   what the learner reads next.
    init(width: Int, height: Int, chartCount: Int, goalLines: Int, controlLines: Int, numbersLines: Int = 0,
         answered: Bool = false) {
        header = Rect(x: 0, y: 0, width: width, height: 1)
        status = Rect(x: 0, y: height - 1, width: width, height: 1)
        let body = Rect(x: 0, y: 1, width: width, height: height - 2)
        let charts = max(chartCount, 1)
        wide = width >= 120
        if wide {
            let leftWidth = min(max(44, width * 2 / 5), 64)
            let (left, right) = body.splitLeft(leftWidth)
            let (upper, controlsRect) = left.splitBottom(min(controlLines, left.height / 3))
            let cap = answered ? max(upper.height / 2, upper.height - 6) : upper.height / 2
            let (proseRect, goalRect) = upper.splitBottom(min(goalLines, cap))
            prose = proseRect.insetHorizontally(1)
            goal = goalRect.insetHorizontally(1)
            controls = controlsRect.insetHorizontally(1)
            var chartArea = Rect(x: right.x + 1, y: right.y, width: right.width - 1, height: right.height)
            if numbersLines > 0, chartArea.height - numbersLines >= 12 {
                let (top, bottom) = chartArea.splitBottom(numbersLines)
                chartArea = top
                numbers = Rect(x: bottom.x, y: bottom.y + 1, width: bottom.width, height: bottom.height - 1)
            }
            self.charts = chartArea.splitRows(charts)
        } else {
            let (upper, lower) = body.splitBottom(controlLines + goalLines)
            let (controlsRect, goalRect) = lower.splitTop(controlLines)
            controls = controlsRect.insetHorizontally(1)
            goal = goalRect.insetHorizontally(1)
            let proseHeight = max(4, min(upper.height / 3, 9))
            let (proseRect, chartArea) = upper.splitTop(proseHeight)
            prose = proseRect.insetHorizontally(1)
            if charts <= 2 {
                self.charts = chartArea.splitColumns(charts)
            } else {
                // Three charts in a narrow terminal: two side by side, the third below.
                let halves = chartArea.splitRows(2)
                self.charts = halves[0].splitColumns(2) + [halves[1]]
            }
        }
    }
}

extension Rect {
    func insetHorizontally(_ n: Int) -> Rect {
        Rect(x: x + n, y: y, width: max(0, width - 2 * n), height: height)
    }

    /// `n` rows of equal height (the last takes the remainder).
    func splitRows(_ n: Int) -> [Rect] {
        guard n > 1 else { return [self] }
        let h = height / n
        return (0..<n).map { i in
            Rect(x: x, y: y + i * h, width: width, height: i == n - 1 ? height - h * (n - 1) : h)
        }
    }

    /// `n` columns of equal width with a one-column gap.
    func splitColumns(_ n: Int) -> [Rect] {
        guard n > 1 else { return [self] }
        let w = (width - (n - 1)) / n
        return (0..<n).map { i in
            Rect(x: x + i * (w + 1), y: y, width: i == n - 1 ? width - (w + 1) * (n - 1) : w, height: height)
        }
    }
}
