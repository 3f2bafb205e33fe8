import Testing
@testable import TerminalUI

@Suite struct HeatmapTests {
    let values: [[Double?]] = [[1, 2], [3, 4]]

    @Test func extremesGetTheLightestAndDarkestShades() {
        let map = Heatmap(rowLabels: ["a", "b"], columnLabels: ["x", "y"], values: values)
        // Four non-blank shades ░▒▓█: levels 0…3; 1 → 0, 4 → 3, 2 → round(1/3·3) = 1, 3 → 2.
        #expect(map.content(1) == .level(0))
        #expect(map.content(4) == .level(3))
        #expect(map.content(2) == .level(1))
        #expect(map.content(3) == .level(2))
        #expect(map.appearance(.level(0)).0 == "░")
        #expect(map.appearance(.level(3)).0 == "█")
        #expect(map.content(nil) == .pending)
        #expect(map.content(.nan) == .diverged)
        #expect(map.content(.infinity) == .diverged)
    }

    @Test func colourRampEndsMapToTheExtremes() {
        let map = Heatmap(rowLabels: ["a", "b"], columnLabels: ["x", "y"], values: values, colorRamp: [10, 11, 12])
        #expect(map.appearance(map.content(1)).1.foreground == 10)
        #expect(map.appearance(map.content(4)).1.foreground == 12)
    }

    @Test func logScaleShadesByOrdersOfMagnitude() {
        // 0.01, 0.1, 1: on log10 these are evenly spaced; 0.1 is the middle (level round(1.5) = 2 of 0…3).
        let map = Heatmap(rowLabels: ["a"], columnLabels: ["x", "y", "z"], values: [[0.01, 0.1, 1]], scale: .log10)
        #expect(map.content(0.01) == .level(0))
        #expect(map.content(0.1) == .level(2))
        #expect(map.content(1) == .level(3))
    }

    @Test func renderedCellsDivergedPendingAndBest() {
        let map = Heatmap(rowLabels: ["1e-1", "1e-2"], columnLabels: ["0", "1e-3", "1e-2"],
                          values: [[0.5, .nan, nil], [0.2, 0.3, 0.9]])
        var grid = CellGrid(width: 40, height: 8)
        map.render(into: &grid, in: grid.bounds)
        let lines = grid.lines()
        #expect(lines[0].hasPrefix("lr \\ λ"))
        #expect(lines[0].contains("1e-3") && lines[0].contains("1e-2"))
        #expect(lines[1].contains("1e-1") && lines[1].contains("×"))
        // Rows are two lines high here; the best (lowest, 0.2) is labelled in its cell.
        #expect(lines.contains { $0.contains("0.2") && $0.contains("1e-2") })
        // 0.9 is the largest: a full block row.
        #expect(lines.contains { $0.hasSuffix("█████") })
        #expect(lines.contains { $0.contains("diverged") })
        #expect(lines.contains { $0.contains("training 5/6") && $0.contains("83%") })
    }

    @Test func progressBarUsesEighthsOfACell() {
        // 10 cells × 8 eighths = 80 units; 0.5125 · 80 = 41 units = 5 full cells + ⅛.
        #expect(ProgressBar(fraction: 0.5125).bar(width: 10) == "█████▏░░░░")
        #expect(ProgressBar(fraction: 1).bar(width: 4) == "████")
        #expect(ProgressBar(fraction: -1).bar(width: 3) == "░░░")
        #expect(ProgressBar(fraction: 0.5, glyphs: .ascii).bar(width: 4) == "##--")
    }
}
